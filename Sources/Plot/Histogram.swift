import Foundation

/// Counts of values in equal-width bins, for one or several overlaid samples (e.g. real data
/// against generated data).
public struct Histogram: Chart {
    /// One counted sample.
    public struct Sample: Sendable {
        /// Legend name.
        public var name: String
        /// One count per bin.
        public var counts: [Double]
        /// Colour; nil takes the palette colour by index.
        public var color: Color?

        /// Creates a sample from ready counts.
        public init(name: String, counts: [Double], color: Color? = nil) {
            self.name = name
            self.counts = counts
            self.color = color
        }
    }

    /// Title above the plot.
    public var title: String
    /// Bin edges, ascending; `edges.count == counts.count + 1` for every sample.
    public var edges: [Double]
    /// The samples, drawn in order (translucent when there are several).
    public var samples: [Sample]
    /// X axis options.
    public var xAxis: AxisOptions
    /// Y axis options (zero always included).
    public var yAxis: AxisOptions
    /// Canvas width for a standalone render.
    public var width: Int
    /// Canvas height for a standalone render.
    public var height: Int
    /// Text sizes.
    public var style: ChartStyle

    /// Creates a histogram from precomputed bin edges and counts.
    public init<T: BinaryFloatingPoint>(title: String, edges: [Double], counts: [T], xLabel: String = "",
                                        yLabel: String = "count", width: Int = 1200, height: Int = 800) {
        self.title = title
        self.edges = edges
        self.samples = [Sample(name: "", counts: doubles(counts))]
        self.xAxis = AxisOptions(label: xLabel)
        self.yAxis = AxisOptions(label: yLabel, includeZero: true)
        self.width = width
        self.height = height
        self.style = ChartStyle()
    }

    /// Bins one sample (finite values only) into `bins` equal bins over `range` (default: the data's
    /// extent). The last bin includes its right edge.
    public init<T: BinaryFloatingPoint>(title: String, values: [T], bins: Int = 30, range: ClosedRange<Double>? = nil,
                                        xLabel: String = "", yLabel: String = "count", width: Int = 1200, height: Int = 800) {
        self.init(title: title, samples: [("", values)], bins: bins, range: range, xLabel: xLabel, yLabel: yLabel,
                  width: width, height: height)
    }

    /// Bins several samples into the same bins so they can be compared, overlaid with transparency.
    public init<T: BinaryFloatingPoint>(title: String, samples: [(name: String, values: [T])], bins: Int = 30,
                                        range: ClosedRange<Double>? = nil, xLabel: String = "", yLabel: String = "count",
                                        width: Int = 1200, height: Int = 800) {
        let all = samples.flatMap { doubles($0.values) }.filter(\.isFinite)
        var lo = range?.lowerBound ?? all.min() ?? 0, hi = range?.upperBound ?? all.max() ?? 1
        if !(hi > lo) { lo -= 0.5; hi += 0.5 }
        let n = max(bins, 1)
        let edges = (0...n).map { lo + (hi - lo) * Double($0) / Double(n) }
        self.init(title: title, edges: edges, counts: [Double](), xLabel: xLabel, yLabel: yLabel, width: width, height: height)
        self.samples = samples.map { s in
            var counts = [Double](repeating: 0, count: n)
            for v in doubles(s.values) where v.isFinite && v >= lo && v <= hi {
                counts[min(Int((v - lo) / (hi - lo) * Double(n)), n - 1)] += 1
            }
            return Sample(name: s.name, counts: counts)
        }
    }

    /// Checks the edges are ascending and each sample has one count per bin.
    public func validate() throws {
        guard edges.count >= 2, zip(edges, edges.dropFirst()).allSatisfy({ $0 < $1 }) else {
            throw PlotError("Histogram \"\(title)\": bin edges must be at least two ascending values, found \(edges.count)")
        }
        for s in samples where s.counts.count != edges.count - 1 {
            throw PlotError("Histogram \"\(title)\" sample \(s.name): \(s.counts.count) counts for \(edges.count - 1) bins")
        }
    }

    var frame: XYFrame {
        var f = XYFrame(title: title, xAxis: xAxis, yAxis: yAxis, style: style)
        f.yAxis.includeZero = true
        f.xData = [edges.first ?? 0, edges.last ?? 1]
        f.yData = samples.flatMap(\.counts) + [0]
        return f
    }

    /// Where the plot puts its axes.
    public func layout(in frame: Rect? = nil) -> ChartLayout {
        resolved(in: frame ?? Rect(x: 0, y: 0, width: Double(width), height: Double(height))).1.layout
    }

    var legendEntries: [LegendEntry] {
        samples.count > 1 ? samples.enumerated().map { LegendEntry(name: $1.name, color: ($1.color ?? Palette.color($0)).withAlpha(0.6), swatch: .box) } : []
    }

    func binTops(_ layout: ChartLayout) -> [Point] {
        var out: [Point] = []
        for s in samples {
            for (i, c) in s.counts.enumerated() where i + 1 < edges.count && c.isFinite {
                for t in stride(from: 0.0, through: 1.0, by: 0.25) {
                    out.append(Point(layout.x.pixel(edges[i] + (edges[i + 1] - edges[i]) * t), layout.y.pixel(c)))
                }
            }
        }
        return out
    }

    func resolved(in frame: Rect) -> (XYFrame, XYFrame.Resolved, Bool) {
        var f = self.frame
        let (r, inside) = f.resolve(in: frame, legend: legendEntries) { binTops($0) }
        return (f, r, inside)
    }

    /// Draws the histogram into `frame` of `canvas`.
    public func draw(on canvas: inout Canvas, in frame: Rect) {
        let (f, r, legendInside) = resolved(in: frame)
        let layout = r.layout
        f.drawGrid(r, on: &canvas)
        canvas.clip = layout.plotArea
        let overlaid = samples.count > 1
        let base = layout.y.pixel(0)
        for (si, s) in samples.enumerated() {
            let color = s.color ?? Palette.color(si)
            var outline: [Point] = []
            for (i, c) in s.counts.enumerated() where i + 1 < edges.count && c.isFinite {
                let x0 = layout.x.pixel(edges[i]), x1 = layout.x.pixel(edges[i + 1]), y = layout.y.pixel(c)
                canvas.fillRect(Rect(x: x0, y: y, width: x1 - x0, height: base - y), color: overlaid ? color.withAlpha(0.45) : color)
                if !overlaid, x1 - x0 > 4 {
                    canvas.fillRect(Rect(x: (x1 - 0.5).rounded(), y: y, width: 1, height: base - y), color: .white)
                }
                outline += [Point(x0, y), Point(x1, y)]
            }
            if overlaid { canvas.drawPolyline(outline, color: color, width: 2) }
        }
        canvas.clip = nil
        f.drawAxes(r, on: &canvas)
        if legendInside { drawLegend(legendEntries, in: layout.plotArea, avoid: binTops(layout), style: style, on: &canvas) }
    }

    /// One row per bin and sample: sample, bin_start, bin_end, count.
    public func csv() -> CSVTable {
        var t = CSVTable(header: ["sample", "bin_start", "bin_end", "count"])
        for s in samples {
            for (i, c) in s.counts.enumerated() where i + 1 < edges.count {
                t.rows.append([s.name, CSVTable.number(edges[i]), CSVTable.number(edges[i + 1]), CSVTable.number(c)])
            }
        }
        return t
    }
}
