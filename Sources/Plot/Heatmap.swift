/// A matrix drawn as coloured cells with row and column labels, a colour bar and optional value
/// annotations (attention maps, confusion matrices, similarity matrices).
public struct Heatmap: Chart {
    /// Title above the plot.
    public var title: String
    /// Row-major values, `rows * columns` of them; NaN cells are drawn light grey.
    public var values: [Double]
    /// Number of rows (drawn top to bottom).
    public var rows: Int
    /// Number of columns (drawn left to right).
    public var columns: Int
    /// One label per row (e.g. query tokens), or empty for index labels.
    public var rowLabels: [String]
    /// One label per column (e.g. key tokens), or empty; turned vertical when they do not fit.
    public var columnLabels: [String]
    /// Title of the horizontal axis (below the column labels).
    public var xLabel: String
    /// Title of the vertical axis (left of the row labels).
    public var yLabel: String
    /// Title of the colour bar (units of the values).
    public var colorBarLabel: String
    /// Colour map; `.viridis` (sequential) by default, `.blueRed` for signed values.
    public var colormap: Colormap
    /// Value range mapped to the colormap ends; nil uses the data range (symmetric about 0 for
    /// diverging maps).
    public var range: ClosedRange<Double>?
    /// Writes each value in its cell when the cell is large enough.
    public var annotate: Bool
    /// Square cells (true by default; reads best for token-by-token maps).
    public var squareCells: Bool
    /// Label only every n-th column (0, n, 2n, …) and every m-th row, when set; otherwise the
    /// labels are thinned just enough not to overlap. A long time axis (hundreds of frames)
    /// reads better with a label every round interval than with the densest fit.
    public var columnLabelEvery: Int? = nil
    public var rowLabelEvery: Int? = nil
    /// Canvas width for a standalone render.
    public var width: Int
    /// Canvas height for a standalone render.
    public var height: Int
    /// Text sizes.
    public var style: ChartStyle

    /// Creates a heatmap from row-major values ([Float] or [Double]).
    public init<T: BinaryFloatingPoint>(title: String, values: [T], rows: Int, columns: Int, rowLabels: [String] = [],
                                        columnLabels: [String] = [], xLabel: String = "", yLabel: String = "",
                                        colorBarLabel: String = "", colormap: Colormap = .viridis,
                                        range: ClosedRange<Double>? = nil, annotate: Bool = false,
                                        width: Int = 1200, height: Int = 800) {
        self.title = title
        self.values = doubles(values)
        self.rows = rows
        self.columns = columns
        self.rowLabels = rowLabels
        self.columnLabels = columnLabels
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.colorBarLabel = colorBarLabel
        self.colormap = colormap
        self.range = range
        self.annotate = annotate
        self.squareCells = true
        self.width = width
        self.height = height
        self.style = ChartStyle()
    }

    /// Creates a heatmap from a list of rows (all the same length).
    public init<T: BinaryFloatingPoint>(title: String, matrix: [[T]], rowLabels: [String] = [], columnLabels: [String] = [],
                                        xLabel: String = "", yLabel: String = "", colorBarLabel: String = "",
                                        colormap: Colormap = .viridis, range: ClosedRange<Double>? = nil,
                                        annotate: Bool = false, width: Int = 1200, height: Int = 800) {
        let cols = matrix.map(\.count).max() ?? 0
        let flat = matrix.flatMap { row in doubles(row) + [Double](repeating: .nan, count: cols - row.count) }
        self.init(title: title, values: flat, rows: matrix.count, columns: cols, rowLabels: rowLabels,
                  columnLabels: columnLabels, xLabel: xLabel, yLabel: yLabel, colorBarLabel: colorBarLabel,
                  colormap: colormap, range: range, annotate: annotate, width: width, height: height)
    }

    /// Checks the value count and label counts.
    public func validate() throws {
        guard rows > 0, columns > 0, values.count == rows * columns else {
            throw PlotError("Heatmap \"\(title)\": \(values.count) values for \(rows)x\(columns) cells")
        }
        guard rowLabels.isEmpty || rowLabels.count == rows else {
            throw PlotError("Heatmap \"\(title)\": \(rowLabels.count) row labels, expected \(rows)")
        }
        guard columnLabels.isEmpty || columnLabels.count == columns else {
            throw PlotError("Heatmap \"\(title)\": \(columnLabels.count) column labels, expected \(columns)")
        }
    }

    /// The value range the colours span.
    public var colorRange: ClosedRange<Double> {
        if let range, range.upperBound > range.lowerBound { return range }
        let finite = values.filter(\.isFinite)
        guard var lo = finite.min(), var hi = finite.max() else { return 0...1 }
        if colormap.isDiverging {
            let m = max(abs(lo), abs(hi), 1e-12)
            return -m...m
        }
        if hi - lo < 1e-12 { lo -= 0.5; hi += 0.5 }
        return lo...hi
    }

    func label(row r: Int) -> String { rowLabels.count == rows ? rowLabels[r] : String(r) }
    func label(column c: Int) -> String { columnLabels.count == columns ? columnLabels[c] : String(c) }

    /// The cell grid rectangle when drawn into `frame` (the whole canvas by default).
    public func cellArea(in frame: Rect? = nil) -> Rect {
        geometry(in: frame ?? Rect(x: 0, y: 0, width: Double(width), height: Double(height))).grid
    }

    private struct Geometry {
        let grid: Rect
        let verticalColumns: Bool
        let bar: Rect
    }

    private func geometry(in frame: Rect) -> Geometry {
        let p = style.padding
        let tickH = BitmapFont.measure("0", size: style.tickSize).height
        let labelH = BitmapFont.measure("0", size: style.labelSize).height
        let titleH = title.isEmpty ? 0 : BitmapFont.measure(title, size: style.titleSize).height + p
        let rowW = (0..<max(rows, 0)).map { BitmapFont.measure(label(row: $0), size: style.tickSize).width }.max() ?? 0
        let colW = (0..<max(columns, 0)).map { BitmapFont.measure(label(column: $0), size: style.tickSize).width }.max() ?? 0
        let barTickW = barTicks().map { BitmapFont.measure($0.label, size: style.tickSize).width }.max() ?? 0
        let left = frame.x + p + (yLabel.isEmpty ? 0 : labelH + 12) + rowW + 8
        let right = frame.maxX - p - (colorBarLabel.isEmpty ? 0 : labelH + 12) - barTickW - 10 - 22 - 24
        let top = frame.y + p + titleH + 4
        let availW = max(right - left, 10)
        func bottom(_ colBlock: Double) -> Double { frame.maxY - p - (xLabel.isEmpty ? 0 : labelH + 10) - colBlock - 8 }
        var vertical = false
        var availH = max(bottom(tickH) - top, 10)
        var cellW = availW / Double(max(columns, 1))
        if colW > cellW * Double(columnLabelEvery ?? 1) - 6 {
            vertical = true
            availH = max(bottom(min(colW, frame.height * 0.3)) - top, 10)
        }
        var cellH = availH / Double(max(rows, 1))
        if squareCells { cellW = min(cellW, cellH); cellH = cellW }
        let gw = (cellW * Double(columns)).rounded(), gh = (cellH * Double(rows)).rounded()
        let gx = (left + (availW - gw) / 2).rounded()
        let grid = Rect(x: gx, y: top.rounded(), width: gw, height: gh)
        let bar = Rect(x: grid.maxX + 24, y: grid.y, width: 22, height: grid.height)
        return Geometry(grid: grid, verticalColumns: vertical, bar: bar)
    }

    private func barTicks() -> [Tick] {
        let r = colorRange
        let v = Ticks.linear(from: r.lowerBound, to: r.upperBound, count: 5)
        let step = v.count > 1 ? v[1] - v[0] : 1
        return zip(v, Ticks.labels(v, step: step)).map { Tick(value: $0, label: $1) }
    }

    /// Draws the heatmap into `frame` of `canvas`.
    public func draw(on canvas: inout Canvas, in frame: Rect) {
        guard rows > 0, columns > 0 else { drawTitle(title, in: frame, style: style, on: &canvas); return }
        let g = geometry(in: frame)
        let grid = g.grid
        let cw = grid.width / Double(columns), ch = grid.height / Double(rows)
        let cr = colorRange
        let span = cr.upperBound - cr.lowerBound
        // One text size for every annotation (the largest at which all of them fit), or none.
        var annotationSize: Double? = nil
        if annotate {
            let widest = (values.filter(\.isFinite).map { Double(BitmapFont.units(Ticks.compact($0))) }.max() ?? 0) / BitmapFont.ascent
            var size = style.tickSize
            while size > 9, widest * size > cw - 8 || size > ch * 0.55 { size -= 1 }
            if widest * size <= cw - 4 && size <= ch * 0.7 { annotationSize = size }
        }
        for r in 0..<rows {
            for c in 0..<columns {
                let v = r * columns + c < values.count ? values[r * columns + c] : .nan
                let x0 = (grid.x + Double(c) * cw).rounded(), x1 = (grid.x + Double(c + 1) * cw).rounded()
                let y0 = (grid.y + Double(r) * ch).rounded(), y1 = (grid.y + Double(r + 1) * ch).rounded()
                let color = colormap.color(at: v.isFinite ? (v - cr.lowerBound) / span : .nan)
                canvas.fillRect(Rect(x: x0, y: y0, width: x1 - x0, height: y1 - y0), color: color)
                if let size = annotationSize, v.isFinite {
                    canvas.drawText(Ticks.compact(v), at: Point((x0 + x1) / 2, (y0 + y1) / 2), size: size,
                                    color: color.luminance < 0.5 ? .white : .ink, align: .center, valign: .middle)
                }
            }
        }
        canvas.strokeRect(grid.inset(by: -1), color: Color(80, 80, 80), lineWidth: 1)
        // Row labels; thin them when cells are shorter than the text.
        let tickH = BitmapFont.measure("0", size: style.tickSize).height
        let rowEvery = rowLabelEvery ?? max(1, Int((tickH * 1.05 / ch).rounded(.up)))
        for r in stride(from: 0, to: rows, by: rowEvery) {
            canvas.drawText(label(row: r), at: Point(grid.x - 8, grid.y + (Double(r) + 0.5) * ch), size: style.tickSize,
                            color: .ink, align: .right, valign: .middle)
        }
        let capH = BitmapFont.ascent * BitmapFont.scale(for: style.tickSize)
        if g.verticalColumns {
            let every = columnLabelEvery ?? max(1, Int((tickH * 1.05 / cw).rounded(.up)))
            for c in stride(from: 0, to: columns, by: every) {
                canvas.drawText(label(column: c), at: Point(grid.x + (Double(c) + 0.5) * cw + capH / 2, grid.maxY + 8),
                                size: style.tickSize, color: .ink, align: .right, valign: .top, vertical: true)
            }
        } else {
            for c in stride(from: 0, to: columns, by: columnLabelEvery ?? 1) {
                canvas.drawText(label(column: c), at: Point(grid.x + (Double(c) + 0.5) * cw, grid.maxY + 8),
                                size: style.tickSize, color: .ink, align: .center, valign: .top)
            }
        }
        // Colour bar: top is the maximum.
        let bar = g.bar
        let by0 = Int(bar.y), by1 = Int(bar.maxY)
        for py in by0..<max(by1, by0 + 1) {
            let t = 1 - (Double(py) + 0.5 - bar.y) / max(bar.height, 1)
            canvas.fillRect(Rect(x: bar.x, y: Double(py), width: bar.width, height: 1), color: colormap.color(at: t))
        }
        canvas.strokeRect(bar.inset(by: -1), color: Color(80, 80, 80), lineWidth: 1)
        var tickRight = bar.maxX
        for t in barTicks() {
            let y = bar.maxY - (t.value - cr.lowerBound) / span * bar.height
            canvas.fillRect(Rect(x: bar.maxX + 1, y: (y - 0.5).rounded(), width: 5, height: 1), color: Color(80, 80, 80))
            canvas.drawText(t.label, at: Point(bar.maxX + 10, y), size: style.tickSize, color: .ink, align: .left, valign: .middle)
            tickRight = max(tickRight, bar.maxX + 10 + BitmapFont.measure(t.label, size: style.tickSize).width)
        }
        if !colorBarLabel.isEmpty {
            canvas.drawText(colorBarLabel, at: Point(tickRight + 12, bar.midY), size: style.labelSize, color: .ink,
                            align: .left, valign: .middle, vertical: true)
        }
        let p = style.padding
        if !xLabel.isEmpty {
            canvas.drawText(xLabel, at: Point(grid.midX, frame.maxY - p), size: style.labelSize, color: .ink, align: .center, valign: .bottom)
        }
        if !yLabel.isEmpty {
            let rowW = (0..<rows).map { BitmapFont.measure(label(row: $0), size: style.tickSize).width }.max() ?? 0
            let labelH = BitmapFont.measure("0", size: style.labelSize).height
            let x = max(frame.x + p, grid.x - 8 - rowW - 14 - labelH)
            canvas.drawText(yLabel, at: Point(x, grid.midY), size: style.labelSize, color: .ink,
                            align: .left, valign: .middle, vertical: true)
        }
        drawTitle(title, in: frame, style: style, on: &canvas)
    }

    /// One row per cell: row, column (indices), their labels and the value.
    public func csv() -> CSVTable {
        var t = CSVTable(header: ["row", "column", "row_label", "column_label", "value"])
        for r in 0..<max(rows, 0) {
            for c in 0..<max(columns, 0) where r * columns + c < values.count {
                t.rows.append([String(r), String(c), label(row: r), label(column: c), CSVTable.number(values[r * columns + c])])
            }
        }
        return t
    }
}
