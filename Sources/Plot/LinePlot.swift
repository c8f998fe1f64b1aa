/// One line of a `LinePlot`.
public struct LineSeries: Sendable {
    /// Legend name.
    public var name: String
    /// X values (same count as `y`).
    public var x: [Double]
    /// Y values; NaN or infinite values are skipped and break the line.
    public var y: [Double]
    /// Optional symmetric error (half-length of the error bar) per point.
    public var yError: [Double]?
    /// Optional marker drawn at every point.
    public var marker: Marker?
    /// Dashed line (for references or "predicted" curves).
    public var dashed: Bool
    /// Colour; nil takes the next palette colour by series index.
    public var color: Color?
    /// Line width in pixels; nil uses the style's default. Zero draws markers only.
    public var lineWidth: Double?

    /// Creates a series from x and y values ([Float] or [Double]).
    public init<T: BinaryFloatingPoint, U: BinaryFloatingPoint>(
        name: String, x: [T], y: [U], yError: [U]? = nil, marker: Marker? = nil, dashed: Bool = false,
        color: Color? = nil, lineWidth: Double? = nil
    ) {
        self.name = name
        self.x = doubles(x)
        self.y = doubles(y)
        self.yError = yError.map(doubles)
        self.marker = marker
        self.dashed = dashed
        self.color = color
        self.lineWidth = lineWidth
    }

    /// Creates a series plotted against 0, 1, 2, … (e.g. a loss per step).
    public init<U: BinaryFloatingPoint>(name: String, y: [U], marker: Marker? = nil, dashed: Bool = false, color: Color? = nil) {
        self.init(name: name, x: (0..<y.count).map(Double.init), y: y, marker: marker, dashed: dashed, color: color)
    }
}

/// Lines (with optional markers, dashes and error bars) on linear or log axes, with reference
/// lines and a legend when there is more than one series.
public struct LinePlot: Chart {
    /// Title above the plot.
    public var title: String
    /// X axis options (label with units, scale, fixed range).
    public var xAxis: AxisOptions
    /// Y axis options.
    public var yAxis: AxisOptions
    /// The lines, drawn in order.
    public var series: [LineSeries]
    /// Horizontal labelled lines (e.g. an entropy floor).
    public var referenceLines: [ReferenceLine]
    /// Legend visibility; nil shows it when there is more than one named series.
    public var showLegend: Bool?
    /// Canvas width for a standalone render.
    public var width: Int
    /// Canvas height for a standalone render.
    public var height: Int
    /// Text sizes and line widths.
    public var style: ChartStyle
    /// When true, the inside legend also keeps clear of the reference lines' labels, so a legend
    /// never hides a label such as "entropy floor" (off by default: existing figures keep their layout).
    public var legendAvoidsReferenceLabels = false

    /// Creates a line plot; add series through `series` or `add(_:)`.
    public init(title: String, xLabel: String = "", yLabel: String = "", xScale: AxisScale = .linear,
                yScale: AxisScale = .linear, series: [LineSeries] = [], referenceLines: [ReferenceLine] = [],
                width: Int = 1200, height: Int = 800) {
        self.title = title
        self.xAxis = AxisOptions(label: xLabel, scale: xScale)
        self.yAxis = AxisOptions(label: yLabel, scale: yScale)
        self.series = series
        self.referenceLines = referenceLines
        self.width = width
        self.height = height
        self.style = ChartStyle()
    }

    /// Appends a series.
    public mutating func add(_ s: LineSeries) { series.append(s) }

    /// The colour series `index` is drawn in.
    public func color(ofSeries index: Int) -> Color { series[index].color ?? Palette.color(index) }

    /// Checks that every series has as many y (and error) values as x values.
    public func validate() throws {
        for (i, s) in series.enumerated() {
            guard s.x.count == s.y.count else {
                throw PlotError("LinePlot \"\(title)\" series \(i) (\(s.name)): x has \(s.x.count) values, y has \(s.y.count)")
            }
            if let e = s.yError, e.count != s.y.count {
                throw PlotError("LinePlot \"\(title)\" series \(i) (\(s.name)): yError has \(e.count) values, expected \(s.y.count)")
            }
        }
    }

    var frame: XYFrame {
        var f = XYFrame(title: title, xAxis: xAxis, yAxis: yAxis, style: style)
        for s in series {
            let n = min(s.x.count, s.y.count)
            f.xData += s.x.prefix(n)
            f.yData += s.y.prefix(n)
            if let e = s.yError {
                for i in 0..<min(n, e.count) where e[i].isFinite {
                    f.yData.append(s.y[i] - e[i])
                    f.yData.append(s.y[i] + e[i])
                }
            }
        }
        f.yData += referenceLines.map(\.value)
        return f
    }

    /// Where the plot puts its axes when drawn into `frame` (the whole canvas by default).
    public func layout(in frame: Rect? = nil) -> ChartLayout {
        resolved(in: frame ?? Rect(x: 0, y: 0, width: Double(width), height: Double(height))).1.layout
    }

    var legendEntries: [LegendEntry] {
        let named = series.enumerated().filter { !$0.element.name.isEmpty }
        guard showLegend ?? (named.count > 1) else { return [] }
        return named.map { i, s in
            let w = s.lineWidth ?? style.lineWidth
            return LegendEntry(name: s.name, color: color(ofSeries: i), swatch: .line(width: w > 0 ? w : 0.01, dashed: s.dashed, marker: s.marker))
        }
    }

    /// Points covering the reference-line labels, when the legend must avoid them.
    func labelAvoidance(_ layout: ChartLayout) -> [Point] {
        legendAvoidsReferenceLabels ? referenceLabelPoints(referenceLines, layout: layout, style: style) : []
    }

    func pixelPoints(_ s: LineSeries, _ layout: ChartLayout) -> [Point] {
        (0..<min(s.x.count, s.y.count)).map { layout.point(s.x[$0], s.y[$0]) }
    }

    func resolved(in frame: Rect) -> (XYFrame, XYFrame.Resolved, Bool) {
        var f = self.frame
        let (r, inside) = f.resolve(in: frame, legend: legendEntries) { layout in
            series.flatMap { densify(pixelPoints($0, layout)) } + labelAvoidance(layout)
        }
        return (f, r, inside)
    }

    /// Draws the plot into `frame` of `canvas`.
    public func draw(on canvas: inout Canvas, in frame: Rect) {
        let (f, r, legendInside) = resolved(in: frame)
        let layout = r.layout
        f.drawGrid(r, on: &canvas)
        drawReferenceLines(referenceLines, layout: layout, style: style, labels: false, on: &canvas)
        canvas.clip = layout.plotArea
        var avoid: [Point] = []
        for (i, s) in series.enumerated() {
            let color = self.color(ofSeries: i)
            let n = min(s.x.count, s.y.count)
            let pts = pixelPoints(s, layout)
            let lw = s.lineWidth ?? style.lineWidth
            if let e = s.yError {
                for k in 0..<min(n, e.count) where e[k].isFinite && s.y[k].isFinite && s.x[k].isFinite {
                    let x = layout.x.pixel(s.x[k])
                    let y0 = layout.y.pixel(s.y[k] - e[k]), y1 = layout.y.pixel(s.y[k] + e[k])
                    guard y0.isFinite, y1.isFinite else { continue }
                    canvas.drawLine(from: Point(x, y0), to: Point(x, y1), color: color, width: 1.5)
                    canvas.drawLine(from: Point(x - 5, y0), to: Point(x + 5, y0), color: color, width: 1.5)
                    canvas.drawLine(from: Point(x - 5, y1), to: Point(x + 5, y1), color: color, width: 1.5)
                }
            }
            if lw > 0 { canvas.drawPolyline(pts, color: color, width: lw, dash: s.dashed ? [12, 7] : nil) }
            if let m = s.marker {
                for p in pts where p.x.isFinite && p.y.isFinite {
                    canvas.drawMarker(m, at: p, size: style.markerSize, color: color, outline: true)
                }
            }
            avoid += densify(pts)
        }
        avoid += labelAvoidance(layout)
        canvas.clip = nil
        drawReferenceLines(referenceLines, layout: layout, style: style, labels: true, on: &canvas)
        f.drawAxes(r, on: &canvas)
        if legendInside { drawLegend(legendEntries, in: layout.plotArea, avoid: avoid, style: style, on: &canvas) }
    }

    /// Long format: one row per point — series, x, y, y_error (empty when none).
    public func csv() -> CSVTable {
        var t = CSVTable(header: ["series", "x", "y", "y_error"])
        for s in series {
            for i in 0..<min(s.x.count, s.y.count) {
                let e = s.yError.flatMap { i < $0.count ? CSVTable.number($0[i]) : nil } ?? ""
                t.rows.append([s.name, CSVTable.number(s.x[i]), CSVTable.number(s.y[i]), e])
            }
        }
        return t
    }
}
