// Chapter 00, the engine: gradients by finite differences and by hand.
// Replace each `throw ExerciseError.notImplemented(…)` with your code, then run
// `swift run -c release grade 0`. Matrices are row-major: element (i, j) of an r×c matrix is m[i * c + j].

/// Chapter 00's exercises.
public enum Ch00 {
    /// Exercise 00.central-difference: the gradient of `f` at `x` by central differences.
    ///
    /// - Task: for each coordinate i, return (f(x + h·eᵢ) − f(x − h·eᵢ)) / (2h).
    /// - Shapes: `x` has n values; the result has n values.
    /// - Hint: the forward difference (f(x + h) − f(x)) / h has an error proportional to h; the
    ///   central one cancels that term, leaving an error proportional to h². Use the `h` given.
    public static func centralDifference(_ f: ([Double]) -> Double, at x: [Double], h: Double) throws -> [Double] {
        throw ExerciseError.notImplemented("00.central-difference")
    }

    /// Exercise 00.linear-backward: the backward pass of a linear layer y = x·Wᵀ + b.
    ///
    /// - Task: given the upstream gradient g = ∂L/∂y, return ∂L/∂x, ∂L/∂W and ∂L/∂b.
    /// - Shapes: x is [n × inFeatures], w is [outFeatures × inFeatures] (PyTorch's layout),
    ///   upstream is [n × outFeatures]; dx is [n × in], dw is [out × in], db has `outFeatures` values.
    /// - Hint: dx = g·W, dW = gᵀ·x, db = the sum of g over the n rows. Check each shape before you
    ///   write the loop: a transposed product has the wrong shape unless in = out.
    public static func linearBackward(x: [Double], w: [Double], upstream: [Double], n: Int, inFeatures: Int,
                                      outFeatures: Int) throws -> (dx: [Double], dw: [Double], db: [Double]) {
        throw ExerciseError.notImplemented("00.linear-backward")
    }

    /// Exercise 00.layernorm-backward: the backward pass of layer normalisation of one row.
    ///
    /// Forward: μ = mean(x), σ² = mean((x − μ)²) (the biased variance), x̂ = (x − μ)/√(σ² + eps),
    /// y = γ ⊙ x̂ + β.
    /// - Task: given g = ∂L/∂y, return ∂L/∂x, ∂L/∂γ and ∂L/∂β.
    /// - Shapes: x, gamma and upstream have n values; so does each result.
    /// - Hint: dγ = g ⊙ x̂ and dβ = g. For dx, let ĝ = g ⊙ γ; then
    ///   dx = (ĝ − mean(ĝ) − x̂ ⊙ mean(ĝ ⊙ x̂)) / √(σ² + eps). The two means come from μ and σ
    ///   depending on every input: forget them and the finite-difference check disagrees.
    public static func layerNormBackward(x: [Double], gamma: [Double], upstream: [Double],
                                         eps: Double) throws -> (dx: [Double], dgamma: [Double], dbeta: [Double]) {
        throw ExerciseError.notImplemented("00.layernorm-backward")
    }
}
