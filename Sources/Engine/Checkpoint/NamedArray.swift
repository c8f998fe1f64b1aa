/// One named float array as a checkpoint stores it: a shape and its values in row-major order.
///
/// Deliberately independent of `Tensor`: the checkpoint layer only moves numbers and names, and
/// the model code maps its parameters to and from these.
public struct NamedArray: Equatable, Sendable {
    /// The tensor's name in the checkpoint (for model parameters, the dotted parameter path).
    public let name: String
    /// Dimensions, outermost first; `[]` is a scalar holding one value.
    public let shape: [Int]
    /// `shape.reduce(1, *)` values, row-major.
    public let values: [Float]

    /// Checks that the shape is valid and agrees with the number of values.
    ///
    /// - Throws: `CheckpointError.invalidArray` for a negative dimension, a shape whose element
    ///   count overflows, a count that differs from `values.count`, or the reserved name
    ///   `__metadata__`.
    public init(name: String, shape: [Int], values: [Float]) throws {
        if name == SafetensorsFile.metadataKey {
            throw CheckpointError.invalidArray(tensor: name, reason: "the name \(SafetensorsFile.metadataKey) is reserved for metadata")
        }
        guard let count = elementCount(shape) else {
            throw CheckpointError.invalidArray(tensor: name, reason: "shape \(shape) has a negative dimension or too many elements")
        }
        guard count == values.count else {
            throw CheckpointError.invalidArray(tensor: name, reason: "shape \(shape) needs \(count) values, found \(values.count)")
        }
        self.name = name
        self.shape = shape
        self.values = values
    }

    /// For the decoder, which has already validated everything.
    init(validatedName name: String, shape: [Int], values: [Float]) {
        self.name = name
        self.shape = shape
        self.values = values
    }

    /// Equal when names and shapes match and the values are bit-for-bit identical
    /// (so `-0.0 != 0.0` and a NaN equals the same NaN), which is what a round trip must preserve.
    public static func == (a: NamedArray, b: NamedArray) -> Bool {
        a.name == b.name && a.shape == b.shape && a.values.count == b.values.count
            && zip(a.values, b.values).allSatisfy { $0.bitPattern == $1.bitPattern }
    }
}

/// Product of the dimensions, or nil if one is negative or the product overflows Int.
func elementCount(_ shape: [Int]) -> Int? {
    var count = 1
    for d in shape {
        guard d >= 0 else { return nil }
        let (p, overflow) = count.multipliedReportingOverflow(by: d)
        guard !overflow else { return nil }
        count = p
    }
    return count
}

/// Byte-wise order of the UTF-8 names, the same order Python's and Rust's sorts give, so the
/// written file does not depend on Swift's Unicode-aware `String` comparison.
func utf8Less(_ a: String, _ b: String) -> Bool {
    a.utf8.lexicographicallyPrecedes(b.utf8)
}
