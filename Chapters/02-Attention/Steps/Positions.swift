import Engine

/// Step 4: attention sees a set, not a sequence.
///
/// Without positions, shuffling the input rows of a (non-causal) attention layer shuffles its
/// output rows the same way and changes nothing else: attention(P·x) = P·attention(x). Returns the
/// largest entry of |attention(P·x) − P·attention(x)|, where `x` is [T, d] and `permutation[i]`
/// is the source row of row i. Float rounding aside, this is 0.
public func permutationGap(_ attention: MultiHeadSelfAttention, _ x: Tensor, permutation: [Int]) -> Float {
    let t = x.shape[0], d = x.shape[1]
    precondition(permutation.sorted() == Array(0..<t), "not a permutation of 0..<\(t)")
    func permuted(_ a: Tensor) -> Tensor {
        let out = Tensor.zeros([t, d])
        for i in 0..<t { for j in 0..<d { out.storage.pointer[i * d + j] = a.data[permutation[i] * d + j] } }
        return out
    }
    return Tensor.noGrad {
        let a = attention(permuted(x).reshape([1, t, d])).reshape([t, d])
        let b = permuted(attention(x.reshape([1, t, d])).reshape([t, d]))
        var worst: Float = 0
        for i in 0..<(t * d) { worst = Swift.max(worst, abs(a.data[i] - b.data[i])) }
        return worst
    }
}

/// The gap of `permutationGap` when position vectors are added first: the rows move but their
/// positions stay, so each token now arrives with a different position and the outputs change.
/// Returns the largest entry of |attention(P·x + pos) − P·attention(x + pos)|.
public func permutationGapWithPositions(_ attention: MultiHeadSelfAttention, _ x: Tensor, positions: Tensor,
                                        permutation: [Int]) -> Float {
    let t = x.shape[0], d = x.shape[1]
    return Tensor.noGrad {
        let shuffled = Tensor.zeros([t, d])
        for i in 0..<t { for j in 0..<d { shuffled.storage.pointer[i * d + j] = x.data[permutation[i] * d + j] } }
        let a = attention((shuffled + positions).reshape([1, t, d])).reshape([t, d])
        let b0 = attention((x + positions).reshape([1, t, d])).reshape([t, d])
        var worst: Float = 0
        for i in 0..<t { for j in 0..<d { worst = Swift.max(worst, abs(a.data[i * d + j] - b0.data[permutation[i] * d + j])) } }
        return worst
    }
}

/// The sinusoidal position table of "Attention Is All You Need": row p, columns 2i and 2i+1 hold
/// sin(p·ωᵢ) and cos(p·ωᵢ) with ωᵢ = 10000^(−2i/d). Each pair is a clock turning at its own speed,
/// from one turn every 2π positions (i = 0) to very slow ones, so every position gets a distinct
/// pattern and a fixed offset is the same rotation wherever it starts.
public func sinusoidalPositions(count: Int, dim: Int) -> [[Float]] {
    precondition(dim % 2 == 0, "sinusoidal positions need an even width, got \(dim)")
    return (0..<count).map { p in
        var row = [Float](repeating: 0, count: dim)
        for i in 0..<(dim / 2) {
            let angle = Double(p) * pow(10_000, -2 * Double(i) / Double(dim))
            row[2 * i] = Float(sin(angle))
            row[2 * i + 1] = Float(cos(angle))
        }
        return row
    }
}

/// Cosine similarity between every pair of rows of `table` (e.g. position embeddings): nearby
/// positions of a useful table have similar vectors.
public func cosineSimilarities(_ table: [[Float]]) -> [[Float]] {
    let norms = table.map { r in r.reduce(Float(0)) { $0 + $1 * $1 }.squareRoot() }
    return table.indices.map { i in
        table.indices.map { j in
            zip(table[i], table[j]).reduce(Float(0)) { $0 + $1.0 * $1.1 } / Swift.max(norms[i] * norms[j], 1e-12)
        }
    }
}

/// The mean of `similarities[i][j]` over ordered pairs i ≠ j whose distance |i − j| passes `keep`
/// (0 when no pair does): e.g. how alike neighbouring positions' vectors are against distant ones.
public func meanSimilarity(_ similarities: [[Float]], distance keep: (Int) -> Bool) -> Double {
    var s = 0.0, n = 0
    for i in similarities.indices {
        for j in similarities[i].indices where i != j && keep(abs(i - j)) { s += Double(similarities[i][j]); n += 1 }
    }
    return n == 0 ? 0 : s / Double(n)
}

/// The columns of a position table (rows = positions) whose values span at least `minRange`
/// (max − min) over the rows: the features that actually tell these positions apart. In a
/// sinusoidal table the slow clocks barely turn over a short context, and their columns are
/// nearly constant.
public func varyingFeatures(_ table: [[Float]], minRange: Float) -> [Int] {
    guard let width = table.first?.count else { return [] }
    return (0..<width).filter { c in
        let column = table.map { $0[c] }
        return column.max()! - column.min()! >= minRange
    }
}
