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
