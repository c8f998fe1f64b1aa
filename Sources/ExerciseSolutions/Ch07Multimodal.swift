/// Reference solutions to chapter 07's exercises.
public enum Ch07 {
    /// Each row over its norm; zero rows unchanged.
    public static func normalizeRows(_ m: [Double], rows: Int, columns: Int) throws -> [Double] {
        var out = m
        for i in 0..<rows {
            let norm = (0..<columns).reduce(0) { $0 + m[i * columns + $1] * m[i * columns + $1] }.squareRoot()
            if norm > 0 { for j in 0..<columns { out[i * columns + j] /= norm } }
        }
        return out
    }

    /// images·textsᵀ / τ.
    public static func similarityLogits(images: [Double], texts: [Double], m: Int, n: Int, d: Int,
                                        temperature: Double) throws -> [Double] {
        matmul(images, transpose(texts, n, d), m, d, n).map { $0 / temperature }
    }

    /// Half the row cross-entropy plus half the column cross-entropy, diagonal targets.
    public static func infoNCELoss(logits: [Double], n: Int) throws -> Double {
        var rowLoss = 0.0, columnLoss = 0.0
        for i in 0..<n {
            rowLoss += logSumExp((0..<n).map { logits[i * n + $0] }) - logits[i * n + i]
            columnLoss += logSumExp((0..<n).map { logits[$0 * n + i] }) - logits[i * n + i]
        }
        return (rowLoss + columnLoss) / (2 * Double(n))
    }
}
