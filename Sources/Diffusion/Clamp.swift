import Engine

extension Tensor {
    /// A copy with every value limited to [lo, hi]. Samplers use it on x̂_0 outside any graph,
    /// so it records no gradient.
    func clampedNoGrad(_ lo: Float, _ hi: Float) -> Tensor {
        Tensor(shape: shape, values: values.map { Swift.min(Swift.max($0, lo), hi) })
    }
}
