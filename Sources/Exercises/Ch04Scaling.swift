// Chapter 04, scaling: compute budgets and the fits behind the scaling laws.
// Replace each `throw ExerciseError.notImplemented(…)` with your code, then run
// `swift run -c release grade 4`.

/// Chapter 04's exercises.
public enum Ch04 {
    /// Exercise 04.compute-optimal: the model size and token count for a compute budget.
    ///
    /// - Task: training costs C ≈ 6·N·D FLOPs for N parameters and D tokens. With the
    ///   Chinchilla-style rule D = k·N (k tokens per parameter), return N and D for the budget C.
    /// - Shapes: scalars.
    /// - Hint: substitute D = k·N into C = 6·N·D and solve for N: N = √(C / (6k)). With
    ///   C = 5.76·10²³ and k = 20 you should get N ≈ 69 billion, close to Chinchilla's 70 B.
    public static func computeOptimal(flops: Double, tokensPerParameter: Double) throws -> (parameters: Double, tokens: Double) {
        throw ExerciseError.notImplemented("04.compute-optimal")
    }

    /// Exercise 04.power-law-fit: fit y = a·x^(−b) by least squares in log–log space.
    ///
    /// - Task: fit the straight line log y = log a − b·log x to the points and return (a, b).
    /// - Shapes: x and y have the same length n ≥ 2, all values positive.
    /// - Hint: the least-squares slope is cov(log x, log y) / var(log x); the intercept is
    ///   mean(log y) − slope·mean(log x). Note the sign: b is minus the slope.
    public static func fitPowerLaw(x: [Double], y: [Double]) throws -> (a: Double, b: Double) {
        throw ExerciseError.notImplemented("04.power-law-fit")
    }

    /// Exercise 04.isoflop-optimum: the compute-optimal model size from one IsoFLOP curve.
    ///
    /// - Task: at one compute budget, models of several sizes were trained; fit a parabola
    ///   loss ≈ c₀ + c₁·u + c₂·u² with u = log₁₀(parameters) by least squares, and return the
    ///   parameter count at its vertex, 10^(−c₁ / (2c₂)).
    /// - Shapes: parameters and losses have the same length n ≥ 3.
    /// - Hint: the vertex usually falls between the sizes that were trained, so the smallest
    ///   measured loss is not the answer. Solve the 3×3 normal equations (Σuᵏ⁺ʲ)·c = Σuᵏ·loss,
    ///   or centre u first so the system is well conditioned.
    public static func isoFLOPOptimum(parameters: [Double], losses: [Double]) throws -> Double {
        throw ExerciseError.notImplemented("04.isoflop-optimum")
    }
}
