/// Embedding lookup (gather rows by id), masked fill and dropout.

/// Rows of `table` [V, D] picked by `ids`, giving `idsShape + [D]`.
/// Backward scatters: each id's row of the gradient is added into that table row, in id order.
public func embedding(_ table: Tensor, ids: [Int], shape idsShape: [Int]) -> Tensor {
    precondition(table.rank == 2, "embedding table must be [vocab, dim], got \(table.shape)")
    precondition(Shape.count(idsShape) == ids.count, "embedding: \(ids.count) ids for shape \(idsShape)")
    let v = table.shape[0], d = table.shape[1]
    for id in ids { precondition(id >= 0 && id < v, "embedding: id \(id) outside vocabulary 0..<\(v)") }
    let out = Tensor.empty(idsShape + [d])
    let t = table.data, o = out.mutableData
    Parallel.forRanges(ids.count, minChunk: 64) { r in
        for i in r { (o + i * d).update(from: t + ids[i] * d, count: d) }
    }
    return Tensor.record(out, [table]) { g in
        let dt = Tensor.zeros(table.shape)
        let gp = g.data, dp = dt.mutableData
        // Split over embedding columns: every row sum still runs over ids in order.
        Parallel.forRanges(d, minChunk: 16) { cr in
            for (i, id) in ids.enumerated() {
                let src = gp + i * d, dst = dp + id * d
                for j in cr { dst[j] += src[j] }
            }
        }
        return [dt]
    }
}

extension Tensor {
    /// Replaces elements where `mask` (broadcast to this shape, 1 = masked) is non-zero by `value`;
    /// gradients do not flow through replaced elements. Used for causal attention masks (−inf).
    public func maskedFill(_ mask: Tensor, _ value: Float) -> Tensor {
        let m = mask.shape == shape ? mask : broadcastBinary(AddK.self, mask, Tensor.zeros(shape))
        let out = mapBinary(self, m) { $1 != 0 ? value : $0 }
        return Tensor.record(out, [self]) { g in [mapBinary(g, m) { $1 != 0 ? 0 : $0 }] }
    }

    /// Inverted dropout: zeroes each element with probability `p` and scales survivors by 1/(1−p),
    /// so the expected value is unchanged. Identity when `training` is false or p is 0.
    public func dropout(_ p: Float, training: Bool, rng: inout RNG) -> Tensor {
        guard training && p > 0 else { return self }
        precondition(p < 1, "dropout probability must be below 1, got \(p)")
        let keep = Tensor.empty(shape)
        let scale = 1 / (1 - p)
        for i in 0..<count { keep.mutableData[i] = rng.uniform() < p ? 0 : scale }
        let out = mapBinary(self, keep) { $0 * $1 }
        return Tensor.record(out, [self]) { g in [mapBinary(g, keep) { $0 * $1 }] }
    }
}
