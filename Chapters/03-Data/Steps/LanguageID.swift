#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Stage 2: language identification by a character-trigram naive Bayes classifier.
///
/// Each language is a bag of lowercase character trigrams (with spaces, so word starts and ends
/// count). Training counts trigrams per language; a text is scored by the sum over its trigrams
/// of log p(trigram | English) − log p(trigram | other), with add-one smoothing over a hashed
/// table, and called English when the mean per trigram is above zero (equal priors).
public struct LanguageID: Sendable {
    /// Trigram buckets (hashed): collisions only blur the two distributions a little.
    public static let buckets = 1 << 16
    /// Log-probability tables per language: [0] English, [1] the other language.
    let logProb: [[Double]]

    /// Trains on samples of each language.
    public init(english: [String], other: [String]) {
        func table(_ texts: [String]) -> [Double] {
            var counts = [Double](repeating: 1, count: Self.buckets)  // add-one smoothing
            for t in texts { for g in Self.trigrams(t) { counts[g] += 1 } }
            let total = counts.reduce(0, +)
            return counts.map { log($0 / total) }
        }
        logProb = [table(english), table(other)]
    }

    /// The bucket of every trigram of " text " (lowercased).
    static func trigrams(_ text: String) -> [Int] {
        let s = Array((" " + text.lowercased() + " ").unicodeScalars)
        guard s.count >= 3 else { return [] }
        return (0..<(s.count - 2)).map { i in
            let key = UInt64(s[i].value) << 42 ^ UInt64(s[i + 1].value) << 21 ^ UInt64(s[i + 2].value)
            return Int(splitmix(key) % UInt64(buckets))
        }
    }

    /// Mean log-likelihood ratio per trigram, English over other (positive: English).
    public func score(_ text: String) -> Double {
        let g = Self.trigrams(text)
        guard !g.isEmpty else { return 0 }
        var s = 0.0
        for b in g { s += logProb[0][b] - logProb[1][b] }
        return s / Double(g.count)
    }

    /// Whether `text` is English.
    public func isEnglish(_ text: String) -> Bool { score(text) > 0 }
}
