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
        let b = x.shape[0], t = x.shape[1], d = dim / heads
        // [B, T, 3C] → [B, T, 3, H, D] → [3, B, H, T, D], then one [B, H, T, D] each for q, k, v.
        let parts = qkv(x).reshape([b, t, 3, heads, d]).permute([2, 0, 3, 1, 4]).split(axis: 0, sizes: [1, 1, 1])
        let q = parts[0].reshape([b, heads, t, d])
        let k = parts[1].reshape([b, heads, t, d])
        let v = parts[2].reshape([b, heads, t, d])
        let scores = q.matmul(k.transpose())                                        // [B, H, T, T]
        let scale = 1 / Float(d).squareRoot()
        // Causal: scale, hide later keys and normalise in one pass (same bits as the three ops).
        let weights = causal ? scores.causalSoftmax(scale: scale) : scores.scaled(scale).softmax()
        lastAttentionWeights = recordWeights ? weights.detach() : nil
        let mixed = weights.matmul(v)                                              // [B, H, T, D]
        return proj(mixed.permute([0, 2, 1, 3]).reshape([b, t, dim]))
    }

    /// [T, T] with 1 above the diagonal: key j is hidden from query i when j > i.
    public static func causalMask(_ t: Int) -> Tensor {
        let m = Tensor.zeros([t, t])
        for i in 0..<t { for j in (i + 1)..<t { m.data[i * t + j] = 1 } }
        return m
    }
}
