import Foundation

/// Tick positions at round values and their labels.
public enum Ticks {
    /// The 1-2-5 step nearest to `span / count`: 1, 2 or 5 times a power of ten.
    public static func niceStep(span: Double, count: Int) -> Double {
        guard span > 0, span.isFinite else { return 1 }
        let raw = span / Double(max(count, 1))
        let magnitude = pow(10, (Foundation.log10(raw)).rounded(.down))
        let f = raw / magnitude
        let m: Double = f < 1.5 ? 1 : (f < 3.5 ? 2 : (f < 7.5 ? 5 : 10))
        return m * magnitude
    }

    /// Ticks at multiples of a 1-2-5 step inside [lo, hi], about `count` of them. Each tick is
    /// computed as k × step (never by repeated addition) so labels like 0.3 come out clean.
    public static func linear(from lo: Double, to hi: Double, count: Int = 6) -> [Double] {
        guard lo.isFinite, hi.isFinite, hi > lo else { return lo.isFinite ? [lo] : [] }
        let step = niceStep(span: hi - lo, count: count)
        let first = (lo / step - 1e-9).rounded(.up), last = (hi / step + 1e-9).rounded(.down)
        guard last >= first, last - first < 1000 else { return [] }
        // Rounding to one digit finer than the step removes float noise (0.6000000000000001 → 0.6).
        let scale = pow(10, max(0, -Foundation.log10(step).rounded(.down)) + 1)
        return stride(from: first, through: last, by: 1).map { k in
            let v = (k * step * scale).rounded() / scale
            return v == 0 ? 0 : v  // no "-0"
        }
    }

    /// Ticks at every multiple of `step` inside [lo, hi] (a caller's fixed step, e.g. whole counts).
    public static func multiples(of step: Double, from lo: Double, to hi: Double) -> [Double] {
        guard step > 0, step.isFinite, lo.isFinite, hi.isFinite, hi >= lo else { return [] }
        let first = (lo / step - 1e-9).rounded(.up), last = (hi / step + 1e-9).rounded(.down)
        guard last >= first, last - first < 1000 else { return [] }
        return stride(from: first, through: last, by: 1).map { k in k * step == 0 ? 0 : k * step }
    }

    /// Major ticks at powers of ten inside [lo, hi] (lo > 0) and minor ticks at 2…9 times them.
    /// Over many decades the majors skip decades (every 2nd, 5th, …) to stay readable.
    public static func log10(from lo: Double, to hi: Double, maxMajor: Int = 8) -> (major: [Double], minor: [Double]) {
        guard lo > 0, hi > lo, lo.isFinite, hi.isFinite else { return ([], []) }
        let e0 = Int(Foundation.log10(lo).rounded(.down)), e1 = Int(Foundation.log10(hi).rounded(.up))
        let decades = e1 - e0
        let every = decades <= maxMajor ? 1 : Int(niceStep(span: Double(decades), count: maxMajor).rounded())
        var major: [Double] = [], minor: [Double] = []
        for e in e0...e1 {
            let base = pow(10, Double(e))
            if e % every == 0, base >= lo * (1 - 1e-12), base <= hi * (1 + 1e-12) { major.append(base) }
            if every == 1 {
                for m in 2...9 {
                    let v = Double(m) * base
                    if v >= lo, v <= hi { minor.append(v) }
                }
            } else if e % every != 0, base >= lo, base <= hi {
                minor.append(base)
            }
        }
        return (major, minor)
    }

    /// Labels for linear ticks `values` spaced by `step`: as many decimals as the step needs, a
    /// typographic minus, and "m×10ⁿ" form for very large or very small magnitudes.
    public static func labels(_ values: [Double], step: Double) -> [String] {
        let biggest = values.map(abs).max() ?? 0
        if biggest >= 1e5 || (biggest > 0 && biggest < 1e-3) {
            let exponent = Int(Foundation.log10(biggest).rounded(.down))
            let scaledStep = step / pow(10, Double(exponent))
            let decimals = max(0, Int((-Foundation.log10(scaledStep) + 1e-9).rounded(.up)))
            return values.map { v in
                if v == 0 { return "0" }
                return format(v / pow(10, Double(exponent)), decimals: decimals) + "×10" + superscript(exponent)
            }
        }
        let decimals = step > 0 ? max(0, Int((-Foundation.log10(step) + 1e-9).rounded(.up))) : 2
        return values.map { format($0, decimals: min(decimals, 8)) }
    }

    /// "10ⁿ" with a superscript exponent, for log-axis majors.
    public static func powerLabel(_ value: Double) -> String {
        let e = Int(Foundation.log10(value).rounded())
        return "10" + superscript(e)
    }

    /// A number in fixed notation with a typographic minus (U+2212), which the font draws as wide as "+".
    public static func format(_ v: Double, decimals: Int) -> String {
        if v.isNaN { return "NaN" }
        if v.isInfinite { return v > 0 ? "∞" : "−∞" }
        var s = String(format: "%.\(decimals)f", v)
        if s.hasPrefix("-") {
            s.removeFirst()
            if s.allSatisfy({ $0 == "0" || $0 == "." }) { return s }
            s = "−" + s
        }
        return s
    }

    /// A short human label for an arbitrary value (cell annotations, bar values): 3 significant digits.
    public static func compact(_ v: Double) -> String {
        guard v.isFinite else { return format(v, decimals: 0) }
        let a = abs(v)
        if a != 0 && (a >= 1e5 || a < 1e-3) {
            let e = Int(Foundation.log10(a).rounded(.down))
            return format(v / pow(10, Double(e)), decimals: 1) + "×10" + superscript(e)
        }
        let decimals = a == 0 ? 0 : max(0, 2 - Int(Foundation.log10(a).rounded(.down)))
        var s = format(v, decimals: min(decimals, 4))
        if s.contains(".") {
            while s.hasSuffix("0") { s.removeLast() }
            if s.hasSuffix(".") { s.removeLast() }
        }
        return s
    }

    /// An integer written with superscript digits and minus.
    public static func superscript(_ n: Int) -> String {
        let digits: [Character] = ["⁰", "¹", "²", "³", "⁴", "⁵", "⁶", "⁷", "⁸", "⁹"]
        var out = n < 0 ? "⁻" : ""
        for ch in String(abs(n)) { out.append(digits[Int(String(ch))!]) }
        return out
    }
}
