/// One set of bars in a `BarChart`: one value per category.
public struct BarSeries: Sendable {
    /// Legend name.
    public var name: String
    /// One value per category (NaN leaves a gap).
    public var values: [Double]
    /// Optional symmetric error per value, drawn as an error bar.
    public var errors: [Double]?
    /// Colour; nil takes the palette colour by series index.
    public var color: Color?

    /// Creates a series from [Float] or [Double] values.
    public init<T: BinaryFloatingPoint>(name: String, values: [T], errors: [T]? = nil, color: Color? = nil) {
        self.name = name
        self.values = doubles(values)
        self.errors = errors.map(doubles)
        self.color = color
    }
}

/// Bars grouped by category: one bar per series within each category, with optional error bars,
/// value labels and reference lines.
public struct BarChart: Chart {
    /// Title above the plot.
    public var title: String
    /// Category names along the x axis (turned vertical when they do not fit).
    public var categories: [String]
    /// The series; with more than one, bars stand side by side in each group and a legend shows.
    public var series: [BarSeries]
    /// X axis options (only the label is used).
    public var xAxis: AxisOptions
    /// Y axis options; the automatic range always includes zero.
    public var yAxis: AxisOptions
    /// Horizontal labelled lines (e.g. a baseline accuracy).
    public var referenceLines: [ReferenceLine]
    /// Writes each bar's value above it.
    public var showValues: Bool
    /// Canvas width for a standalone render.
    public var width: Int
    /// Canvas height for a standalone render.
    public var height: Int
    /// Text sizes.
    public var style: ChartStyle

    /// Creates a bar chart.
    public init(title: String, categories: [String], series: [BarSeries], xLabel: String = "", yLabel: String = "",
                referenceLines: [ReferenceLine] = [], showValues: Bool = false, width: Int = 1200, height: Int = 800) {
        self.title = title
        self.categories = categories
        self.series = series
        self.xAxis = AxisOptions(label: xLabel)
        self.yAxis = AxisOptions(label: yLabel, includeZero: true)
        self.referenceLines = referenceLines
        self.showValues = showValues
        self.width = width
        self.height = height
        self.style = ChartStyle()
    }

    /// Checks that every series has one value (and error) per category.
    public func validate() throws {
        for (i, s) in series.enumerated() {
            guard s.values.count == categories.count else {
                throw PlotError("BarChart \"\(title)\" series \(i) (\(s.name)): \(s.values.count) values for \(categories.count) categories")
            }
            if let e = s.errors, e.count != s.values.count {
                throw PlotError("BarChart \"\(title)\" series \(i) (\(s.name)): \(e.count) errors for \(s.values.count) values")
            }
        }
    }

    var frame: XYFrame {
        var f = XYFrame(title: title, xAxis: xAxis, yAxis: yAxis, style: style)
        f.xCategories = categories
        f.yAxis.includeZero = true
        for s in series {
            for (i, v) in s.values.enumerated() {
                f.yData.append(v)
                if let e = s.errors, i < e.count, e[i].isFinite { f.yData += [v - e[i], v + e[i]] }
            }
        }
        f.yData += referenceLines.map(\.value)
        if showValues, let hi = f.yData.filter(\.isFinite).max(), let lo = f.yData.filter(\.isFinite).min() {
            f.yData.append(hi + 0.06 * (hi - min(lo, 0)))  // headroom for the value labels
        }
        return f
    }

    /// Where the plot puts its axes; category i is centred at x = i.
    public func layout(in frame: Rect? = nil) -> ChartLayout {
        resolved(in: frame ?? Rect(x: 0, y: 0, width: Double(width), height: Double(height))).1.layout
    }

    var legendEntries: [LegendEntry] {
        series.count > 1 ? series.enumerated().map { LegendEntry(name: $1.name, color: $1.color ?? Palette.color($0), swatch: .box) } : []
    }

    /// Bar tops (and value-label tops) in pixels, for legend placement.
    func barTops(_ layout: ChartLayout) -> [Point] {
        let k = Double(max(series.count, 1)), barWidth = 0.8 / k
        var out: [Point] = []
        for (si, s) in series.enumerated() {
            for (ci, v) in s.values.enumerated() where v.isFinite {
                let left = Double(ci) - 0.4 + Double(si) * barWidth
                let top = v + (s.errors.flatMap { ci < $0.count && $0[ci].isFinite ? abs($0[ci]) : nil } ?? 0)
                var y = layout.y.pixel(top)
                if showValues { y -= BitmapFont.measure("0", size: style.tickSize).height + 6 }
                let base = layout.y.pixel(max(min(0, layout.y.upper), layout.y.lower))
                for t in stride(from: 0.0, through: 1.0, by: 0.1) {
                    let px = layout.x.pixel(left + barWidth * t)
                    out.append(Point(px, y))
                    // The bar bodies count too: a legend must not cover a bar.
                    for py in stride(from: min(y, base), through: max(y, base), by: 12) { out.append(Point(px, py)) }
                }
            }
        }
        return out
    }

    func resolved(in frame: Rect) -> (XYFrame, XYFrame.Resolved, Bool) {
        var f = self.frame
        let (r, inside) = f.resolve(in: frame, legend: legendEntries) { barTops($0) }
        return (f, r, inside)
    }

    /// Draws the chart into `frame` of `canvas`.
    public func draw(on canvas: inout Canvas, in frame: Rect) {
        let (f, r, legendInside) = resolved(in: frame)
        let layout = r.layout
        f.drawGrid(r, on: &canvas)
        canvas.clip = layout.plotArea
        let k = Double(max(series.count, 1))
        let groupWidth = 0.8, barWidth = groupWidth / k
        let baseY = layout.y.pixel(max(min(0, layout.y.upper), layout.y.lower))
        for (si, s) in series.enumerated() {
            let color = s.color ?? Palette.color(si)
            for (ci, v) in s.values.enumerated() where v.isFinite {
                let left = Double(ci) - groupWidth / 2 + Double(si) * barWidth
                let x0 = layout.x.pixel(left), x1 = layout.x.pixel(left + barWidth)
                let y = layout.y.pixel(v)
                let gap = k > 1 ? 1.0 : 0
                canvas.fillRect(Rect(x: x0 + gap, y: min(y, baseY), width: x1 - x0 - 2 * gap, height: abs(baseY - y)), color: color)
                if let e = s.errors, ci < e.count, e[ci].isFinite {
                    let cx = (x0 + x1) / 2, ya = layout.y.pixel(v - e[ci]), yb = layout.y.pixel(v + e[ci])
                    let ink = Color(40, 40, 40)
                    canvas.drawLine(from: Point(cx, ya), to: Point(cx, yb), color: ink, width: 1.5)
                    let cap = min(6, (x1 - x0) / 3)
                    canvas.drawLine(from: Point(cx - cap, ya), to: Point(cx + cap, ya), color: ink, width: 1.5)
                    canvas.drawLine(from: Point(cx - cap, yb), to: Point(cx + cap, yb), color: ink, width: 1.5)
                }
                if showValues {
                    let top = s.errors.flatMap { ci < $0.count && $0[ci].isFinite ? v + ($0[ci] * (v >= 0 ? 1 : -1)) : nil } ?? v
                    let ty = layout.y.pixel(top)
                    canvas.drawText(Ticks.compact(v), at: Point((x0 + x1) / 2, v >= 0 ? ty - 6 : ty + 6), size: style.tickSize,
                                    color: .ink, align: .center, valign: v >= 0 ? .baseline : .top)
                }
            }
        }
        canvas.clip = nil
        drawReferenceLines(referenceLines, layout: layout, style: style, labels: false, on: &canvas)
        // A solid zero line makes bar bases read as one baseline.
        canvas.fillRect(Rect(x: layout.plotArea.x, y: (baseY - 0.5).rounded(), width: layout.plotArea.width, height: 1), color: Color(80, 80, 80))
        drawReferenceLines(referenceLines, layout: layout, style: style, labels: true, on: &canvas)
        f.drawAxes(r, on: &canvas)
        if legendInside { drawLegend(legendEntries, in: layout.plotArea, avoid: barTops(layout), style: style, on: &canvas) }
    }

    /// One row per bar: category, series, value, error (empty when none).
    public func csv() -> CSVTable {
        var t = CSVTable(header: ["category", "series", "value", "error"])
        for s in series {
            for (i, v) in s.values.enumerated() {
                let e = s.errors.flatMap { i < $0.count ? CSVTable.number($0[i]) : nil } ?? ""
                t.rows.append([i < categories.count ? categories[i] : String(i), s.name, CSVTable.number(v), e])
            }
        }
        return t
    }
}
