/// Reference solutions to chapter 09's exercises.
public enum Ch09 {
    /// mean softplus(−l).
    public static func generatorLoss(fakeLogits: [Double]) throws -> Double {
        fakeLogits.reduce(0) { $0 + softplus(-$1) } / Double(fakeLogits.count)
    }

    /// mean softplus(−r) + mean softplus(f).
    public static func discriminatorLoss(realLogits: [Double], fakeLogits: [Double]) throws -> Double {
        try generatorLoss(fakeLogits: realLogits) + fakeLogits.reduce(0) { $0 + softplus($1) } / Double(fakeLogits.count)
    }

    /// Power iteration from the all-ones direction.
    public static func spectralNorm(_ w: [Double], rows: Int, columns: Int, iterations: Int) throws -> Double {
        func normalized(_ v: [Double]) -> [Double] {
            let n = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
            return n > 0 ? v.map { $0 / n } : v
        }
        let wt = transpose(w, rows, columns)
        var v = normalized([Double](repeating: 1, count: columns))
        for _ in 0..<iterations {
            let u = normalized(matmul(w, v, rows, columns, 1))
            v = normalized(matmul(wt, u, columns, rows, 1))
        }
        return matmul(w, v, rows, columns, 1).reduce(0) { $0 + $1 * $1 }.squareRoot()
    }
}
