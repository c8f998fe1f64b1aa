/// Throwing entry points for arguments that come from outside input (a file, a prompt, a command
/// line). The ops themselves stop the program with a `precondition` on a bad argument, which is
/// right for a programming error but not for a corrupt file or a user's prompt; these check the
/// same conditions first and throw `InvalidArgument` naming the argument, then call the op, so a
/// valid input gives exactly the op's result.

/// A bad argument: the operation that was called ("embedding"), the argument at fault with its
/// index where it has one ("ids[3]"), what that argument should have been and what it was.
public struct InvalidArgument: Error, Equatable, CustomStringConvertible {
    public let operation: String, argument: String, expected: String, found: String

    public var description: String { "\(operation): \(argument) must be \(expected), found \(found)" }
}

/// The element count of `shape`, or an error naming the negative size or the overflow.
func validatedCount(_ shape: [Int], operation: String, argument: String = "shape") throws -> Int {
    var n = 1
    for (i, size) in shape.enumerated() {
        guard size >= 0 else {
            throw InvalidArgument(operation: operation, argument: "\(argument)[\(i)]", expected: "a size ≥ 0", found: "\(size) in \(shape)")
        }
        let (product, overflow) = n.multipliedReportingOverflow(by: size)
        guard !overflow else {
            throw InvalidArgument(operation: operation, argument: argument, expected: "an element count that fits in Int", found: "\(shape)")
        }
        n = product
    }
    return n
}

/// Throws unless every id lies in 0..<vocabulary: token ids from a tokenizer or a prompt, checked
/// against the vocabulary of the model that will embed them.
public func validateTokenIDs(_ ids: [Int], vocabulary: Int, operation: String = "embedding") throws {
    if let i = ids.firstIndex(where: { $0 < 0 || $0 >= vocabulary }) {
        throw InvalidArgument(operation: operation, argument: "ids[\(i)]", expected: "a token id in 0..<\(vocabulary)", found: "\(ids[i])")
    }
}

extension Tensor {
    /// `Tensor(shape:values:)` for sizes and values read from outside: throws `InvalidArgument`
    /// on a negative size, a count that overflows, or a value count that does not match the shape.
    public convenience init(validatingShape shape: [Int], values: [Float], requiresGrad: Bool = false) throws {
        let n = try validatedCount(shape, operation: "Tensor(shape:values:)")
        guard values.count == n else {
            throw InvalidArgument(operation: "Tensor(shape:values:)", argument: "values",
                                  expected: "\(n) values for shape \(shape)", found: "\(values.count)")
        }
        self.init(shape: shape, values: values, requiresGrad: requiresGrad)
    }

    /// `reshape` for a shape read from outside: throws `InvalidArgument` on a size below −1, more
    /// than one −1, or a shape whose element count differs from this tensor's.
    public func validatedReshape(_ newShape: [Int]) throws -> Tensor {
        let op = "reshape"
        let inferred = newShape.indices.filter { newShape[$0] == -1 }
        guard inferred.count <= 1 else {
            throw InvalidArgument(operation: op, argument: "shape", expected: "at most one -1", found: "\(newShape)")
        }
        var known = newShape
        if let i = inferred.first { known[i] = 1 }
        let n = try validatedCount(known, operation: op)
        if inferred.isEmpty {
            guard n == count else {
                throw InvalidArgument(operation: op, argument: "shape", expected: "\(count) values (from \(shape))",
                                      found: "\(newShape), which holds \(n)")
            }
        } else {
            guard n > 0, count % n == 0 else {
                throw InvalidArgument(operation: op, argument: "shape", expected: "sizes that divide \(count) (from \(shape))",
                                      found: "\(newShape)")
            }
        }
        return reshape(newShape)
    }
}

/// `embedding` for ids from outside input: throws `InvalidArgument` naming the first id outside
/// the table's vocabulary, or an ids count that does not match `shape`.
public func checkedEmbedding(_ table: Tensor, ids: [Int], shape: [Int]) throws -> Tensor {
    guard table.rank == 2 else {
        throw InvalidArgument(operation: "embedding", argument: "table", expected: "[vocab, dim]", found: "\(table.shape)")
    }
    let n = try validatedCount(shape, operation: "embedding")
    guard n == ids.count else {
        throw InvalidArgument(operation: "embedding", argument: "ids", expected: "\(n) ids for shape \(shape)", found: "\(ids.count)")
    }
    try validateTokenIDs(ids, vocabulary: table.shape[0])
    return embedding(table, ids: ids, shape: shape)
}

extension Embedding {
    /// The rows of `ids` (shape [ids.count]), or `InvalidArgument` naming the first id outside
    /// the vocabulary.
    public func checked(ids: [Int]) throws -> Tensor {
        try checkedEmbedding(weight, ids: ids, shape: [ids.count])
    }
}

/// `crossEntropy` for targets from outside input: throws `InvalidArgument` when the target count
/// is not the row count or a target (other than `ignoreIndex`) lies outside 0..<C.
public func checkedCrossEntropy(_ logits: Tensor, _ targets: [Int], ignoreIndex: Int? = nil) throws -> Tensor {
    let c = logits.shape.last ?? 1, rows = logits.count / Swift.max(c, 1)
    guard targets.count == rows else {
        throw InvalidArgument(operation: "crossEntropy", argument: "targets", expected: "\(rows) targets, one per row of \(logits.shape)",
                              found: "\(targets.count)")
    }
    if let i = targets.indices.first(where: { targets[$0] != ignoreIndex && (targets[$0] < 0 || targets[$0] >= c) }) {
        throw InvalidArgument(operation: "crossEntropy", argument: "targets[\(i)]", expected: "a class in 0..<\(c)", found: "\(targets[i])")
    }
    return crossEntropy(logits, targets, ignoreIndex: ignoreIndex)
}

/// Throws `InvalidArgument` unless `conv2d` accepts these shapes and settings (the conditions of
/// its preconditions, each named): x [N, Cin, H, W], w [Cout, Cin, kH, kW], bias [Cout],
/// stride ≥ 1, padding ≥ 0, and a kernel no larger than the padded input.
public func validateConv2d(x: [Int], w: [Int], bias: [Int]?, stride: Int, padding: Int) throws {
    func fail(_ argument: String, _ expected: String, _ found: String) -> InvalidArgument {
        InvalidArgument(operation: "conv2d", argument: argument, expected: expected, found: found)
    }
    guard x.count == 4 else { throw fail("x", "of rank 4, [N, Cin, H, W]", "\(x)") }
    guard w.count == 4 else { throw fail("w", "of rank 4, [Cout, Cin, kH, kW]", "\(w)") }
    _ = try validatedCount(x, operation: "conv2d", argument: "x")
    _ = try validatedCount(w, operation: "conv2d", argument: "w")
    guard w[1] == x[1] else { throw fail("w", "\(x[1]) input channels (from x \(x)) on axis 1", "\(w)") }
    guard stride >= 1 else { throw fail("stride", "≥ 1", "\(stride)") }
    guard padding >= 0 else { throw fail("padding", "≥ 0", "\(padding)") }
    guard w[2] >= 1 && w[3] >= 1 else { throw fail("w", "a kernel of at least 1×1", "\(w)") }
    guard x[2] + 2 * padding >= w[2] && x[3] + 2 * padding >= w[3] else {
        throw fail("w", "a kernel no larger than the padded input \(x[2] + 2 * padding)×\(x[3] + 2 * padding)",
                   "\(w[2])×\(w[3])")
    }
    if let bias, bias != [w[0]] { throw fail("bias", "[\(w[0])]", "\(bias)") }
}

/// `conv2d` after `validateConv2d`: the same result, or `InvalidArgument` instead of a trap.
public func checkedConv2d(_ x: Tensor, _ w: Tensor, _ b: Tensor?, stride: Int = 1, padding: Int = 0) throws -> Tensor {
    try validateConv2d(x: x.shape, w: w.shape, bias: b?.shape, stride: stride, padding: padding)
    return conv2d(x, w, b, stride: stride, padding: padding)
}

extension RNG {
    /// `categorical` for weights that may come from a diverged model: throws `InvalidArgument`
    /// naming the first negative or non-finite weight, or weights with no positive total (all
    /// zero, as NaN logits give after a max-shift), where `categorical` would stop the program.
    /// Valid weights draw exactly as `categorical` does (the same index and RNG state).
    public mutating func checkedCategorical(_ weights: [Float]) throws -> Int {
        if let i = weights.firstIndex(where: { !$0.isFinite || $0 < 0 }) {
            throw InvalidArgument(operation: "RNG.categorical", argument: "weights[\(i)]", expected: "a finite weight ≥ 0",
                                  found: "\(weights[i])")
        }
        var total: Double = 0
        for w in weights { total += Double(w) }
        guard total > 0 else {
            throw InvalidArgument(operation: "RNG.categorical", argument: "weights", expected: "a positive total",
                                  found: "\(weights.count) weights summing to \(total)")
        }
        return categorical(weights)
    }
}
