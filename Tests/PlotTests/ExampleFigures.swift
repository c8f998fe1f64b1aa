import Foundation
import Testing
@testable import Plot

/// Renders one example of each plot to PLOT_EXAMPLES (a folder) for looking at by eye; skipped
/// unless that environment variable is set, so the normal suite writes nothing outside /tmp tests.
struct ExampleFigures {
    var folder: String? { ProcessInfo.processInfo.environment["PLOT_EXAMPLES"] }

    @Test func fontSheet() throws {
        guard let folder else { return }
        var c = Canvas(width: 900, height: 420)
        var ascii = ""
        for i in 32..<127 { ascii.append(Character(Unicode.Scalar(i)!)) }
        let lines = [String(ascii.prefix(48)), String(ascii.dropFirst(48)),
                     "·−×≈²³ ⁰¹²³⁴⁵⁶⁷⁸⁹⁻ αβσμε →±… 10⁻³ 2×10⁴ ≤≥°λθπΣ ☃"]
        var y = 30.0
        for size in [14.0, 17.5, 21, 28] {
            for line in lines {
                c.drawText(line, at: Point(10, y), size: size)
                y += size * 1.5
            }
        }
        c.drawText("Vertical label (units)", at: Point(880, 210), size: 17.5, align: .center, valign: .middle, vertical: true)
        try c.write(to: folder + "/font.png")
    }
}

extension ExampleFigures {
    @Test func linePlotExample() throws {
        guard let folder else { return }
        let steps = (0..<200).map { Double($0 * 10) }
        let train = steps.map { 4.2 * exp(-$0 / 400) + 1.35 + 0.05 * sin($0 / 13) }
        let val = steps.map { 4.2 * exp(-$0 / 450) + 1.5 }
        var plot = LinePlot(title: "Training loss of the tiny GPT", xLabel: "step", yLabel: "cross-entropy (nats/token)")
        plot.add(LineSeries(name: "train", x: steps, y: train))
        plot.add(LineSeries(name: "validation", x: steps, y: val, dashed: true))
        plot.referenceLines = [ReferenceLine(value: 1.3, label: "entropy floor")]
        try plot.save(to: folder + "/line.png")

        let sizes: [Double] = [1e3, 3e3, 1e4, 3e4, 1e5, 3e5, 1e6]
        var log = LinePlot(title: "Scaling: loss against parameters", xLabel: "parameters", yLabel: "validation loss (nats)",
                           xScale: .log10, yScale: .log10)
        log.add(LineSeries(name: "measured", x: sizes, y: sizes.map { 8 * pow($0, -0.12) }, yError: sizes.map { _ in 0.05 }, marker: .circle, lineWidth: 0))
        log.add(LineSeries(name: "fit L = 8 N⁻⁰·¹²", x: sizes, y: sizes.map { 8 * pow($0, -0.12) }, dashed: true))
        try log.save(to: folder + "/line-log.png")
    }
}

extension ExampleFigures {
    /// Deterministic pseudo-random values for examples (a tiny LCG; Plot does not depend on Engine).
    static func noise(_ n: Int, seed: UInt64) -> [Double] {
        var s = seed
        return (0..<n).map { _ in
            s = s &* 6364136223846793005 &+ 1442695040888963407
            return Double(s >> 11) / Double(1 << 53)
        }
    }

    @Test func otherExamples() throws {
        guard let folder else { return }
        // Scatter with decision regions.
        let u = Self.noise(600, seed: 1), v = Self.noise(600, seed: 2)
        var xs: [Double] = [], ys: [Double] = [], cs: [Int] = []
        for i in 0..<300 {
            let c = i % 3
            let angle = Double(c) * 2.1 + u[i] * 0.8
            let r = 1.5 + v[i]
            xs.append(r * cos(angle)); ys.append(r * sin(angle)); cs.append(c)
        }
        var grid: [Double] = []
        for r in 0..<60 {
            for c in 0..<80 {
                let x = -3 + 6 * (Double(c) + 0.5) / 80, y = -3 + 6 * (Double(r) + 0.5) / 60
                var a = atan2(y, x); if a < -0.5 { a += 2 * .pi }
                grid.append(Double(min(Int((a + 0.5) / 2.1), 2)))
            }
        }
        var scatter = ScatterPlot(title: "Three spiral arms and a classifier's regions", xLabel: "x₁", yLabel: "x₂",
                                  x: xs, y: ys, category: cs, categoryNames: ["class A", "class B", "class C"])
        scatter.background = BackgroundField(xRange: -3...3, yRange: -3...3, columns: 80, rows: 60, values: grid)
        scatter.markers = [.circle, .triangle, .square]
        try scatter.save(to: folder + "/scatter.png")

        // Heatmap: causal attention over tokens.
        let tokens = ["The", "·cat", "·sat", "·on", "·the", "·mat", "."]
        var att: [Double] = []
        for q in 0..<7 {
            let w = (0..<7).map { k in k <= q ? exp(-Double(q - k) * 0.7) : 0 }
            let s = w.reduce(0, +)
            att += w.map { $0 / s }
        }
        let heat = Heatmap(title: "Attention weights, head 1", values: att, rows: 7, columns: 7, rowLabels: tokens,
                           columnLabels: tokens, xLabel: "key token", yLabel: "query token", colorBarLabel: "weight",
                           annotate: true)
        try heat.save(to: folder + "/heatmap.png")
        let long = (0..<40).map { "token\($0)" }
        let sim: [Double] = (0..<1600).map { i in cos(Double(i % 40 - i / 40) * 0.3) }
        try Heatmap(title: "Cosine similarity of 40 embeddings", values: sim, rows: 40, columns: 40, rowLabels: long,
                    columnLabels: long, colorBarLabel: "cosine similarity", colormap: .blueRed).save(to: folder + "/heatmap-diverging.png")

        // Bars.
        let bars = BarChart(title: "Keep rate per curation stage", categories: ["raw", "exact dedup", "near dedup", "quality", "safety"],
                            series: [BarSeries(name: "web", values: [1.0, 0.82, 0.7, 0.52, 0.5], errors: [0, 0.02, 0.03, 0.04, 0.04]),
                                     BarSeries(name: "books", values: [1.0, 0.95, 0.93, 0.88, 0.87], errors: [0, 0.01, 0.01, 0.02, 0.02])],
                            xLabel: "pipeline stage", yLabel: "fraction kept", referenceLines: [ReferenceLine(value: 0.6, label: "target")],
                            showValues: true)
        try bars.save(to: folder + "/bars.png")

        // Histogram.
        let a = Self.noise(4000, seed: 3), b = Self.noise(4000, seed: 4)
        func gauss(_ i: Int) -> Double {
            let r: Double = (-2 * Foundation.log(a[i])).squareRoot()
            return r * cos(2 * Double.pi * b[i])
        }
        let normal: [Double] = (0..<2000).map { gauss($0) }
        let gen: [Double] = (0..<2000).map { 0.3 + 0.8 * gauss($0 + 2000) }
        try Histogram(title: "Real against generated samples", samples: [("real", normal), ("generated", gen)], bins: 40,
                      xLabel: "value", yLabel: "count").save(to: folder + "/histogram.png")
        try Histogram(title: "Token lengths", values: normal.map { abs($0) * 3 }, bins: 25, xLabel: "length (bytes)")
            .save(to: folder + "/histogram-single.png")

        // Image grid.
        var images: [GridImage] = []
        for i in 0..<12 {
            let size = 16
            var px: [Double] = []
            for y in 0..<size { for x in 0..<size {
                let d = Double((x - 8) * (x - 8) + (y - 8) * (y - 8)).squareRoot()
                px += [d < Double(3 + i % 5) ? 1 : 0.1 * Double(i % 3), Double(x) / 15, Double(y) / 15]
            } }
            images.append(GridImage(width: size, height: size, channels: 3, pixels: px, caption: "sample \(i)"))
        }
        try ImageGrid(title: "Denoising steps", images: images, columns: 6, rowLabels: ["seed 1", "seed 2"],
                      columnLabels: ["t = 1000", "t = 800", "t = 600", "t = 400", "t = 200", "t = 0"]).save(to: folder + "/images.png")
        let digits = (0..<32).map { i in GridImage(width: 28, height: 28, pixels: Self.noise(784, seed: UInt64(i + 10))) }
        try ImageGrid(title: "Noise (grey, 28x28)", images: digits, columns: 8).save(to: folder + "/images-grey.png")

        // Figure.
        var line = LinePlot(title: "Loss", xLabel: "step", yLabel: "loss (nats)")
        line.add(LineSeries(name: "train", y: (0..<100).map { 3 * exp(-Double($0) / 30) + 1 }))
        line.add(LineSeries(name: "val", y: (0..<100).map { 3 * exp(-Double($0) / 35) + 1.1 }, dashed: true))
        var figure = Figure(title: "Chapter 5 overview", rows: 2, columns: 2, panels: [line, heat, bars, scatter])
        figure.width = 1600; figure.height = 1200
        try figure.save(to: folder + "/figure.png")
    }
}
