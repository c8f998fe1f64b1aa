/// Multi-head cross-attention: queries from one sequence, keys and values from another.
///
/// In an encoder–decoder model (the original Transformer, Whisper) the decoder's positions ask
/// questions (queries, from x [B, T, C]) of the encoder's output (the memory [B, S, M]), which
/// supplies both what is matched (keys) and what is read (values). Per head of width D = C/heads:
/// weights = softmax(q·kᵀ/√D) over the S memory positions, output = weights·v. Nothing is masked:
/// every query may read every memory position. The memory width M may differ from C.
///
/// Composed from the engine's differentiable ops (linear, reshape, permute, matmul, softmax), so
/// its backward is theirs; the tests check it against a loop-by-loop reference and by finite
/// differences.
public final class MultiHeadCrossAttention: Module {
    /// C → C queries.
    public let query: Linear
    /// M → 2C; the output's last axis is [k | v], each C wide and split into heads in order.
    public let keyValue: Linear
    /// C → C, mixing the concatenated heads.
    public let proj: Linear
    /// Query (and output) width C.
    public let dim: Int
    /// Number of heads (divides `dim`).
    public let heads: Int

    /// When true, each call stores its attention weights in `lastAttentionWeights`.
    public var recordWeights = false
    /// The weights [B, heads, T, S] of the last call (detached), when `recordWeights` was set:
    /// row t says how much query t read from each memory position.
    public private(set) var lastAttentionWeights: Tensor?

    /// Queries of width `dim` reading a memory of width `memoryDim`, in `heads` heads. Layers are
    /// initialised in the order query, keyValue, proj.
    public init(dim: Int, memoryDim: Int, heads: Int, rng: inout RNG) {
        precondition(heads > 0 && dim % heads == 0, "cross-attention: width \(dim) does not split into \(heads) heads")
        self.dim = dim
        self.heads = heads
        query = Linear(dim, dim, rng: &rng)
        keyValue = Linear(memoryDim, 2 * dim, rng: &rng)
        proj = Linear(dim, dim, rng: &rng)
        super.init()
    }

    /// "query", "keyValue", "proj".
    public override var children: [(name: String, module: Module)] {
        [(name: "query", module: query), (name: "keyValue", module: keyValue), (name: "proj", module: proj)]
    }

    /// x [B, T, C] reading memory [B, S, M] → [B, T, C].
    public func callAsFunction(_ x: Tensor, memory: Tensor) -> Tensor {
        precondition(x.rank == 3 && x.shape[2] == dim, "cross-attention expects queries [B, T, \(dim)], got \(x.shape)")
        precondition(memory.rank == 3 && memory.shape[0] == x.shape[0] && memory.shape[2] == keyValue.inFeatures,
                     "cross-attention expects memory [\(x.shape[0]), S, \(keyValue.inFeatures)], got \(memory.shape)")
        let b = x.shape[0], t = x.shape[1], s = memory.shape[1], d = dim / heads
        let q = query(x).reshape([b, t, heads, d]).permute([0, 2, 1, 3])                 // [B, H, T, D]
        let kv = keyValue(memory).reshape([b, s, 2, heads, d]).permute([2, 0, 3, 1, 4])  // [2, B, H, S, D]
        let k = kv.slice(axis: 0, 0..<1).reshape([b, heads, s, d])
        let v = kv.slice(axis: 0, 1..<2).reshape([b, heads, s, d])
        let weights = q.matmul(k.transpose()).scaled(1 / Float(d).squareRoot()).softmax()  // [B, H, T, S]
        lastAttentionWeights = recordWeights ? weights.detach() : nil
        let mixed = weights.matmul(v).permute([0, 2, 1, 3]).reshape([b, t, dim])
        return proj(mixed)
    }
}
