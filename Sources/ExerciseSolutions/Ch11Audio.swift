import Foundation

/// Reference solutions to chapter 11's exercises.
public enum Ch11 {
    /// 0.5 − 0.5·cos(2πi/n).
    public static func hannWindow(_ n: Int) throws -> [Double] {
        (0..<n).map { 0.5 - 0.5 * cos(2 * Double.pi * Double($0) / Double(n)) }
    }

    /// |DFT(frame ⊙ window)|² for the non-negative frequencies.
    public static func powerSpectrum(frame: [Double], window: [Double]) throws -> [Double] {
        let n = frame.count
        let x = zip(frame, window).map { $0 * $1 }
        return (0...(n / 2)).map { k in
            var re = 0.0, im = 0.0
            for (i, value) in x.enumerated() {
                let theta = 2 * Double.pi * Double(k * i % n) / Double(n)
                re += value * cos(theta)
                im -= value * sin(theta)
            }
            return re * re + im * im
        }
    }

    /// Word-level Levenshtein distance over the reference length.
    public static func wordErrorRate(reference: String, hypothesis: String) throws -> Double {
        let r = reference.split(whereSeparator: \.isWhitespace), h = hypothesis.split(whereSeparator: \.isWhitespace)
        var previous = Array(0...h.count)
        for i in stride(from: 1, through: r.count, by: 1) {
            var row = [i] + [Int](repeating: 0, count: h.count)
            for j in stride(from: 1, through: h.count, by: 1) {
                row[j] = min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + (r[i - 1] == h[j - 1] ? 0 : 1))
            }
            previous = row
        }
        return Double(previous[h.count]) / Double(r.count)
    }
}
