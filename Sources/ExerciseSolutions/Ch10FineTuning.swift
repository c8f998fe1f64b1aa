/// Reference solutions to chapter 10's exercises.
public enum Ch10 {
    /// rank·(in + out) trainable and in·out frozen per layer.
    public static func loraParameterCount(layers: [(inFeatures: Int, outFeatures: Int)], rank: Int) throws -> (trainable: Int, frozen: Int) {
        (layers.reduce(0) { $0 + rank * ($1.inFeatures + $1.outFeatures) },
         layers.reduce(0) { $0 + $1.inFeatures * $1.outFeatures })
    }

    /// x·Wᵀ + (α/r)·(x·Aᵀ)·Bᵀ.
    public static func loraForward(x: [Double], weight: [Double], a: [Double], b: [Double], n: Int,
                                   inFeatures: Int, outFeatures: Int, rank: Int, alpha: Double) throws -> [Double] {
        let base = matmul(x, transpose(weight, outFeatures, inFeatures), n, inFeatures, outFeatures)
        let h = matmul(x, transpose(a, rank, inFeatures), n, inFeatures, rank)
        let update = matmul(h, transpose(b, outFeatures, rank), n, rank, outFeatures)
        return zip(base, update).map { $0 + alpha / Double(rank) * $1 }
    }

    /// W + (α/r)·B·A.
    public static func loraMerge(weight: [Double], a: [Double], b: [Double], inFeatures: Int, outFeatures: Int,
                                 rank: Int, alpha: Double) throws -> [Double] {
        zip(weight, matmul(b, a, outFeatures, rank, inFeatures)).map { $0 + alpha / Double(rank) * $1 }
    }
}
