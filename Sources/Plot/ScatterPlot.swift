/// A grid of values drawn as a light colour field behind scatter points, e.g. a classifier's
/// predicted class or probability over the plane (its decision boundary shows as the colour edge).
public struct BackgroundField: Sendable {
    /// What the values mean.
    public enum Kind: Sendable {
        /// Class indices (rounded); each cell takes its category's colour.
        case classes
        /// Probability of category 1 in [0, 1]; the colour blends from category 0 to category 1,
        /// and the p = 0.5 boundary is outlined.
        case probability
        /// Any scalar, mapped through a colormap over `range`.
        case scalar(Colormap, range: ClosedRange<Double>)
    }

    /// X extent covered by the grid.
    public var xRange: ClosedRange<Double>
    /// Y extent covered by the grid.
    public var yRange: ClosedRange<Double>
    /// Cells across.
    public var columns: Int
    /// Cells down.
    public var rows: Int
    /// `rows * columns` values, row-major, row 0 at the *bottom* (y = yRange.lowerBound), cell
    /// centres at lower + (i + 0.5) * cellSize, as a caller filling it from a meshgrid expects.
    public var values: [Double]
    /// Meaning of the values.
    public var kind: Kind
    /// Strength of the field's colour over white (0–1); small values keep points readable.
    public var opacity: Double

    /// Creates a field.
    public init<T: BinaryFloatingPoint>(xRange: ClosedRange<Double>, yRange: ClosedRange<Double>, columns: Int, rows: Int,
                                        values: [T], kind: Kind = .classes, opacity: Double = 0.22) {
        self.xRange = xRange
        self.yRange = yRange
        self.columns = columns
        self.rows = rows
        self.values = doubles(values)
        self.kind = kind
        self.opacity = opacity
    }

    /// The value at a data point, bilinearly interpolated between cell centres (nearest for classes).
    func value(x: Double, y: Double) -> Double? {
        guard columns > 0, rows > 0, values.count == rows * columns,
              xRange.contains(x), yRange.contains(y) else { return nil }
        let u = (x - xRange.lowerBound) / (xRange.upperBound - xRange.lowerBound) * Double(columns) - 0.5
        let v = (y - yRange.lowerBound) / (yRange.upperBound - yRange.lowerBound) * Double(rows) - 0.5
        if case .classes = kind {
            let c = min(max(Int(u.rounded()), 0), columns - 1), r = min(max(Int(v.rounded()), 0), rows - 1)
            return values[r * columns + c]
        }
        let c0 = min(max(Int(u.rounded(.down)), 0), columns - 1), r0 = min(max(Int(v.rounded(.down)), 0), rows - 1)
        let c1 = min(c0 + 1, columns - 1), r1 = min(r0 + 1, rows - 1)
        let tx = min(max(u - Double(c0), 0), 1), ty = min(max(v - Double(r0), 0), 1)
        let a = values[r0 * columns + c0] * (1 - tx) + values[r0 * columns + c1] * tx
        let b = values[r1 * columns + c0] * (1 - tx) + values[r1 * columns + c1] * tx
        return a * (1 - ty) + b * ty
    }
}

/// Points coloured by category, with a legend, optional overlaid lines and an optional background
/// field (decision regions).
public struct ScatterPlot: Chart {
    /// Title above the plot.
    public var title: String
    /// X axis options.
    public var xAxis: AxisOptions
    /// Y axis options.
    public var yAxis: AxisOptions
    /// Point x values.
    public var x: [Double]
    /// Point y values (same count as x).
    public var y: [Double]
    /// Category index per point (0-based; same count as x), or empty for one category.
    public var category: [Int]
    /// Legend names per category; the legend shows when there are two or more.
    public var categoryNames: [String]
    /// Marker per category (cycled); default all circles.
    public var markers: [Marker]
    /// Colour per category; default the Okabe–Ito palette.
    public var colors: [Color]
    /// Point diameter in pixels.
    public var pointSize: Double
    /// Point opacity (lower for thousands of overlapping points).
    public var alpha: Double
    /// Lines drawn over the points (e.g. a fitted curve or trajectories).
    public var lines: [LineSeries]
    /// Optional light colour field behind everything.
    public var background: BackgroundField?
    /// Canvas width for a standalone render.
    public var width: Int
    /// Canvas height for a standalone render.
    public var height: Int
    /// Text sizes and line widths.
    public var style: ChartStyle

    /// Creates a scatter plot from [Float] or [Double] coordinates.
    public init<T: BinaryFloatingPoint>(title: String, xLabel: String = "", yLabel: String = "", x: [T], y: [T],
                                        category: [Int] = [], categoryNames: [String] = [], pointSize: Double = 7,
                                        alpha: Double = 0.8, width: Int = 1200, height: Int = 800) {
        self.title = title
        self.xAxis = AxisOptions(label: xLabel)
        self.yAxis = AxisOptions(label: yLabel)
        self.x = doubles(x)
        self.y = doubles(y)
        self.category = category
        self.categoryNames = categoryNames
        self.markers = [.circle]
        self.colors = Palette.okabeIto
        self.pointSize = pointSize
        self.alpha = alpha
        self.lines = []
        self.background = nil
        self.width = width
        self.height = height
        self.style = ChartStyle()
    }

    func color(_ c: Int) -> Color { colors.isEmpty ? Palette.color(c) : colors[((c % colors.count) + colors.count) % colors.count] }
    func marker(_ c: Int) -> Marker { markers.isEmpty ? .circle : markers[((c % markers.count) + markers.count) % markers.count] }

    /// Checks that x, y and category have matching counts and the field has rows × columns values.
    public func validate() throws {
        guard x.count == y.count else { throw PlotError("ScatterPlot \"\(title)\": x has \(x.count) values, y has \(y.count)") }
        guard category.isEmpty || category.count == x.count else {
            throw PlotError("ScatterPlot \"\(title)\": category has \(category.count) values, expected \(x.count)")
        }
        if let b = background, b.values.count != b.rows * b.columns {
            throw PlotError("ScatterPlot \"\(title)\": background has \(b.values.count) values, expected \(b.rows)x\(b.columns)")
        }
        try LinePlot(title: title, series: lines).validate()
    }

    var frame: XYFrame {
        var f = XYFrame(title: title, xAxis: xAxis, yAxis: yAxis, style: style)
        f.xData = x + lines.flatMap(\.x)
        f.yData = y + lines.flatMap(\.y)
        if let b = background, xAxis.range == nil, yAxis.range == nil, x.isEmpty {
            f.xData += [b.xRange.lowerBound, b.xRange.upperBound]
            f.yData += [b.yRange.lowerBound, b.yRange.upperBound]
        }
        return f
    }

    /// Where the plot puts its axes when drawn into `frame` (the whole canvas by default).
    public func layout(in frame: Rect? = nil) -> ChartLayout {
        resolved(in: frame ?? Rect(x: 0, y: 0, width: Double(width), height: Double(height))).1.layout
    }

    var legendEntries: [LegendEntry] {
        var entries: [LegendEntry] = categoryNames.enumerated().map {
            LegendEntry(name: $0.element, color: color($0.offset), swatch: .marker(marker($0.offset)))
        }
        for (i, s) in lines.enumerated() where !s.name.isEmpty {
            entries.append(LegendEntry(name: s.name, color: s.color ?? Palette.color(Set(category).count + i),
                                       swatch: .line(width: s.lineWidth ?? style.lineWidth, dashed: s.dashed, marker: nil)))
        }
        return entries.count > 1 ? entries : []
    }

    func dataPoints(_ layout: ChartLayout) -> [Point] {
        (0..<min(x.count, y.count)).map { layout.point(x[$0], y[$0]) }
            + lines.flatMap { s in densify((0..<min(s.x.count, s.y.count)).map { layout.point(s.x[$0], s.y[$0]) }) }
    }

    func resolved(in frame: Rect) -> (XYFrame, XYFrame.Resolved, Bool) {
        var f = self.frame
        let (r, inside) = f.resolve(in: frame, legend: legendEntries) { dataPoints($0) }
        return (f, r, inside)
    }

    /// Draws the plot into `frame` of `canvas`.
    public func draw(on canvas: inout Canvas, in frame: Rect) {
        let (f, r, legendInside) = resolved(in: frame)
        let layout = r.layout
        let plot = layout.plotArea
        if let b = background { drawField(b, layout: layout, on: &canvas) }
        f.drawGrid(r, on: &canvas)
        canvas.clip = plot
        var avoid: [Point] = []
        let n = min(x.count, y.count)
        for i in 0..<n where x[i].isFinite && y[i].isFinite {
            let c = category.count == n ? category[i] : 0
            let p = layout.point(x[i], y[i])
            canvas.drawMarker(marker(c), at: p, size: pointSize, color: color(c).withAlpha(alpha), outline: alpha >= 0.7)
            avoid.append(p)
        }
        for (i, s) in lines.enumerated() {
            let pts = (0..<min(s.x.count, s.y.count)).map { layout.point(s.x[$0], s.y[$0]) }
            canvas.drawPolyline(pts, color: s.color ?? Palette.color(Set(category).count + i), width: s.lineWidth ?? style.lineWidth,
                                dash: s.dashed ? [12, 7] : nil)
            avoid += densify(pts)
        }
        canvas.clip = nil
        f.drawAxes(r, on: &canvas)
        if legendInside { drawLegend(legendEntries, in: plot, avoid: avoid, style: style, on: &canvas) }
    }

    private func drawField(_ b: BackgroundField, layout: ChartLayout, on canvas: inout Canvas) {
        let plot = layout.plotArea
        let x0 = Int(plot.x), x1 = Int(plot.maxX), y0 = Int(plot.y), y1 = Int(plot.maxY)
        guard x0 < x1, y0 < y1 else { return }
        let w = x1 - x0
        var field = [Double](repeating: .nan, count: w * (y1 - y0))
        for py in y0..<y1 {
            let dy = layout.y.value(atPixel: Double(py) + 0.5)
            for px in x0..<x1 {
                if let v = b.value(x: layout.x.value(atPixel: Double(px) + 0.5), y: dy) { field[(py - y0) * w + px - x0] = v }
            }
        }
        for py in y0..<y1 {
            for px in x0..<x1 {
                let v = field[(py - y0) * w + px - x0]
                guard v.isFinite else { continue }
                let c: Color
                var edge = false
                switch b.kind {
                case .classes:
                    c = color(Int(v.rounded()))
                    if px + 1 < x1, field[(py - y0) * w + px + 1 - x0] != v { edge = true }
                    if py + 1 < y1, field[(py + 1 - y0) * w + px - x0] != v { edge = true }
                case .probability:
                    let a = color(0), d = color(1), t = min(max(v, 0), 1)
                    func mix(_ p: UInt8, _ q: UInt8) -> UInt8 { UInt8((Double(p) * (1 - t) + Double(q) * t).rounded()) }
                    c = Color(mix(a.r, d.r), mix(a.g, d.g), mix(a.b, d.b))
                    if px + 1 < x1, (field[(py - y0) * w + px + 1 - x0] >= 0.5) != (v >= 0.5) { edge = true }
                    if py + 1 < y1, (field[(py + 1 - y0) * w + px - x0] >= 0.5) != (v >= 0.5) { edge = true }
                case let .scalar(map, range):
                    c = map.color(at: (v - range.lowerBound) / max(range.upperBound - range.lowerBound, 1e-300))
                }
                canvas.blend(x: px, y: py, color: c, coverage: b.opacity)
                if edge { canvas.blend(x: px, y: py, color: Color(60, 60, 60), coverage: 0.6) }
            }
        }
    }

    /// One row per point: x, y, category (index) and category name; overlaid lines follow as
    /// rows with category "line:<name>".
    public func csv() -> CSVTable {
        var t = CSVTable(header: ["x", "y", "category", "category_name"])
        let n = min(x.count, y.count)
        for i in 0..<n {
            let c = category.count == n ? category[i] : 0
            t.rows.append([CSVTable.number(x[i]), CSVTable.number(y[i]), String(c), c < categoryNames.count && c >= 0 ? categoryNames[c] : ""])
        }
        for s in lines {
            for i in 0..<min(s.x.count, s.y.count) {
                t.rows.append([CSVTable.number(s.x[i]), CSVTable.number(s.y[i]), "", "line:" + s.name])
            }
        }
        return t
    }
}
