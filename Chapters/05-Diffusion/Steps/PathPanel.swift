import Plot

/// A scatter panel with sample paths drawn over it and a marker at each path's start and end
/// drawn last, so the lines never hide where a path begins (pure noise) and where it ends (the
/// sample). The start and end markers appear in the legend.
public struct PathPanel: Chart {
    /// The scatter underneath (its points, axes and ranges); the paths become its lines.
    public var base: ScatterPlot
    /// Each path as [n][2] flattened points, in the order they were visited.
    public var paths: [[Float]]
    /// Marker and name of the first point of every path.
    public let start: (marker: Marker, name: String)
    /// Marker and name of the last point of every path.
    public let end: (marker: Marker, name: String)
    /// Marker diameter in pixels.
    public var markerSize: Double = 16

    /// A panel of `paths` over `base`; each path gets its own colour.
    public init(base: ScatterPlot, paths: [[Float]], lineWidth: Double = 1.5,
                start: (marker: Marker, name: String) = (.circle, "start"),
                end: (marker: Marker, name: String) = (.diamond, "end")) {
        self.start = start
        self.end = end
        var b = base
        b.lines = paths.map { p in
            LineSeries(name: "", x: (0..<(p.count / 2)).map { p[2 * $0] }, y: (0..<(p.count / 2)).map { p[2 * $0 + 1] }, lineWidth: lineWidth)
        }
        // Two extra, empty categories give the legend a swatch for the start and the end marker.
        b.categoryNames = [b.categoryNames.first ?? "samples", start.name, end.name]
        b.markers = [.circle, start.marker, end.marker]
        b.colors = [Palette.okabeIto[0], Color(30, 30, 30), Color(30, 30, 30)]
        if b.category.count != b.x.count { b.category = [Int](repeating: 0, count: b.x.count) }
        self.base = b
        self.paths = paths
    }

    public var title: String { base.title }
    public var width: Int { base.width }
    public var height: Int { base.height }
    public func validate() throws {
        try base.validate()
        for (i, p) in paths.enumerated() where p.count < 4 || p.count % 2 != 0 {
            throw PlotError("PathPanel \"\(title)\": path \(i) has \(p.count) values, expected an even count of at least 4")
        }
    }

    /// Draws the scatter and its paths, then the start and end markers on top (same layout).
    public func draw(on canvas: inout Canvas, in frame: Rect) {
        base.draw(on: &canvas, in: frame)
        let layout = base.layout(in: frame)
        canvas.clip = layout.plotArea
        for (i, p) in paths.enumerated() where p.count >= 4 {
            let colour = Palette.color(Set(base.category).count + i)
            let a = layout.point(Double(p[0]), Double(p[1]))
            let b = layout.point(Double(p[p.count - 2]), Double(p[p.count - 1]))
            canvas.drawMarker(start.marker, at: a, size: markerSize, color: colour, outline: true)
            canvas.drawMarker(end.marker, at: b, size: markerSize, color: colour, outline: true)
        }
        canvas.clip = nil
    }

    /// The scatter's rows (points and path lines).
    public func csv() -> CSVTable { base.csv() }
}
