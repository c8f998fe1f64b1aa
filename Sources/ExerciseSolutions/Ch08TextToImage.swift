/// Reference solutions to chapter 08's exercises.
public enum Ch08 {
    /// ε̂(∅) + w·(ε̂(c) − ε̂(∅)).
    public static func guidedNoise(unconditional: [Double], conditional: [Double], scale: Double) throws -> [Double] {
        zip(unconditional, conditional).map { $0 + scale * ($1 - $0) }
    }

    /// Row-wise softmax of queries·keysᵀ/√d.
    public static func crossAttentionWeights(queries: [Double], keys: [Double], pixels: Int, tokens: Int,
                                             d: Int) throws -> [Double] {
        try crossAttentionWeights(queries, keys, pixels, tokens, d, [Bool](repeating: true, count: tokens))
    }

    /// The masked weights times the values.
    public static func crossAttention(queries: [Double], keys: [Double], values: [Double], pixels: Int,
                                      tokens: Int, d: Int, tokenMask: [Bool]) throws -> [Double] {
        let w = try crossAttentionWeights(queries, keys, pixels, tokens, d, tokenMask)
        return matmul(w, values, pixels, tokens, d)
    }

    /// Scores with padded tokens at −∞, softmaxed per pixel.
    static func crossAttentionWeights(_ q: [Double], _ k: [Double], _ pixels: Int, _ tokens: Int, _ d: Int,
                                      _ mask: [Bool]) throws -> [Double] {
        let scores = matmul(q, transpose(k, tokens, d), pixels, d, tokens)
        var out: [Double] = []
        for p in 0..<pixels {
            let row = (0..<tokens).map { mask[$0] ? scores[p * tokens + $0] / Double(d).squareRoot() : -Double.infinity }
            out += try Ch02.stableSoftmax(row)
        }
        return out
    }
}
