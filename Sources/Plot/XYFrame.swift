import Foundation

/// One labelled tick.
struct Tick {
    let value: Double
    let label: String
}

/// The shared frame of every x–y plot: title, plot area, grid, ticks, tick labels and axis titles.
/// Plots build one from their options and data, call `resolve` for the layout, draw the grid, draw
/// their data clipped to the plot area, then draw the axes on top.
struct XYFrame {
    var title: String
    var xAxis: AxisOptions
    var yAxis: AxisOptions
    var style: ChartStyle
    /// Categorical x axis: ticks at 0, 1, … labelled with these names.
    var xCategories: [String]? = nil
    /// Data values used for automatic ranges.
    var xData: [Double] = []
    var yData: [Double] = []
    /// Legend entries drawn as one row above the plot area (used when no corner inside is free).
    var legendRow: [LegendEntry] = []

    /// The layout plus everything needed to draw the axes.
    struct Resolved {
        let frame: Rect
        let layout: ChartLayout
        let xTicks: [Tick]
        let yTicks: [Tick]
        let xMinor: [Double]
        let yMinor: [Double]
        let verticalXLabels: Bool
    }

    func xRange() -> ClosedRange<Double> {
        if let categories = xCategories { return -0.5...(Double(max(categories.count, 1)) - 0.5) }
        return validRange(xAxis) ?? AxisRange.auto(xData, scale: xAxis.scale, includeZero: xAxis.includeZero)
    }

    func yRange() -> ClosedRange<Double> {
        validRange(yAxis) ?? AxisRange.auto(yData, scale: yAxis.scale, includeZero: yAxis.includeZero)
    }

    private func validRange(_ axis: AxisOptions) -> ClosedRange<Double>? {
        guard let r = axis.range, r.lowerBound.isFinite, r.upperBound.isFinite, r.upperBound > r.lowerBound,
              axis.scale == .linear || r.lowerBound > 0 else { return nil }
        return r
    }

    /// Ticks for one axis over `range`, about `count` of them.
    static func ticks(_ axis: AxisOptions, range: ClosedRange<Double>, count: Int) -> ([Tick], [Double]) {
        let lo = range.lowerBound, hi = range.upperBound
        switch axis.scale {
        case .linear:
            let values = axis.tickStep.map { Ticks.multiples(of: $0, from: lo, to: hi) } ?? Ticks.linear(from: lo, to: hi, count: count)
            let step = values.count > 1 ? values[1] - values[0] : Ticks.niceStep(span: hi - lo, count: count)
            return (zip(values, Ticks.labels(values, step: step)).map { Tick(value: $0, label: $1) }, [])
        case .log10:
            let (major, minor) = Ticks.log10(from: lo, to: hi, maxMajor: max(count, 2))
            if major.count >= 2 { return (major.map { Tick(value: $0, label: Ticks.powerLabel($0)) }, minor) }
            // Less than about one decade: powers of ten are too sparse, so use round linear steps
            // (still placed logarithmically) and keep the 2…9 multiples as minor ticks.
            let values = Ticks.linear(from: lo, to: hi, count: max(count - 1, 3)).filter { $0 > 0 }
            let step = values.count > 1 ? values[1] - values[0] : hi - lo
            let rest = minor.filter { m in !values.contains { abs($0 - m) <= 1e-9 * m } }
            return (zip(values, Ticks.labels(values, step: step)).map { Tick(value: $0, label: $1) }, rest)
        }
    }

    func resolve(in frame: Rect) -> Resolved {
        let p = style.padding
        let tickBoxH = BitmapFont.measure("0", size: style.tickSize).height
        let labelBoxH = BitmapFont.measure("0", size: style.labelSize).height
        let titleH = title.isEmpty ? 0 : BitmapFont.measure(title, size: style.titleSize).height + p * 0.75
        let legendH = legendRow.isEmpty ? 0 : legendRowHeight(style)
        let top = (frame.y + p + titleH + legendH + tickBoxH / 2).rounded()
        let xr = xRange(), yr = yRange()

        let yCount = max(3, Int((frame.height - titleH - 120) / 75))
        let (yTicks, yMinor) = XYFrame.ticks(yAxis, range: yr, count: yCount)
        let yTickW = yTicks.map { BitmapFont.measure($0.label, size: style.tickSize).width }.max() ?? 0
        let left = (frame.x + p + (yAxis.label.isEmpty ? 0 : labelBoxH + 12) + yTickW + 8 + 5).rounded()
        let right = (frame.maxX - p - 14).rounded()
        let plotW = max(right - left, 10)

        var xTicks: [Tick] = [], xMinor: [Double] = []
        var vertical = false
        var xTickBlock = tickBoxH
        if let categories = xCategories {
            xTicks = categories.enumerated().map { Tick(value: Double($0.offset), label: $0.element) }
            let widest = categories.map { BitmapFont.measure($0, size: style.tickSize).width }.max() ?? 0
            if widest > plotW / Double(max(categories.count, 1)) - 16 {
                vertical = true
                xTickBlock = min(widest, frame.height * 0.3)
            }
        } else {
            var count = max(3, Int(plotW / 120))
            while true {
                (xTicks, xMinor) = XYFrame.ticks(xAxis, range: xr, count: count)
                let need = xTicks.map { BitmapFont.measure($0.label, size: style.tickSize).width + 16 }.reduce(0, +)
                if need <= plotW || count <= 2 { break }
                count -= 1
            }
        }
        let bottom = (frame.maxY - p - (xAxis.label.isEmpty ? 0 : labelBoxH + 10) - xTickBlock - 8 - 5).rounded()
        let plot = Rect(x: left, y: top, width: plotW, height: max(bottom - top, 10))
        let layout = ChartLayout(
            plotArea: plot,
            x: AxisTransform(scale: xCategories == nil ? xAxis.scale : .linear, lower: xr.lowerBound, upper: xr.upperBound,
                             pixelStart: plot.x, pixelEnd: plot.maxX),
            y: AxisTransform(scale: yAxis.scale, lower: yr.lowerBound, upper: yr.upperBound,
                             pixelStart: plot.maxY, pixelEnd: plot.y))
        return Resolved(frame: frame, layout: layout, xTicks: xTicks, yTicks: yTicks, xMinor: xMinor, yMinor: yMinor,
                        verticalXLabels: vertical)
    }

    /// Light grid lines behind the data (none across categories).
    func drawGrid(_ r: Resolved, on canvas: inout Canvas) {
        let plot = r.layout.plotArea
        canvas.clip = plot
        for v in r.yMinor { canvas.fillRect(hLine(r.layout.y.pixel(v), plot), color: Color(244, 244, 244)) }
        for v in r.xMinor { canvas.fillRect(vLine(r.layout.x.pixel(v), plot), color: Color(244, 244, 244)) }
        for t in r.yTicks { canvas.fillRect(hLine(r.layout.y.pixel(t.value), plot), color: Color(228, 228, 228)) }
        if xCategories == nil {
            for t in r.xTicks { canvas.fillRect(vLine(r.layout.x.pixel(t.value), plot), color: Color(228, 228, 228)) }
        }
        canvas.clip = nil
    }

    /// A one-pixel horizontal line snapped to the pixel row containing y.
    func hLine(_ y: Double, _ plot: Rect) -> Rect {
        Rect(x: plot.x, y: (y - 0.5).rounded(), width: plot.width, height: 1)
    }

    func vLine(_ x: Double, _ plot: Rect) -> Rect {
        Rect(x: (x - 0.5).rounded(), y: plot.y, width: 1, height: plot.height)
    }

    /// Frame, ticks, tick labels, axis titles and the plot title.
    func drawAxes(_ r: Resolved, on canvas: inout Canvas) {
        let plot = r.layout.plotArea
        let frameColor = Color(80, 80, 80)
        canvas.strokeRect(plot.inset(by: -1), color: frameColor, lineWidth: 1)
        let tickLen = 5.0
        for t in r.yTicks {
            let y = r.layout.y.pixel(t.value)
            guard y >= plot.y - 0.5, y <= plot.maxY + 0.5 else { continue }
            canvas.fillRect(Rect(x: plot.x - 1 - tickLen, y: (y - 0.5).rounded(), width: tickLen, height: 1), color: frameColor)
            canvas.drawText(t.label, at: Point(plot.x - tickLen - 8, y), size: style.tickSize, color: .ink,
                            align: .right, valign: .middle)
        }
        for v in r.yMinor {
            let y = r.layout.y.pixel(v)
            canvas.fillRect(Rect(x: plot.x - 1 - 3, y: (y - 0.5).rounded(), width: 3, height: 1), color: frameColor)
        }
        for t in r.xTicks {
            let x = r.layout.x.pixel(t.value)
            guard x >= plot.x - 0.5, x <= plot.maxX + 0.5 else { continue }
            canvas.fillRect(Rect(x: (x - 0.5).rounded(), y: plot.maxY + 1, width: 1, height: tickLen), color: frameColor)
            if r.verticalXLabels {
                canvas.drawText(t.label, at: Point(x + BitmapFont.ascent * BitmapFont.scale(for: style.tickSize) / 2, plot.maxY + tickLen + 8),
                                size: style.tickSize, color: .ink, align: .right, valign: .top, vertical: true)
            } else {
                canvas.drawText(t.label, at: Point(x, plot.maxY + tickLen + 8), size: style.tickSize, color: .ink,
                                align: .center, valign: .top)
            }
        }
        for v in r.xMinor {
            let x = r.layout.x.pixel(v)
            canvas.fillRect(Rect(x: (x - 0.5).rounded(), y: plot.maxY + 1, width: 1, height: 3), color: frameColor)
        }
        let p = style.padding
        if !xAxis.label.isEmpty {
            canvas.drawText(xAxis.label, at: Point(plot.midX, r.frame.maxY - p), size: style.labelSize, color: .ink,
                            align: .center, valign: .bottom)
        }
        if !yAxis.label.isEmpty {
            canvas.drawText(yAxis.label, at: Point(r.frame.x + p, plot.midY), size: style.labelSize, color: .ink,
                            align: .left, valign: .middle, vertical: true)
        }
        if !legendRow.isEmpty {
            drawLegendRow(legendRow, centreX: plot.midX, centreY: plot.y - BitmapFont.measure("0", size: style.tickSize).height / 2
                            - legendRowHeight(style) / 2, style: style, on: &canvas)
        }
        drawTitle(title, in: r.frame, style: style, on: &canvas)
    }

    /// Resolves the layout for a plot whose legend should sit inside the plot area; when every
    /// corner would hide more than a couple of data points, moves the legend to a row above the
    /// plot instead. Returns the layout and whether the caller still has to draw the legend inside.
    mutating func resolve(in frame: Rect, legend entries: [LegendEntry], avoid: (ChartLayout) -> [Point]) -> (Resolved, inside: Bool) {
        legendRow = []
        let r = resolve(in: frame)
        guard !entries.isEmpty else { return (r, false) }
        if legendCorner(entries, in: r.layout.plotArea, avoid: avoid(r.layout), style: style).score <= 2 { return (r, true) }
        legendRow = entries
        return (resolve(in: frame), false)
    }
}

func legendRowHeight(_ style: ChartStyle) -> Double { (style.tickSize * 1.9).rounded() }

/// Draws legend entries side by side, centred on a point (the legend row above a plot).
func drawLegendRow(_ entries: [LegendEntry], centreX: Double, centreY: Double, style: ChartStyle, on canvas: inout Canvas) {
    let sampleW = 36.0, gap = 28.0
    let widths = entries.map { sampleW + 8 + BitmapFont.measure($0.name, size: style.tickSize).width }
    var x = centreX - (widths.reduce(0, +) + gap * Double(max(entries.count - 1, 0))) / 2
    for (e, w) in zip(entries, widths) {
        drawSwatch(e, x: x, cy: centreY, width: sampleW, rowH: legendRowHeight(style), style: style, on: &canvas)
        canvas.drawText(e.name, at: Point(x + sampleW + 8, centreY), size: style.tickSize, color: .ink, align: .left, valign: .middle)
        x += w + gap
    }
}

func drawSwatch(_ e: LegendEntry, x sx: Double, cy: Double, width sampleW: Double, rowH: Double, style: ChartStyle, on canvas: inout Canvas) {
    switch e.swatch {
    case let .line(width, dashed, marker):
        canvas.drawLine(from: Point(sx, cy), to: Point(sx + sampleW, cy), color: e.color, width: width, dash: dashed ? [8, 5] : nil)
        if let marker { canvas.drawMarker(marker, at: Point(sx + sampleW / 2, cy), size: style.markerSize, color: e.color) }
    case let .marker(marker):
        canvas.drawMarker(marker, at: Point(sx + sampleW / 2, cy), size: style.markerSize + 1, color: e.color.withAlpha(1))
    case .box:
        canvas.fillRect(Rect(x: sx + 4, y: cy - rowH * 0.3, width: sampleW - 8, height: rowH * 0.6), color: e.color)
    }
}

/// The size of the boxed legend.
func legendBoxSize(_ entries: [LegendEntry], style: ChartStyle) -> (width: Double, height: Double) {
    let nameW = entries.map { BitmapFont.measure($0.name, size: style.tickSize).width }.max() ?? 0
    return ((10 + 36 + 8 + nameW + 10 + 2).rounded(), (Double(entries.count) * legendRowHeight(style) + 10).rounded())
}

/// The inside corner whose legend box covers the fewest points (ties prefer top right, top left,
/// bottom right, bottom left), and that count.
func legendCorner(_ entries: [LegendEntry], in plot: Rect, avoid: [Point], style: ChartStyle) -> (corner: Point, score: Int) {
    let (w, h) = legendBoxSize(entries, style: style)
    let m = 10.0
    let corners = [
        Point(plot.maxX - m - w, plot.y + m), Point(plot.x + m, plot.y + m),
        Point(plot.maxX - m - w, plot.maxY - m - h), Point(plot.x + m, plot.maxY - m - h),
    ]
    var best = corners[0], bestScore = Int.max
    for c in corners {
        let box = Rect(x: c.x - 4, y: c.y - 4, width: w + 8, height: h + 8)
        let score = avoid.reduce(0) { $0 + (box.contains($1) ? 1 : 0) }
        if score < bestScore { best = c; bestScore = score }
    }
    return (best, bestScore)
}

/// The plot title, bold and centred at the top of the frame.
func drawTitle(_ title: String, in frame: Rect, style: ChartStyle, on canvas: inout Canvas) {
    guard !title.isEmpty else { return }
    canvas.drawText(title, at: Point(frame.midX, frame.y + style.padding), size: style.titleSize, color: .ink,
                    align: .center, valign: .top, bold: true)
}

/// How a legend entry shows its series.
enum LegendSwatch {
    case line(width: Double, dashed: Bool, marker: Marker?)
    case marker(Marker)
    case box
}

/// One legend row.
struct LegendEntry {
    let name: String
    let color: Color
    let swatch: LegendSwatch
}

/// Draws a boxed legend inside the plot area in the corner that covers the fewest of `avoid`
/// (pixel positions of data), so it rarely hides data.
func drawLegend(_ entries: [LegendEntry], in plot: Rect, avoid: [Point], style: ChartStyle, on canvas: inout Canvas) {
    guard !entries.isEmpty else { return }
    let rowH = legendRowHeight(style), pad = 10.0
    let (w, h) = legendBoxSize(entries, style: style)
    let best = legendCorner(entries, in: plot, avoid: avoid, style: style).corner
    let box = Rect(x: best.x.rounded(), y: best.y.rounded(), width: w, height: h)
    canvas.fillRect(box, color: Color(255, 255, 255, 230))
    canvas.strokeRect(box, color: Color(200, 200, 200), lineWidth: 1)
    for (i, e) in entries.enumerated() {
        let cy = box.y + pad / 2 + rowH * (Double(i) + 0.5)
        drawSwatch(e, x: box.x + pad, cy: cy, width: 36, rowH: rowH, style: style, on: &canvas)
        canvas.drawText(e.name, at: Point(box.x + pad + 36 + 8, cy), size: style.tickSize, color: .ink, align: .left, valign: .middle)
    }
}

/// Points every few pixels along a polyline, so legend placement also avoids line segments.
func densify(_ points: [Point], spacing: Double = 6) -> [Point] {
    guard points.count > 1 else { return points.filter { $0.x.isFinite && $0.y.isFinite } }
    var out: [Point] = []
    for i in 1..<points.count {
        let a = points[i - 1], b = points[i]
        guard a.x.isFinite, a.y.isFinite, b.x.isFinite, b.y.isFinite else { continue }
        let d = ((b.x - a.x) * (b.x - a.x) + (b.y - a.y) * (b.y - a.y)).squareRoot()
        let n = min(Int(d / spacing) + 1, 400)
        for k in 0..<n { let t = Double(k) / Double(n); out.append(Point(a.x + (b.x - a.x) * t, a.y + (b.y - a.y) * t)) }
        out.append(b)
    }
    return out
}

/// Draws horizontal reference lines across the plot area (`labels == false`, before the data) or
/// their labels at the right end on a light backing (`labels == true`, after the data, so curves
/// never run through the text).
func drawReferenceLines(_ lines: [ReferenceLine], layout: ChartLayout, style: ChartStyle, labels: Bool, on canvas: inout Canvas) {
    let plot = layout.plotArea
    for line in lines {
        let y = layout.y.pixel(line.value)
        guard y.isFinite, y >= plot.y, y <= plot.maxY else { continue }
        if !labels {
            canvas.clip = plot
            canvas.drawLine(from: Point(plot.x, y), to: Point(plot.maxX, y), color: line.color, width: 1.75,
                            dash: line.dashed ? [10, 6] : nil)
            canvas.clip = nil
        } else if !line.label.isEmpty {
            let size = BitmapFont.measure(line.label, size: style.tickSize)
            let aboveTop = y - 7 - BitmapFont.ascent * BitmapFont.scale(for: style.tickSize)
            let labelTop = aboveTop > plot.y ? aboveTop : y + 6
            canvas.fillRect(Rect(x: plot.maxX - 12 - size.width, y: labelTop - 3, width: size.width + 8, height: size.height + 2),
                            color: Color(255, 255, 255, 210))
            let above = y - 6 - BitmapFont.measure("0", size: style.tickSize).height > plot.y
            canvas.drawText(line.label, at: Point(plot.maxX - 8, above ? y - 7 : y + 6), size: style.tickSize,
                            color: line.color, align: .right, valign: above ? .baseline : .top)
        }
    }
}
