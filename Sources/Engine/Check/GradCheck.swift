/// Finite-difference gradient checking: the test every op and layer of the engine passes.
///
/// The loss is L(x) = Σ_j w_j · f(x)_j with fixed random weights w, so every output element
/// matters, and the sum is taken in Double so the only float32 rounding is inside f.
///
/// Tolerance, argued rather than tuned. The central difference D(h) = (L(x+h) − L(x−h)) / 2h has
///  * truncation error ≈ h²·L‴/6, estimated from the data as |D(h) − D(h/2)| (the error falls by 4
///    when h halves, so this difference is 3/4 of D(h)'s error and bounds D(h/2)'s); and
///  * rounding error: each output carries a relative error of at most κ·u (u = 2⁻²⁴, κ the number
///    of dependent float32 operations behind one output, passed by the caller), so each L has an
///    error of at most κ·u·Σ|w_j·f_j|, and D(h/2) at most that divided by h/2.
/// The check compares the analytic gradient with Richardson's (4·D(h/2) − D(h))/3, allowing the sum
/// of both error bounds (times 2 for safety) plus a relative 1e-4 for the analytic side's own rounding.
public struct GradCheckReport: CustomStringConvertible {
    /// Index of the input checked.
    public let input: Int
    /// Largest |analytic − numeric| over the input's elements.
    public let maxError: Double
    /// The element where the error was largest relative to its tolerance.
    public let worstIndex: Int
    /// Largest error / tolerance ratio; ≤ 1 passes.
    public let worstRatio: Double
    /// Whether every element was within tolerance.
    public var passed: Bool { worstRatio <= 1 }

    public var description: String {
        "input \(input): max |error| \(String(format: "%.2e", maxError)), worst at \(worstIndex) " +
        "(\(String(format: "%.2f", worstRatio)) of tolerance) \(passed ? "ok" : "FAILED")"
    }
}

/// Checks the gradients `f` produces for each of `inputs` against central differences.
///
/// - Parameters:
///   - step: h, relative to max(1, |x|).
///   - depth: κ, the float32 operations behind one output (for example K for a K-term dot product).
///   - only: indices of inputs to check (default: all with `requiresGrad`).
public func gradientCheck(_ inputs: [Tensor], step: Float = 1e-2, depth: Double = 16, seed: UInt64 = 7,
                          only: [Int]? = nil, _ f: ([Tensor]) -> Tensor) -> [GradCheckReport] {
    var rng = RNG(seed: seed)
    let probe = Tensor.noGrad { f(inputs) }
    let weights = (0..<probe.count).map { _ in Double(rng.uniform(-1, 1)) }

    func loss() -> (value: Double, magnitude: Double) {
        let y = Tensor.noGrad { f(inputs) }
        var s = 0.0, m = 0.0
        for j in 0..<y.count {
            let t = weights[j] * Double(y.data[j])
            s += t; m += abs(t)
        }
        return (s, m)
    }

    // Analytic gradients.
    for x in inputs { x.grad = nil }
    let y = f(inputs)
    y.backward(Tensor(shape: y.shape, values: weights.map(Float.init)))

    let u = 1.0 / 16_777_216.0
    var reports: [GradCheckReport] = []
    for (idx, x) in inputs.enumerated() where (only?.contains(idx) ?? x.requiresGrad) {
        let analytic = x.grad?.values ?? [Float](repeating: 0, count: x.count)
        var maxErr = 0.0, worst = 0, worstRatio = 0.0
        for i in 0..<x.count {
            let x0 = x.data[i]
            let h = step * Swift.max(1, abs(x0))
            func central(_ h: Float) -> (d: Double, mag: Double) {
                x.mutableData[i] = x0 + h; let p = loss()
                x.mutableData[i] = x0 - h; let m = loss()
                x.mutableData[i] = x0
                // Use the step actually represented in float32.
                let dh = Double(x0 + h) - Double(x0 - h)
                return ((p.value - m.value) / dh, Swift.max(p.magnitude, m.magnitude))
            }
            let (d1, mag) = central(h)
            let (d2, _) = central(h / 2)
            let numeric = (4 * d2 - d1) / 3
            let truncation = abs(d1 - d2)
            let rounding = depth * u * mag / Double(h / 2)
            let a = Double(analytic[i])
            let tol = 2 * (truncation + rounding) + 1e-4 * abs(a) + 1e-7
            let err = abs(a - numeric)
            maxErr = Swift.max(maxErr, err)
            if err / tol > worstRatio { worstRatio = err / tol; worst = i }
        }
        reports.append(GradCheckReport(input: idx, maxError: maxErr, worstIndex: worst, worstRatio: worstRatio))
    }
    return reports
}
