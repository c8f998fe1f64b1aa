/// Reference solutions to chapter 05's exercises.
public enum Ch05 {
    /// A running product of (1 − β).
    public static func alphaBar(betas: [Double]) throws -> [Double] {
        var product = 1.0
        return betas.map { product *= 1 - $0; return product }
    }

    /// √ᾱ·x₀ + √(1 − ᾱ)·ε.
    public static func noisySample(x0: [Double], noise: [Double], alphaBar: Double) throws -> [Double] {
        zip(x0, noise).map { alphaBar.squareRoot() * $0 + (1 - alphaBar).squareRoot() * $1 }
    }

    /// x̂₀ from the predicted noise, then re-noised to the earlier level with the same noise.
    public static func ddimStep(xt: [Double], predictedNoise: [Double], alphaBar: Double,
                                alphaBarPrevious: Double) throws -> [Double] {
        let x0 = zip(xt, predictedNoise).map { ($0 - (1 - alphaBar).squareRoot() * $1) / alphaBar.squareRoot() }
        return try noisySample(x0: x0, noise: predictedNoise, alphaBar: alphaBarPrevious)
    }
}
