import Engine

/// Step 4: an embedding table is a matrix product with one-hot rows, done without the zeros.

/// One-hot rows for `ids`: [ids.count, vocab] with a single 1 per row, at the id's column.
public func oneHot(_ ids: [Int], vocab: Int) -> Tensor {
    let t = Tensor.zeros([ids.count, vocab])
    for (i, id) in ids.enumerated() {
        precondition(id >= 0 && id < vocab, "oneHot: id \(id) outside 0..<\(vocab)")
        t.storage.pointer[i * vocab + id] = 1
    }
    return t
}

/// The two ways of turning `ids` into vectors with `table` [V, D], with their gradients for the
/// same upstream gradient `seed` [ids.count, D]: the gather (what `Embedding` does) and the
/// one-hot matrix product (what it means).
public struct LookupComparison {
    /// Rows gathered by `embedding`.
    public let gathered: Tensor
    /// `oneHot(ids) · table`.
    public let multiplied: Tensor
    /// d(loss)/d(table) through the gather.
    public let gatherGradient: Tensor
    /// d(loss)/d(table) through the product.
    public let matmulGradient: Tensor

    /// Largest absolute difference between the two outputs.
    public var outputDifference: Float { maxDifference(gathered, multiplied) }
    /// Largest absolute difference between the two gradients.
    public var gradientDifference: Float { maxDifference(gatherGradient, matmulGradient) }
}

/// Runs both routes on copies of `table` and back-propagates `seed` through each.
public func compareLookup(table: Tensor, ids: [Int], seed: Tensor) -> LookupComparison {
    let v = table.shape[0]
    let a = Tensor(shape: table.shape, values: table.values, requiresGrad: true)
    let b = Tensor(shape: table.shape, values: table.values, requiresGrad: true)
    let gathered = embedding(a, ids: ids, shape: [ids.count])
    let multiplied = oneHot(ids, vocab: v).matmul(b)
    (gathered * seed).sum(axes: [0, 1]).backward()
    (multiplied * seed).sum(axes: [0, 1]).backward()
    return LookupComparison(gathered: gathered.detach(), multiplied: multiplied.detach(),
                            gatherGradient: a.grad!, matmulGradient: b.grad!)
}

/// Largest |x − y| over two tensors of one shape.
public func maxDifference(_ x: Tensor, _ y: Tensor) -> Float {
    precondition(x.shape == y.shape, "shapes differ: \(x.shape) vs \(y.shape)")
    var m: Float = 0
    for i in 0..<x.count { m = max(m, abs(x.data[i] - y.data[i])) }
    return m
}
