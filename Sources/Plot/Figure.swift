/// Several plots arranged in rows × columns under one overall title; saved like any plot, with
/// one CSV holding every panel's rows (a `panel` column first, the union of the panels' columns).
public struct Figure: Chart {
    /// Overall title.
    public var title: String
    /// Grid rows.
    public var rows: Int
    /// Grid columns.
    public var columns: Int
    /// Panels, filled row by row; each keeps its own title as a subtitle.
    public var panels: [any Chart]
    /// Canvas width.
    public var width: Int
    /// Canvas height.
    public var height: Int
    /// Text sizes (the overall title uses `titleSize + 4`).
    public var style: ChartStyle

    /// Creates a figure; the default size gives each panel about 800x560 pixels.
    public init(title: String, rows: Int, columns: Int, panels: [any Chart], width: Int? = nil, height: Int? = nil) {
        self.title = title
        self.rows = max(rows, 1)
        self.columns = max(columns, 1)
        self.panels = panels
        self.width = width ?? max(1200, 800 * max(columns, 1))
        self.height = height ?? max(800, 560 * max(rows, 1) + 60)
        self.style = ChartStyle()
    }

    /// Checks the panels fit the grid and each panel's own data.
    public func validate() throws {
        guard panels.count <= rows * columns else {
            throw PlotError("Figure \"\(title)\": \(panels.count) panels for a \(rows)x\(columns) grid")
        }
        for p in panels { try p.validate() }
    }

    /// The rectangle panel `index` is drawn in, for a frame (whole canvas by default).
    public func panelFrame(_ index: Int, in frame: Rect? = nil) -> Rect {
        let f = frame ?? Rect(x: 0, y: 0, width: Double(width), height: Double(height))
        var titleStyle = style
        titleStyle.titleSize += 4
        let top = title.isEmpty ? 0 : BitmapFont.measure(title, size: titleStyle.titleSize).height + style.padding * 1.5
        let cw = f.width / Double(columns), ch = (f.height - top) / Double(rows)
        let r = index / columns, c = index % columns
        return Rect(x: (f.x + Double(c) * cw).rounded(), y: (f.y + top + Double(r) * ch).rounded(), width: cw.rounded(), height: ch.rounded())
    }

    /// Draws the title and every panel into `frame`.
    public func draw(on canvas: inout Canvas, in frame: Rect) {
        var titleStyle = style
        titleStyle.titleSize += 4
        drawTitle(title, in: frame, style: titleStyle, on: &canvas)
        for (i, panel) in panels.enumerated() where i < rows * columns {
            panel.draw(on: &canvas, in: panelFrame(i, in: frame))
        }
    }

    /// Every panel's rows, prefixed by the panel number (1-based) and aligned under the union of
    /// the panels' column names.
    public func csv() -> CSVTable {
        let tables = panels.map { $0.csv() }
        var header: [String] = []
        for t in tables { for h in t.header where !header.contains(h) { header.append(h) } }
        var out = CSVTable(header: ["panel", "panel_title"] + header)
        for (i, t) in tables.enumerated() {
            let index = t.header.map { h in header.firstIndex(of: h)! }
            for row in t.rows {
                var full = [String](repeating: "", count: header.count)
                for (k, v) in row.enumerated() where k < index.count { full[index[k]] = v }
                out.rows.append([String(i + 1), panels[i].title] + full)
            }
        }
        return out
    }
}
