import Foundation

// The number formats chapters write into their reports, defined once so every chapter prints
// numbers the same way.

/// `x` with `digits` decimals: `f(3.14159)` → `"3.142"`, `f(2.5, 0)` → `"2"` (C rounding: to even
/// at exact halves of the binary value).
public func f(_ x: Double, _ digits: Int = 3) -> String { String(format: "%.\(digits)f", x) }

/// `x` with `digits` decimals, for float32 values: `f(Float(0.5), 2)` → `"0.50"`.
public func f(_ x: Float, _ digits: Int = 3) -> String { f(Double(x), digits) }

/// `x` in a C format: `f(1234.5, "%.1e")` → `"1.2e+03"`.
public func f(_ x: Double, _ format: String) -> String { String(format: format, x) }

/// A share in 0…1 as a percentage with `digits` decimals: `pct(0.1234)` → `"12.3%"`; with
/// `space`, `"12.3 %"` (the style some chapters print).
public func pct(_ x: Double, _ digits: Int = 1, space: Bool = false) -> String {
    String(format: "%.\(digits)f", 100 * x) + (space ? " %" : "%")
}

/// An integer with thousands separators, as chapters print counts: `1234567` → `1,234,567`,
/// `-1234` → `-1,234`.
public func grouped(_ n: Int) -> String {
    let digits = String(n.magnitude)
    var out = n < 0 ? "-" : ""
    for (i, c) in digits.enumerated() {
        if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
        out.append(c)
    }
    return out
}
