/// Reshape, permute/transpose, slice, concat and split. Reshape shares storage; the others
/// copy into a new contiguous tensor (the engine never has strided views).

extension Tensor {
    /// Same values, new shape, no graph (internal plumbing for ops).
    func reshapeRaw(_ newShape: [Int]) -> Tensor {
        Tensor(shape: newShape, storage: storage)
    }

    /// Same values in a new shape with the same element count. One size may be -1 (inferred).
    public func reshape(_ newShape: [Int]) -> Tensor {
        var s = newShape
        if let i = s.firstIndex(of: -1) {
            let known = s.enumerated().filter { $0.offset != i }.reduce(1) { $0 * $1.element }
            precondition(known > 0 && count % known == 0, "cannot reshape \(shape) to \(newShape)")
            s[i] = count / known
        }
        precondition(Shape.count(s) == count, "cannot reshape \(shape) (\(count) values) to \(newShape)")
        let inShape = shape
        return Tensor.record(reshapeRaw(s), [self]) { g in [g.reshapeRaw(inShape)] }
    }

    /// Reorders the axes: output axis i is input axis `order[i]`.
    public func permute(_ order: [Int]) -> Tensor {
        precondition(order.sorted() == Array(0..<rank), "permute order \(order) is not a permutation of 0..<\(rank)")
        let out = permuteKernel(self, order)
        var inverse = [Int](repeating: 0, count: rank)
        for (i, o) in order.enumerated() { inverse[o] = i }
        return Tensor.record(out, [self]) { g in [permuteKernel(g, inverse)] }
    }

    /// Swaps two axes (negative axes count from the end).
    public func transpose(_ a: Int = -2, _ b: Int = -1) -> Tensor {
        var order = Array(0..<rank)
        order.swapAt(Shape.axis(a, rank: rank), Shape.axis(b, rank: rank))
        return permute(order)
    }

    /// Elements `range` along `axis`.
    public func slice(axis: Int, _ range: Range<Int>) -> Tensor {
        let a = Shape.axis(axis, rank: rank)
        precondition(range.lowerBound >= 0 && range.upperBound <= shape[a],
                     "slice \(range) is out of bounds for axis \(a) of size \(shape[a])")
        let (outer, n, inner) = splitAround(shape, a)
        var outShape = shape
        outShape[a] = range.count
        let out = Tensor.empty(outShape)
        let m = range.count, lo = range.lowerBound
        let p = data, o = out.mutableData
        for q in 0..<outer {
            (o + q * m * inner).update(from: p + (q * n + lo) * inner, count: m * inner)
        }
        let inShape = shape
        return Tensor.record(out, [self]) { g in
            let dx = Tensor.zeros(inShape)
            let gp = g.data, dp = dx.mutableData
            for q in 0..<outer {
                (dp + (q * n + lo) * inner).update(from: gp + q * m * inner, count: m * inner)
            }
            return [dx]
        }
    }

    /// Splits along `axis` into pieces of the given sizes (which must add up to the axis size).
    public func split(axis: Int, sizes: [Int]) -> [Tensor] {
        let a = Shape.axis(axis, rank: rank)
        precondition(sizes.reduce(0, +) == shape[a], "split sizes \(sizes) do not add up to \(shape[a])")
        var start = 0
        return sizes.map { s in
            defer { start += s }
            return slice(axis: a, start..<(start + s))
        }
    }

    /// Joins tensors along `axis`; all other sizes must match.
    public static func concat(_ parts: [Tensor], axis: Int) -> Tensor {
        precondition(!parts.isEmpty, "concat of no tensors")
        let rank = parts[0].rank
        let a = Shape.axis(axis, rank: rank)
        for p in parts {
            precondition(p.rank == rank && (0..<rank).allSatisfy { $0 == a || p.shape[$0] == parts[0].shape[$0] },
                         "concat along axis \(a): shape \(p.shape) does not match \(parts[0].shape)")
        }
        var outShape = parts[0].shape
        outShape[a] = parts.reduce(0) { $0 + $1.shape[a] }
        let (outer, total, inner) = splitAround(outShape, a)
        let out = Tensor.empty(outShape)
        var offset = 0
        var offsets: [Int] = []
        for p in parts {
            offsets.append(offset)
            let m = p.shape[a]
            for q in 0..<outer {
                (out.mutableData + (q * total + offset) * inner).update(from: p.data + q * m * inner, count: m * inner)
            }
            offset += m
        }
        return record(out, parts) { g in
            zip(parts, offsets).map { p, off in
                guard p.requiresGrad else { return nil }
                let m = p.shape[a]
                let dx = Tensor.empty(p.shape)
                for q in 0..<outer {
                    (dx.mutableData + q * m * inner).update(from: g.data + (q * total + off) * inner, count: m * inner)
                }
                return dx
            }
        }
    }
}

/// Copies `x` into a new tensor whose axis i is x's axis `order[i]`.
func permuteKernel(_ x: Tensor, _ order: [Int]) -> Tensor {
    let rank = x.rank
    let outShape = order.map { x.shape[$0] }
    let out = Tensor.empty(outShape)
    if order == Array(0..<rank) {
        out.mutableData.update(from: x.mutableData, count: x.count)
        return out
    }
    let inStrides = Shape.strides(x.shape)
    let srcStrides = order.map { inStrides[$0] }  // stride in x for a step along each output axis
    let inner = outShape.last ?? 1
    let innerStride = srcStrides.last ?? 1
    let rows = x.count / max(inner, 1)
    let p = x.data, o = out.mutableData
    // Outer sizes and strides as raw buffers: the per-row index arithmetic runs in the hot loop.
    let outer = UnsafeMutablePointer<Int>.allocate(capacity: 2 * max(rank, 1))
    defer { outer.deallocate() }
    for d in 0..<rank { outer[d] = outShape[d]; outer[rank + d] = srcStrides[d] }
    Parallel.forRanges(rows, minChunk: max(1, 4096 / max(inner, 1))) { r in
        for row in r {
            var rem = row, src = 0
            var d = rank - 2
            while d >= 0 {
                let size = outer[d]
                src &+= (rem % size) &* outer[rank + d]
                rem /= size
                d -= 1
            }
            let dst = o + row * inner
            if innerStride == 1 {
                dst.update(from: p + src, count: inner)
            } else {
                for j in 0..<inner { dst[j] = p[src + j * innerStride] }
            }
        }
    }
    return out
}
