/// Word and character error rates: how transcripts are scored in speech recognition.
///
/// The edit (Levenshtein) distance counts the fewest substitutions, deletions and insertions
/// that turn the recognised sequence into the reference. The error rate sums those edits over a
/// test set and divides by the number of reference units, so it can exceed 1 when a model
/// inserts much more than the reference holds.
public enum ErrorRates {
    /// The edit distance between two sequences (dynamic programming, one row at a time).
    public static func editDistance<T: Equatable>(_ a: [T], _ b: [T]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let substitute = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)
                current[j] = Swift.min(substitute, previous[j] + 1, current[j - 1] + 1)
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }

    /// Σ edits(words) / Σ reference words over pairs (reference, hypothesis).
    public static func wordErrorRate(references: [String], hypotheses: [String]) -> Double {
        precondition(references.count == hypotheses.count, "WER needs one hypothesis per reference")
        var edits = 0, total = 0
        for (r, h) in zip(references, hypotheses) {
            let rw = r.split(separator: " ").map(String.init), hw = h.split(separator: " ").map(String.init)
            edits += editDistance(rw, hw); total += rw.count
        }
        return Double(edits) / Double(Swift.max(total, 1))
    }

    /// Σ edits(characters) / Σ reference characters (spaces count as characters).
    public static func characterErrorRate(references: [String], hypotheses: [String]) -> Double {
        precondition(references.count == hypotheses.count, "CER needs one hypothesis per reference")
        var edits = 0, total = 0
        for (r, h) in zip(references, hypotheses) {
            edits += editDistance(Array(r), Array(h)); total += r.count
        }
        return Double(edits) / Double(Swift.max(total, 1))
    }
}
