/// Element-wise binary ops with NumPy-style broadcasting.
///
/// Each op is a tiny type with a static forward function, so the generic loop below is
/// specialised per op at compile time: no closure call per element.
protocol BinaryKernel {
    /// The value of the op on one pair of elements.
    static func apply(_ a: Float, _ b: Float) -> Float
}

/// Fills `out` (shape = broadcast of a and b) with `K.apply(a, b)`.
func broadcastBinary<K: BinaryKernel>(_ kind: K.Type, _ a: Tensor, _ b: Tensor) -> Tensor {
    let outShape = a.shape == b.shape ? a.shape : Shape.broadcast(a.shape, b.shape)
    let out = Tensor.empty(outShape)
    let pa = a.data, pb = b.data, po = out.mutableData
    let n = out.count
    if a.shape == b.shape {
        Parallel.forRanges(n, minChunk: 1 << 15) { r in
            for i in r { po[i] = K.apply(pa[i], pb[i]) }
        }
    } else if b.count == 1 {
        let s = pb[0]
        Parallel.forRanges(n, minChunk: 1 << 15) { r in
            for i in r { po[i] = K.apply(pa[i], s) }
        }
    } else if a.count == 1 {
        let s = pa[0]
        Parallel.forRanges(n, minChunk: 1 << 15) { r in
            for i in r { po[i] = K.apply(s, pb[i]) }
        }
    } else {
        // General case: walk the output row by row (last axis innermost); each input advances
        // by stride 1 along that axis or stays put if it is broadcast there.
        let rank = outShape.count
        let sa = broadcastStrides(a.shape, to: outShape), sb = broadcastStrides(b.shape, to: outShape)
        let inner = outShape[rank - 1]
        let rows = n / max(inner, 1)
        let ia = sa[rank - 1], ib = sb[rank - 1]
        Parallel.forRanges(rows, minChunk: max(1, 4096 / max(inner, 1))) { r in
            for row in r {
                // Decompose the row index into the outer coordinates.
                var rem = row, oa = 0, ob = 0
                for d in stride(from: rank - 2, through: 0, by: -1) {
                    let c = rem % outShape[d]
                    rem /= outShape[d]
                    oa += c * sa[d]; ob += c * sb[d]
                }
                let base = row * inner
                for j in 0..<inner { po[base + j] = K.apply(pa[oa + j * ia], pb[ob + j * ib]) }
            }
        }
    }
    return out
}

/// Strides of `shape` viewed as `target` (right-aligned), with 0 along broadcast axes.
func broadcastStrides(_ shape: [Int], to target: [Int]) -> [Int] {
    let own = Shape.strides(shape)
    let pad = target.count - shape.count
    return (0..<target.count).map { d in
        d < pad || shape[d - pad] == 1 ? 0 : own[d - pad]
    }
}

extension Tensor {
    /// Sums this (gradient) tensor down to `shape`, undoing a broadcast: axes that were added on
    /// the left are summed away, axes that were 1 are summed with keepDims.
    public func sumTo(_ target: [Int]) -> Tensor {
        if shape == target { return self }
        let pad = rank - target.count
        precondition(pad >= 0, "cannot sum shape \(shape) down to \(target)")
        var axes: [Int] = Array(0..<pad)
        for d in 0..<target.count where target[d] == 1 && shape[d + pad] != 1 { axes.append(d + pad) }
        return sum(axes: axes, keepDims: true).reshape(target)
    }
}
