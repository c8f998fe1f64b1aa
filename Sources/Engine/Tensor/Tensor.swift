import Foundation

/// An n-dimensional array of float32 values that can record how it was computed.
///
/// Storage is always contiguous and row-major. A tensor made by an op on inputs that require
/// gradients keeps a `Node`: the inputs and a closure that turns the gradient of this tensor into
/// gradients of the inputs. Calling `backward()` on a scalar walks those nodes in reverse.
public final class Tensor {
    /// Sizes along each axis; `[]` is a scalar.
    public let shape: [Int]
    /// The values, shared with views such as reshapes.
    public let storage: Storage
    /// Whether gradients flow to (leaf) or through (computed) this tensor.
    public var requiresGrad: Bool
    /// The accumulated gradient of the last `backward()` calls (leaves only).
    public var grad: Tensor?
    /// How this tensor was computed, when it is part of a recorded graph.
    var node: Node?
    /// Optional name, used in error messages (for example NaN detection).
    public var name: String?

    /// A tensor over existing storage. `storage.count` must equal the element count of `shape`.
    public init(shape: [Int], storage: Storage, requiresGrad: Bool = false) {
        precondition(shape.allSatisfy { $0 >= 0 }, "negative size in shape \(shape)")
        precondition(Shape.count(shape) == storage.count,
                     "shape \(shape) holds \(Shape.count(shape)) values but the storage has \(storage.count)")
        self.shape = shape
        self.storage = storage
        self.requiresGrad = requiresGrad
    }

    /// A tensor holding `values` in row-major order.
    public convenience init(shape: [Int], values: [Float], requiresGrad: Bool = false) {
        precondition(values.count == Shape.count(shape),
                     "shape \(shape) needs \(Shape.count(shape)) values, got \(values.count)")
        let s = Storage(count: values.count, zeroed: false)
        values.withUnsafeBufferPointer { src in
            if let base = src.baseAddress { s.pointer.update(from: base, count: values.count) }
        }
        self.init(shape: shape, storage: s, requiresGrad: requiresGrad)
    }

    /// A rank-1 tensor.
    public convenience init(_ values: [Float], requiresGrad: Bool = false) {
        self.init(shape: [values.count], values: values, requiresGrad: requiresGrad)
    }

    /// A scalar (rank-0) tensor.
    public convenience init(scalar: Float, requiresGrad: Bool = false) {
        self.init(shape: [], values: [scalar], requiresGrad: requiresGrad)
    }

    /// An uninitialised tensor for ops to fill (never exposed half-written).
    static func empty(_ shape: [Int]) -> Tensor {
        Tensor(shape: shape, storage: Storage(count: Shape.count(shape), zeroed: false))
    }

    // MARK: Factories

    /// All zeros.
    public static func zeros(_ shape: [Int], requiresGrad: Bool = false) -> Tensor {
        Tensor(shape: shape, storage: Storage(count: Shape.count(shape)), requiresGrad: requiresGrad)
    }

    /// Every element set to `value`.
    public static func full(_ shape: [Int], _ value: Float, requiresGrad: Bool = false) -> Tensor {
        let t = Tensor(shape: shape, storage: Storage(count: Shape.count(shape), zeroed: false), requiresGrad: requiresGrad)
        t.storage.pointer.initialize(repeating: value, count: t.count)
        return t
    }

    /// All ones.
    public static func ones(_ shape: [Int], requiresGrad: Bool = false) -> Tensor {
        full(shape, 1, requiresGrad: requiresGrad)
    }

    /// Independent normal samples with the given standard deviation.
    public static func randn(_ shape: [Int], std: Float = 1, rng: inout RNG, requiresGrad: Bool = false) -> Tensor {
        let t = Tensor.empty(shape)
        for i in 0..<t.count { t.storage.pointer[i] = std * rng.normal() }
        t.requiresGrad = requiresGrad
        return t
    }

    /// Independent uniform samples in [lo, hi).
    public static func uniform(_ shape: [Int], _ lo: Float, _ hi: Float, rng: inout RNG, requiresGrad: Bool = false) -> Tensor {
        let t = Tensor.empty(shape)
        for i in 0..<t.count { t.storage.pointer[i] = rng.uniform(lo, hi) }
        t.requiresGrad = requiresGrad
        return t
    }

    /// 0, 1, …, n-1.
    public static func arange(_ n: Int) -> Tensor { Tensor((0..<n).map(Float.init)) }

    // MARK: Reading

    /// Number of elements.
    @inlinable public var count: Int { storage.count }
    /// Number of axes.
    public var rank: Int { shape.count }
    /// The values in row-major order (a copy).
    public var values: [Float] { Array(storage.buffer) }
    /// Read-only pointer to the values, for loops that read many of them. To change values in
    /// place, write through `storage.pointer`, which says what the write changes: the storage
    /// this tensor shares with its views.
    ///
    /// The pointer is valid only while the tensor (or a view of its storage) is alive, and Swift
    /// may free a local tensor right after its last use, which can be this very read. Do not keep
    /// the pointer past that: `let p = model(x).data` followed by a loop over `p` reads freed
    /// memory. Use `withUnsafeValues`, which keeps the tensor alive for its closure, or `values`.
    @inlinable public var data: UnsafePointer<Float> { UnsafePointer(storage.pointer) }
    /// Calls `body` with a read-only pointer to the values, keeping the tensor alive until `body`
    /// returns: the safe way to hold on to `data` for a loop.
    @inlinable public func withUnsafeValues<R>(_ body: (UnsafePointer<Float>) throws -> R) rethrows -> R {
        try withExtendedLifetime(self) { try body(UnsafePointer(storage.pointer)) }
    }
    /// The same pointer, writable: for the engine's own ops, which fill the tensors they create.
    var mutableData: UnsafeMutablePointer<Float> { storage.pointer }

    /// The single value of a one-element tensor.
    public func item() -> Float {
        precondition(count == 1, "item() needs exactly one element, the tensor has shape \(shape)")
        return storage.pointer[0]
    }

    /// Element at a multi-index (for tests and narration, not for hot loops).
    public subscript(_ index: Int...) -> Float {
        precondition(index.count == rank, "index \(index) does not match rank \(rank)")
        var offset = 0
        for (axis, (i, s)) in zip(index, Shape.strides(shape)).enumerated() {
            precondition(i >= 0 && i < shape[axis], "index \(i) out of range 0..<\(shape[axis]) on axis \(axis)")
            offset += i * s
        }
        return storage.pointer[offset]
    }

    /// A new leaf tensor sharing these values, cut off from the graph.
    public func detach() -> Tensor { Tensor(shape: shape, storage: storage) }

    /// A deep copy of the values as a new leaf.
    public func copy() -> Tensor {
        let t = Tensor.empty(shape)
        let src = data, dst = t.mutableData
        // In parallel: the destination is fresh memory, whose first touch costs as much as the copy.
        Parallel.forRanges(count, minChunk: 1 << 15) { r in
            (dst + r.lowerBound).update(from: src + r.lowerBound, count: r.count)
        }
        return t
    }

    /// Sets the gradient to nil so the next `backward()` starts from zero.
    public func zeroGrad() { grad = nil }
}

extension Tensor: CustomStringConvertible {
    /// Shape and (up to 8) leading values, for example `Tensor[2, 3] [0.1, 0.2, …]`.
    public var description: String {
        let shown = values.prefix(8).map { String(format: "%.4g", Double($0)) }.joined(separator: ", ")
        let more = count > 8 ? ", … (\(count) values)" : ""
        let g = requiresGrad ? " requiresGrad" : ""
        return "Tensor\(shape) [\(shown)\(more)]\(g)"
    }
}
