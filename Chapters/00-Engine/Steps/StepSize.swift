import Engine

/// Step 2b: how the finite-difference answer depends on the step h, in 64-bit and 32-bit floats.
///
/// A central difference has two errors that pull h in opposite directions. Truncation: the
/// Taylor terms the formula drops, about h²·|L‴|/6, large for large h. Rounding: the two losses
/// are each rounded to about ε·|L| (ε = 2⁻⁵³ in Double, 2⁻²⁴ in Float), and their difference is
/// divided by 2h, so rounding grows like ε·|L|/h for small h. The error is smallest between.
public struct StepSizeError: Sendable {
    /// The step.
    public let h: Double
    /// max over the three parameters of |finite difference − hand gradient|, computed in Double.
    public let doubleError: Double
    /// The same with the loss computed in Float (as the engine does).
    public let floatError: Double
}

extension ScalarExample {
    /// The loss in Float arithmetic, with the parameters moved by `d` (w₁, w₂, b).
    func floatLoss(_ d: [Double]) -> Float {
        let z = Float(w1 + d[0]) * Float(x1) + Float(w2 + d[1]) * Float(x2) + Float(b + d[2])
        let a = tanhf(z)
        return (a - Float(y)) * (a - Float(y))
    }

    /// Central differences with step `h`, the loss evaluated in Float.
    public func floatFiniteDifferences(h: Double) -> [Double] {
        (0..<3).map { i in
            var plus = [0.0, 0, 0], minus = [0.0, 0, 0]
            plus[i] = h; minus[i] = -h
            return Double(floatLoss(plus) - floatLoss(minus)) / (2 * h)
        }
    }

    /// The worst error of central differences against the hand gradient at each step in `hs`.
    public func stepSizeErrors(_ hs: [Double]) -> [StepSizeError] {
        let exact = handGradients()
        func worst(_ g: [Double]) -> Double { zip(g, exact).map { abs($0 - $1) }.max() ?? 0 }
        return hs.map { StepSizeError(h: $0, doubleError: worst(finiteDifferences(h: $0)), floatError: worst(floatFiniteDifferences(h: $0))) }
    }
}
