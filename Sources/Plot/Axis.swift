import Foundation

/// How data values map to positions along an axis.
public enum AxisScale: Sendable {
    /// Equal data steps give equal distances.
    case linear
    /// Equal ratios give equal distances; non-positive values are skipped.
    case log10
}

/// The options of one axis of an x–y plot.
public struct AxisOptions: Sendable {
    /// Axis title, including units in brackets or parentheses when the caller has them.
    public var label: String
    /// Linear or logarithmic.
    public var scale: AxisScale
    /// Fixed data range; nil picks one from the data with a little padding.
    public var range: ClosedRange<Double>?
    /// Forces the automatic range to contain zero (bar charts, counts).
    public var includeZero: Bool
    /// A fixed step between ticks on a linear axis (e.g. 1 for whole counts); nil picks a 1-2-5 step.
    public var tickStep: Double? = nil

    /// Creates axis options.
    public init(label: String = "", scale: AxisScale = .linear, range: ClosedRange<Double>? = nil, includeZero: Bool = false) {
        self.label = label
        self.scale = scale
        self.range = range
        self.includeZero = includeZero
    }
}

/// The map from data values to canvas pixels along one axis, as the plot drew it. Tests and
/// callers use it to find where a data point landed.
public struct AxisTransform: Sendable {
    /// Linear or log10.
    public let scale: AxisScale
    /// Data value at `pixelStart`.
    public let lower: Double
    /// Data value at `pixelEnd`.
    public let upper: Double
    /// Pixel coordinate of `lower` (for y axes this is the bottom of the plot area).
    public let pixelStart: Double
    /// Pixel coordinate of `upper`.
    public let pixelEnd: Double

    /// Creates a transform.
    public init(scale: AxisScale, lower: Double, upper: Double, pixelStart: Double, pixelEnd: Double) {
        self.scale = scale
        self.lower = lower
        self.upper = upper
        self.pixelStart = pixelStart
        self.pixelEnd = pixelEnd
    }

    /// The pixel coordinate of a data value (NaN for values the scale cannot show).
    public func pixel(_ value: Double) -> Double {
        let t: Double
        switch scale {
        case .linear: t = (value - lower) / (upper - lower)
        case .log10:
            guard value > 0 else { return .nan }
            t = (Foundation.log10(value) - Foundation.log10(lower)) / (Foundation.log10(upper) - Foundation.log10(lower))
        }
        return pixelStart + t * (pixelEnd - pixelStart)
    }

    /// The data value at a pixel coordinate (inverse of `pixel`).
    public func value(atPixel p: Double) -> Double {
        let t = (p - pixelStart) / (pixelEnd - pixelStart)
        switch scale {
        case .linear: return lower + t * (upper - lower)
        case .log10: return pow(10, Foundation.log10(lower) + t * (Foundation.log10(upper) - Foundation.log10(lower)))
        }
    }
}

/// Chooses axis ranges from data.
public enum AxisRange {
    /// A padded range covering the finite values (positive ones only on a log scale). Constant
    /// data and a single value get a window around the value; no data gives [0, 1] (or [1, 10]).
    public static func auto(_ values: [Double], scale: AxisScale, padding: Double = 0.05, includeZero: Bool = false) -> ClosedRange<Double> {
        let usable = values.filter { $0.isFinite && (scale == .linear || $0 > 0) }
        switch scale {
        case .linear:
            guard var lo = usable.min(), var hi = usable.max() else { return 0...1 }
            if includeZero { lo = min(lo, 0); hi = max(hi, 0) }
            if hi - lo <= 1e-12 * max(abs(lo), abs(hi)) {
                let d = lo == 0 ? 1 : abs(lo) * 0.1
                return (lo - d)...(hi + d)
            }
            let pad = (hi - lo) * padding
            let padLo = includeZero && lo == 0 ? 0 : pad
            let padHi = includeZero && hi == 0 ? 0 : pad
            return (lo - padLo)...(hi + padHi)
        case .log10:
            guard let lo = usable.min(), let hi = usable.max() else { return 1...10 }
            var a = Foundation.log10(lo), b = Foundation.log10(hi)
            if b - a < 1e-9 { a -= 0.5; b += 0.5 } else {
                let pad = (b - a) * padding
                a -= pad; b += pad
            }
            return pow(10, a)...pow(10, b)
        }
    }
}
