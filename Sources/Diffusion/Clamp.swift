import Engine

extension Tensor {
    /// A copy with every value limited to [lo, hi]. Samplers use it on x̂_0 outside any graph,
    /// so it records no gradient.
    func clampedNoGrad(_ lo: Float, _ hi: Float) -> Tensor {
        Tensor(shape: shape, values: values.map { Swift.min(Swift.max($0, lo), hi) })
    }

    /// A copy of [N, C, …] with channel c limited to `ranges[c]`, outside any graph.
    func clampedPerChannelNoGrad(_ ranges: [ClosedRange<Float>]) -> Tensor {
        precondition(rank >= 2 && shape[1] == ranges.count,
                     "clampedPerChannel: \(ranges.count) ranges for a tensor of shape \(shape)")
        let plane = shape.dropFirst(2).reduce(1, *), channels = shape[1]
        var v = values
        for i in v.indices {
            let r = ranges[(i / plane) % channels]
            v[i] = Swift.min(Swift.max(v[i], r.lowerBound), r.upperBound)
        }
        return Tensor(shape: shape, values: v)
    }
}
