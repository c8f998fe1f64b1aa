/// Multi-head self-attention over a sequence [B, T, C], with one fused projection for queries,
/// keys and values (`qkv`, C → 3C) and an output projection (`proj`, C → C), as in GPT-2.
///
/// Each of `heads` heads works on its own D = C/heads slice of q, k, v:
/// weights = softmax(q·kᵀ/√D) over keys, output = weights·v. With `causal`, position t attends
/// only to positions ≤ t: later scores are set to −∞ before the softmax, so their weights are 0.
public final class MultiHeadSelfAttention: Module, Layer {
    /// C → 3C; the output's last axis is [q | k | v], each C wide and split into heads in order.
    public let qkv: Linear
    /// C → C, mixing the concatenated heads.
    public let proj: Linear
    /// Model width C.
    public let dim: Int
    /// Number of heads (divides `dim`).
    public let heads: Int
    /// Whether each position sees only itself and earlier positions.
    public let causal: Bool

    /// When true, each call stores its attention weights in `lastAttentionWeights`.
    public var recordWeights = false
    /// The attention weights [B, heads, T, T] of the last call (detached), when `recordWeights`
    /// was set; row t holds how much query t took from each key.
    public private(set) var lastAttentionWeights: Tensor?

    /// Width `dim`, `heads` heads; `qkv` is initialised before `proj`.
    public init(dim: Int, heads: Int, causal: Bool, rng: inout RNG) {
        precondition(heads > 0 && dim % heads == 0, "attention: width \(dim) does not split into \(heads) heads")
        self.dim = dim
        self.heads = heads
        self.causal = causal
        qkv = Linear(dim, 3 * dim, rng: &rng)
        proj = Linear(dim, dim, rng: &rng)
        super.init()
    }

    /// "qkv", "proj".
    public override var children: [(name: String, module: Module)] {
        [(name: "qkv", module: qkv), (name: "proj", module: proj)]
    }

    /// [B, T, C] → [B, T, C].
    public func callAsFunction(_ x: Tensor) -> Tensor {
        precondition(x.rank == 3 && x.shape[2] == dim, "attention expects [B, T, \(dim)], got \(x.shape)")
        // Each head reads its q, k, v slices of the fused projection in place (see
        // `fusedSelfAttention`); the result equals, bit for bit, reshaping [B, T, 3C] into per-head
        // [B, H, T, D] tensors, softmax(q·kᵀ/√D)·v, and permuting the heads back.
        let (mixed, weights) = qkv(x).fusedSelfAttention(heads: heads, causal: causal)
        lastAttentionWeights = recordWeights ? weights : nil
        return proj(mixed)
    }

    /// [T, T] with 1 above the diagonal: key j is hidden from query i when j > i.
    public static func causalMask(_ t: Int) -> Tensor {
        let m = Tensor.zeros([t, t])
        for i in 0..<t { for j in (i + 1)..<t { m.mutableData[i * t + j] = 1 } }
        return m
    }
}
