/// A learning rate as a function of the optimizer step (0-based: `lr(at: s)` is the rate for the
/// update numbered s, so a loop sets `opt.learningRate = schedule.lr(at: step)` before `step()`).
public enum LRSchedule: Sendable, Equatable {
    /// The same rate at every step.
    case constant(Float)
    /// Linear warmup then cosine decay:
    ///  * s < warmup: base·s/warmup (0 at s = 0, rising in equal steps);
    ///  * warmup ≤ s ≤ total: minLR + (base − minLR)·(1 + cos(π·(s − warmup)/(total − warmup)))/2,
    ///    so base at s = warmup, (base + minLR)/2 halfway, minLR at s = total;
    ///  * s > total: minLR.
    case warmupCosine(base: Float, warmup: Int, total: Int, minLR: Float)

    /// The learning rate for step `step` (0-based).
    public func lr(at step: Int) -> Float {
        switch self {
        case .constant(let v):
            return v
        case let .warmupCosine(base, warmup, total, minLR):
            if step < warmup { return base * Float(step) / Float(warmup) }
            if step >= total { return minLR }
            // Progress in Double: cos near π/2 is where float32 would lose the most digits.
            let progress = Double(step - warmup) / Double(Swift.max(1, total - warmup))
            let cosine = 0.5 * (1 + cos(Double.pi * progress))
            return Float(Double(minLR) + (Double(base) - Double(minLR)) * cosine)
        }
    }
}
