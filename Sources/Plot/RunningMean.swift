/// The running mean of `values` over a window of `window` steps (shorter at the start), so that
/// noisy per-step training losses read as curves. Summed in Double, so long series lose no digits.
public func runningMean(_ values: [Float], window: Int) -> [Float] {
    var out: [Float] = [], sum: Double = 0
    for (i, v) in values.enumerated() {
        sum += Double(v)
        if i >= window { sum -= Double(values[i - window]) }
        out.append(Float(sum / Double(min(i + 1, window))))
    }
    return out
}
