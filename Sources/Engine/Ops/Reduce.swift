/// Reductions over axes: sum, mean, max. Each reduces one axis at a time over a
/// [outer, n, inner] view, always adding in index order, so results never depend on threads.

/// Views `shape` around `axis` as (outer, n, inner).
func splitAround(_ shape: [Int], _ axis: Int) -> (outer: Int, n: Int, inner: Int) {
    let outer = shape[..<axis].reduce(1, *)
    let inner = shape[(axis + 1)...].reduce(1, *)
    return (outer, shape[axis], inner)
}

/// Sum over one axis, keeping it with size 1. Plain forward kernel, no graph.
func sumAxisKernel(_ x: Tensor, _ axis: Int) -> Tensor {
    let (outer, n, inner) = splitAround(x.shape, axis)
    var outShape = x.shape
    outShape[axis] = 1
    let out = Tensor.zeros(outShape)
    let p = x.data, o = out.mutableData
    Parallel.forRanges(outer, minChunk: max(1, 8192 / max(1, n * inner))) { r in
        for a in r {
            let dst = o + a * inner
            for k in 0..<n {
                let src = p + (a * n + k) * inner
                for i in 0..<inner { dst[i] += src[i] }
            }
        }
    }
    return out
}

/// Copies `g` (shape with size 1 at the reduced axes) back to `shape` (backward of sum).
func expandKernel(_ g: Tensor, to shape: [Int]) -> Tensor {
    let out = broadcastBinary(AddK.self, g, Tensor.zeros(shape))
    return out
}

extension Tensor {
    /// Sum over `axes` (all axes when nil). With `keepDims` the reduced axes stay with size 1.
    public func sum(axes: [Int]? = nil, keepDims: Bool = false) -> Tensor {
        let ax = Array(Set((axes ?? Array(0..<rank)).map { Shape.axis($0, rank: rank) })).sorted()
        var out = self
        Tensor.noGrad {
            out = detach()
            for a in ax { out = sumAxisKernel(out, a) }
        }
        let kept = out.shape
        let final = keepDims ? out : out.reshapeRaw(shape.enumerated().filter { !ax.contains($0.offset) }.map(\.element))
        let inShape = shape
        return Tensor.record(final, [self]) { g in [expandKernel(g.reshapeRaw(kept), to: inShape)] }
    }

    /// Mean over `axes` (all axes when nil).
    public func mean(axes: [Int]? = nil, keepDims: Bool = false) -> Tensor {
        let ax = Set((axes ?? Array(0..<rank)).map { Shape.axis($0, rank: rank) })
        let n = ax.reduce(1) { $0 * shape[$1] }
        return sum(axes: Array(ax), keepDims: keepDims).scaled(1 / Float(n))
    }

    /// Maximum over one axis. The gradient goes to the first position holding the maximum.
    public func max(axis: Int, keepDims: Bool = false) -> Tensor {
        let a = Shape.axis(axis, rank: rank)
        let (outer, n, inner) = splitAround(shape, a)
        precondition(n > 0, "max over an empty axis")
        var kept = shape
        kept[a] = 1
        let out = Tensor.empty(kept)
        var argmax = [Int32](repeating: 0, count: outer * inner)
        let p = data, o = out.mutableData
        argmax.withUnsafeMutableBufferPointer { am in
            let amp = am.baseAddress!
            Parallel.forRanges(outer) { r in
                for q in r {
                    for i in 0..<inner {
                        var best = p[q * n * inner + i], bestK: Int32 = 0
                        for k in 1..<n {
                            let v = p[(q * n + k) * inner + i]
                            if v > best || (best.isNaN && !v.isNaN) { best = v; bestK = Int32(k) }
                        }
                        o[q * inner + i] = best
                        amp[q * inner + i] = bestK
                    }
                }
            }
        }
        let final = keepDims ? out : out.reshapeRaw(shape.enumerated().filter { $0.offset != a }.map(\.element))
        let inShape = shape
        return Tensor.record(final, [self]) { g in
            let dx = Tensor.zeros(inShape)
            let gp = g.data, dp = dx.mutableData
            for q in 0..<outer {
                for i in 0..<inner {
                    dp[(q * n + Int(argmax[q * inner + i])) * inner + i] = gp[q * inner + i]
                }
            }
            return [dx]
        }
    }
}
