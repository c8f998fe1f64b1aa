import Foundation

/// Why a plot could not be saved: inconsistent data (naming the field, expected vs found) or a
/// file that could not be written.
public struct PlotError: Error, CustomStringConvertible, Equatable {
    /// What went wrong, naming the plot and field.
    public let message: String
    /// The file involved, when there is one.
    public let path: String?

    /// Creates an error.
    public init(_ message: String, path: String? = nil) {
        self.message = message
        self.path = path
    }

    /// One line for logs and test output.
    public var description: String { path.map { "plot error for \($0): \(message)" } ?? "plot error: \(message)" }
}

/// Text sizes and stroke widths shared by every plot. Sizes are capital heights in pixels; the
/// defaults are chosen to read on a projected slide at 1200x800.
public struct ChartStyle: Sendable {
    /// Plot title.
    public var titleSize: Double = 22
    /// Axis titles and colour-bar title.
    public var labelSize: Double = 17
    /// Tick labels, legend entries, category labels.
    public var tickSize: Double = 14
    /// Default data line width in pixels.
    public var lineWidth: Double = 2.5
    /// Default marker size in pixels.
    public var markerSize: Double = 9
    /// Margin around the whole plot in pixels.
    public var padding: Double = 16

    /// The default style.
    public init() {}
}

/// Anything that draws itself into a rectangle of a canvas and can list the numbers it shows.
/// Every plot type conforms; `Figure` arranges several of them.
public protocol Chart {
    /// Title drawn above the plot (may be empty).
    var title: String { get }
    /// Width in pixels of a standalone render.
    var width: Int { get }
    /// Height in pixels of a standalone render.
    var height: Int { get }
    /// Draws the whole plot (title, axes, data, legend) inside `frame`.
    func draw(on canvas: inout Canvas, in frame: Rect)
    /// The numbers behind the plot, one header row then data rows.
    func csv() -> CSVTable
    /// Throws a `PlotError` naming the field when the data are inconsistent (e.g. x and y lengths).
    func validate() throws
}

extension Chart {
    /// Default: nothing to check.
    public func validate() throws {}

    /// Renders the plot on a white RGB canvas of `width` x `height`.
    public func render() -> Canvas {
        var canvas = Canvas(width: width, height: height)
        draw(on: &canvas, in: Rect(x: 0, y: 0, width: Double(canvas.width), height: Double(canvas.height)))
        return canvas
    }

    /// The PNG bytes of `render()`; the same plot always gives the same bytes.
    public func pngBytes() throws -> [UInt8] {
        try validate()
        return try PNG.encode(render().image)
    }

    /// Writes the plot as a PNG at `pngPath` and its data as CSV beside it (same name, `.csv`),
    /// both atomically. Throws `PlotError` for bad data or an unwritable CSV, `PNGError` for the PNG.
    public func save(to pngPath: String) throws {
        try validate()
        let csvPath = Self.csvPath(for: pngPath)
        let bytes = try PNG.encode(render().image, path: pngPath)
        do {
            try AtomicFile.write(Array(csv().text.utf8), to: csvPath)
        } catch let failure as AtomicFile.Failure {
            throw PlotError(failure.reason, path: csvPath)
        }
        do {
            try AtomicFile.write(bytes, to: pngPath)
        } catch let failure as AtomicFile.Failure {
            throw PNGError(path: pngPath, kind: .io, message: failure.reason)
        }
    }

    /// The CSV path that goes with a PNG path: the extension replaced by (or extended with) `.csv`.
    public static func csvPath(for pngPath: String) -> String {
        let url = URL(fileURLWithPath: pngPath)
        return url.pathExtension.isEmpty ? pngPath + ".csv" : url.deletingPathExtension().path + ".csv"
    }
}

/// Where an x–y plot put its axes: the plot area and the data-to-pixel maps. Use it to place
/// annotations or to check where a data point landed.
public struct ChartLayout: Sendable {
    /// The rectangle inside the axes where data are drawn (and clipped).
    public let plotArea: Rect
    /// Horizontal data-to-pixel map.
    public let x: AxisTransform
    /// Vertical data-to-pixel map (larger values map higher, i.e. to smaller pixel y).
    public let y: AxisTransform

    /// The pixel position of a data point.
    public func point(_ dx: Double, _ dy: Double) -> Point { Point(x.pixel(dx), y.pixel(dy)) }
}

/// A horizontal line across the plot at a data value, with a label (e.g. "entropy floor").
public struct ReferenceLine: Sendable {
    /// The y value.
    public var value: Double
    /// Text drawn just above the line at its right end.
    public var label: String
    /// Line and label colour.
    public var color: Color
    /// Dashed (the default) or solid.
    public var dashed: Bool

    /// Creates a reference line.
    public init(value: Double, label: String = "", color: Color = Color(90, 90, 90), dashed: Bool = true) {
        self.value = value
        self.label = label
        self.color = color
        self.dashed = dashed
    }
}

/// Converts any floating-point array to Doubles (callers pass [Float] or [Double]).
@inline(__always)
func doubles<T: BinaryFloatingPoint>(_ values: [T]) -> [Double] { values.map { Double($0) } }
