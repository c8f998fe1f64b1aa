/// A table of learned vectors, one row per token id (PyTorch's `nn.Embedding`).
public final class Embedding: Module {
    /// [count, dim], initialised from a standard normal as in PyTorch.
    public let weight: Tensor

    /// Number of rows (vocabulary size).
    public var count: Int { weight.shape[0] }
    /// Length of each vector.
    public var dim: Int { weight.shape[1] }

    /// A `count`×`dim` table of N(0, 1) values.
    public init(_ count: Int, _ dim: Int, rng: inout RNG) {
        precondition(count > 0 && dim > 0, "Embedding needs positive sizes, got \(count)×\(dim)")
        weight = Init.normal([count, dim], std: 1, rng: &rng)
        super.init()
    }

    /// "weight", as in PyTorch's state dicts.
    public override var localParameters: [(name: String, tensor: Tensor)] { [(name: "weight", tensor: weight)] }

    /// The rows for `ids`, laid out as `shape + [dim]` (for example ids of a [B, T] batch give
    /// [B, T, dim]). Gradients add into the rows that were used.
    public func callAsFunction(ids: [Int], shape: [Int]) -> Tensor {
        embedding(weight, ids: ids, shape: shape)
    }

    /// The rows for a flat list of ids: [ids.count, dim].
    public func callAsFunction(ids: [Int]) -> Tensor {
        embedding(weight, ids: ids, shape: [ids.count])
    }
}
