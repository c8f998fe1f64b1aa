import Diffusion
import Engine

/// What "the noise" in x_t is. Walking forward step by step adds a fresh ε_s at every step s,
/// x_s = √(1 − β_s)·x_{s−1} + √β_s·ε_s. After t steps the sum of those scaled draws is one Gaussian,
/// x_t = √ᾱ_t·x₀ + √(1 − ᾱ_t)·ε, and ε = (x_t − √ᾱ_t·x₀)/√(1 − ᾱ_t) is the *total* noise since x₀:
/// the target the network is trained on. The last step's own draw ε_t is only a small part of it.
public struct NoiseWalk: Sendable {
    /// The noisy values x_t after the walk.
    public var xt: [Float]
    /// The total noise since x₀, standardised: (x_t − √ᾱ_t·x₀)/√(1 − ᾱ_t).
    public var total: [Float]
    /// The fresh draw ε_t of the last step alone.
    public var lastStep: [Float]
}

/// Walks `x0` forward through steps 0…t of `schedule`, one fresh normal draw per value and step,
/// and records the total noise and the last step's draw.
public func forwardWalk(_ x0: [Float], schedule: NoiseSchedule, t: Int, seed: UInt64) -> NoiseWalk {
    precondition(t >= 0 && t < schedule.steps, "forwardWalk: t = \(t) outside 0..<\(schedule.steps)")
    var rng = RNG(seed: seed)
    var x = x0
    var last = [Float](repeating: 0, count: x0.count)
    for s in 0...t {
        let a = Float((1 - schedule.betas[s]).squareRoot()), b = Float(schedule.betas[s].squareRoot())
        for i in x.indices {
            let e = rng.normal()
            x[i] = a * x[i] + b * e
            if s == t { last[i] = e }
        }
    }
    let ab = schedule.alphaBars[t]
    let sa = Float(ab.squareRoot()), sn = Float((1 - ab).squareRoot())
    let total = x.indices.map { (x[$0] - sa * x0[$0]) / sn }
    return NoiseWalk(xt: x, total: total, lastStep: last)
}
