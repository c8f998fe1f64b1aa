// Chapter 02, attention: the mask, the softmax and attention itself.
// Replace each `throw ExerciseError.notImplemented(…)` with your code, then run
// `swift run -c release grade 2`. Once `causalMask` passes, train a model with it:
// `swift run -c release ch02-attention -- --use-exercise causal-mask --quick`.
// Matrices are row-major: element (i, j) of an r×c matrix is m[i * c + j].

/// Chapter 02's exercises.
public enum Ch02 {
    /// Exercise 02.causal-mask: which keys each query may not see.
    ///
    /// - Task: return a t×t matrix in which entry (i, j) is true when key j is hidden from
    ///   query i, that is when j comes after i. A position always sees itself.
    /// - Shapes: t ≥ 1; the result has t·t values.
    /// - Hint: for t = 3 the rows are [F T T], [F F T], [F F F]. The diagonal is false.
    public static func causalMask(_ t: Int) throws -> [Bool] {
        throw ExerciseError.notImplemented("02.causal-mask")
    }

    /// Exercise 02.stable-softmax: softmax of one row of scores, safe for large and −∞ scores.
    ///
    /// - Task: return exp(sᵢ) / Σⱼ exp(sⱼ). A score of −∞ (a masked key) gets weight exactly 0.
    /// - Shapes: the result has as many values as `scores` (at least one is finite).
    /// - Hint: subtract the largest score before `exp`: the result is the same, and exp never
    ///   overflows (exp(1000) is +∞ in floating point; exp(1000 − 1000) is 1).
    public static func stableSoftmax(_ scores: [Double]) throws -> [Double] {
        throw ExerciseError.notImplemented("02.stable-softmax")
    }

    /// Exercise 02.attention: scaled dot-product attention over a sequence.
    ///
    /// - Task: output = softmax(q·kᵀ / √d)·v, the softmax taken over keys (each row), with the
    ///   causal mask applied before the softmax when `causal` is true.
    /// - Shapes: q, k and v are [t × d]; the output is [t × d].
    /// - Hint: score(i, j) = Σₐ q[i·d + a]·k[j·d + a] / √d. Reuse your `causalMask` and
    ///   `stableSoftmax`; output row i is Σⱼ weight(i, j)·(row j of v).
    public static func attention(q: [Double], k: [Double], v: [Double], t: Int, d: Int, causal: Bool) throws -> [Double] {
        throw ExerciseError.notImplemented("02.attention")
    }
}
