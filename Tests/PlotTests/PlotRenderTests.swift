import Foundation
import Testing
@testable import Plot

struct PlotRenderTests {
    /// y = 2x + 1 on x in [0, 10], one series, no legend.
    func straightLine(title: String = "A straight line") -> LinePlot {
        let xs = (0...20).map { Double($0) * 0.5 }
        return LinePlot(title: title, xLabel: "x (units)", yLabel: "y (units)",
                        series: [LineSeries(name: "y = 2x + 1", x: xs, y: xs.map { 2 * $0 + 1 })])
    }

    @Test func lineLandsOnTheExpectedPixels() {
        let plot = straightLine()
        let canvas = plot.render()
        let layout = plot.layout()
        let seriesColor = plot.color(ofSeries: 0)
        #expect(seriesColor == Palette.okabeIto[0])
        // The 2.5 px line covers its centre pixel fully, so the pixel there is exactly the series colour.
        for x in [0.7, 2.35, 5.1, 8.8] {
            let p = layout.point(x, 2 * x + 1)
            #expect(canvas.pixel(x: Int(p.x), y: Int(p.y)) == seriesColor, "on the line at x = \(x)")
        }
        // Far from the line (and off the round-valued grid lines) the canvas is background white.
        for (x, y) in [(8.37, 3.13), (1.13, 17.3)] {
            let p = layout.point(x, y)
            #expect(layout.plotArea.contains(p))
            #expect(canvas.pixel(x: Int(p.x), y: Int(p.y)) == .white, "background at (\(x), \(y))")
        }
        // The data range is padded: the first and last points lie strictly inside the plot area.
        #expect(layout.x.lower < 0 && layout.x.upper > 10 && layout.y.lower < 1 && layout.y.upper > 21)
    }

    /// Columns and rows holding dark (text-like) pixels inside a band of rows.
    func darkPixels(_ c: Canvas, rows: Range<Int>) -> [(Int, Int)] {
        var out: [(Int, Int)] = []
        for y in rows { for x in 0..<c.width where c.pixel(x: x, y: y).luminance < 0.35 { out.append((x, y)) } }
        return out
    }

    @Test func titleRendersCentredInTheTopMargin() {
        let plot = straightLine(title: "Centred title")
        let canvas = plot.render()
        let top = Int(plot.layout().plotArea.y) - 12  // above the top y tick label's upper half
        let dark = darkPixels(canvas, rows: 0..<top)
        #expect(dark.count > 200)
        let xs = dark.map(\.0)
        let centre = Double(xs.min()! + xs.max()!) / 2
        #expect(abs(centre - Double(canvas.width) / 2) <= 3)
        // The title's width matches the font's measurement (bold adds under one font unit).
        let measured = BitmapFont.measure("Centred title", size: plot.style.titleSize).width
        #expect(abs(Double(xs.max()! - xs.min()! + 1) - measured) <= 4)
        // Without a title the band is empty.
        #expect(darkPixels(straightLine(title: "").render(), rows: 0..<12).isEmpty)
    }

    @Test func csvBesidePlotHoldsTheData() throws {
        let folder = try makeTempFolder("csv")
        var plot = straightLine()
        plot.add(LineSeries(name: "tenth, \"quoted\"", x: [0.1, 0.2], y: [0.30000000000000004, 1e-7]))
        try plot.save(to: folder + "/line.png")
        let text = try String(contentsOfFile: folder + "/line.csv", encoding: .utf8)
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines.first == "series,x,y,y_error")
        #expect(lines.count == 1 + 21 + 2)
        #expect(lines[1] == "y = 2x + 1,0.0,1.0,")
        #expect(lines.contains("\"tenth, \"\"quoted\"\"\",0.1,0.30000000000000004,"))
        // Every number reads back to exactly the plotted value.
        let last = lines.last!.split(separator: ",", omittingEmptySubsequences: false)
        #expect(Double(String(last[last.count - 2])) == 1e-7)
        #expect(try PNG.read(folder + "/line.png").width == 1200)
    }

    @Test func sameFigureGivesSameBytes() throws {
        let a = try straightLine().pngBytes(), b = try straightLine().pngBytes()
        #expect(a == b)
        let folder = try makeTempFolder("determinism")
        try straightLine().save(to: folder + "/one.png")
        try straightLine().save(to: folder + "/two.png")
        #expect(FileManager.default.contents(atPath: folder + "/one.png") == FileManager.default.contents(atPath: folder + "/two.png"))
    }

    @Test func inconsistentDataThrowsAndWritesNothing() throws {
        let folder = try makeTempFolder("invalid")
        let plot = LinePlot(title: "bad", series: [LineSeries(name: "s", x: [1.0, 2, 3], y: [1.0, 2])])
        let error = try #require(throws: PlotError.self) { try plot.save(to: folder + "/bad.png") }
        #expect(error.message.contains("x has 3 values, y has 2"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder).isEmpty)
    }

    @Test func nanValuesAndSinglePointsDoNotBreakRendering() throws {
        let plot = LinePlot(title: "gaps", series: [
            LineSeries(name: "a", x: [0.0, 1, 2, 3], y: [1.0, .nan, 3, .infinity]),
            LineSeries(name: "b", x: [5.0], y: [5.0], marker: .square),
        ])
        let layout = plot.layout()
        #expect(layout.x.lower < 0 && layout.x.upper > 5 && layout.y.upper > 5)
        let canvas = plot.render()
        let p = layout.point(5, 5)
        #expect(canvas.pixel(x: Int(p.x), y: Int(p.y)) == plot.color(ofSeries: 1))
    }

    @Test func everyPlotTypeRendersAndListsItsData() throws {
        let heat = Heatmap(title: "h", matrix: [[1.0, 2], [3, 4]], rowLabels: ["a", "b"], columnLabels: ["c", "d"])
        #expect(heat.csv().rows.count == 4)
        // The top-left cell is the minimum, so it takes the colormap's first colour.
        let area = heat.cellArea()
        #expect(heat.render().pixel(x: Int(area.x + 5), y: Int(area.y + 5)) == Colormap.viridis.color(at: 0))
        let bars = BarChart(title: "b", categories: ["x", "y"], series: [BarSeries(name: "s", values: [1.0, 2])])
        let bl = bars.layout()
        #expect(bars.render().pixel(x: Int(bl.x.pixel(1)), y: Int(bl.y.pixel(1))) == Palette.okabeIto[0])
        let hist = Histogram(title: "h", values: [0.0, 0.1, 0.9, 1.0], bins: 2)
        #expect(hist.samples[0].counts == [2, 2])
        let grid = ImageGrid(title: "g", images: [GridImage(width: 2, height: 2, pixels: [0.0, 1, 1, 0])], columns: 1)
        let r = grid.imageRects()[0]
        let gc = grid.render()
        #expect(gc.pixel(x: Int(r.x + 1), y: Int(r.y + 1)) == .black)
        #expect(gc.pixel(x: Int(r.maxX - 2), y: Int(r.y + 1)) == .white)
        let scatter = ScatterPlot(title: "s", x: [0.0, 1], y: [0.0, 1], category: [0, 1], categoryNames: ["a", "b"])
        let figure = Figure(title: "f", rows: 2, columns: 3, panels: [heat, bars, hist, grid, scatter])
        #expect(figure.csv().header.prefix(2) == ["panel", "panel_title"])
        #expect(figure.csv().rows.count == 4 + 2 + 2 + 1 + 2)
        #expect(try figure.pngBytes() == figure.pngBytes())
    }

    /// A grid sized by pixel scale draws each source pixel as a scale × scale block and leaves no
    /// margin wider than the padding and the gap between images.
    @Test func imageGridSizedByPixelScaleFitsItsImages() {
        let ims = (0..<6).map { _ in GridImage(width: 32, height: 32, channels: 3, pixels: [Float](repeating: 0.5, count: 3072)) }
        let grid = ImageGrid(title: "Fitted", images: ims, columns: 3, rowLabels: ["first row", "second"], pixelScale: 4)
        let rects = grid.imageRects()
        #expect(rects.count == 6 && rects.allSatisfy { $0.width == 128 && $0.height == 128 })
        let p = grid.style.padding
        #expect(Double(grid.width) - (rects.map(\.maxX).max() ?? 0) <= p + ImageGrid.gap)
        #expect(Double(grid.height) - (rects.map(\.maxY).max() ?? 0) <= p + ImageGrid.gap)
        // One pixel less in either direction no longer fits scale 4: blocks drop to 3 × 3.
        let tight = ImageGrid(title: "Fitted", images: ims, columns: 3, rowLabels: ["first row", "second"],
                              width: grid.width, height: grid.height - 2)
        #expect(tight.imageRects()[0].width == 96)
    }

    @Test func fontMeasuresAndMarksUnknownCharacters() {
        // "ab": two 5-unit glyphs and one unit of spacing, at 2 px per unit for size 14.
        #expect(BitmapFont.measure("ab", size: 14).width == 22)
        #expect(BitmapFont.measure("ab", size: 14).height == 18)
        #expect(BitmapFont.covers("10⁻³ α·β ≈ σ² μ ε → ± … × −"))
        #expect(!BitmapFont.covers("☃"))
        let unknown = BitmapFont.mask("☃", size: 14, bold: false), box = BitmapFont.mask("\u{FFFD}", size: 14, bold: false)
        #expect(unknown.values == box.values && unknown.values.contains { $0 > 0.9 })
    }
}

@Suite("Image grid CSV")
struct ImageGridCSVTests {
    /// The CSV holds the 8-bit values the PNG shows: 0.5 rounds to 128, values outside [0, 1] clamp.
    @Test func pixelsAreTheDrawnBytes() {
        let grid = ImageGrid(title: "t", images: [GridImage(width: 2, height: 1, pixels: [0.5, 1.7]),
                                                   GridImage(width: 1, height: 1, channels: 3, pixels: [-0.2, 0.25, 1])],
                             columns: 2)
        let rows = grid.csv().rows
        #expect(rows.count == 2)
        #expect(rows[0].last == "128 255")
        #expect(rows[1].last == "0 64 255")
    }
}

@Suite("Running mean")
struct RunningMeanTests {
    /// Window 2 over 1, 3, 5, 7: the first value alone, then pairs.
    @Test func averagesTheLastWindowValues() {
        #expect(runningMean([1, 3, 5, 7], window: 2) == [1, 2, 4, 6])
        #expect(runningMean([4, 8], window: 5) == [4, 6])
        #expect(runningMean([], window: 3).isEmpty)
    }
}
