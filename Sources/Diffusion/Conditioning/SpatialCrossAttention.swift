import Engine

/// Cross-attention from an image feature map to a sequence of context vectors: how Stable
/// Diffusion's U-Net reads the text.
///
/// Self-attention (chapter 02) takes queries, keys and values from one sequence. Here the queries
/// come from the image, one per position of the feature map, and the keys and values from the
/// text encoder's token vectors. Each image position therefore asks "which words concern me?" and
/// receives a mix of those words' values:
///
///     tokens  = GroupNorm(x) as [N, H·W, C]            one query row per pixel of the map
///     q = tokens·W_q        [N, heads, H·W, d]          d = C / heads
///     k = context·W_k       [N, heads, T, d]            T text tokens
///     v = context·W_v       [N, heads, T, d]
///     A = softmax(q·kᵀ / √d) over the T tokens        [N, heads, H·W, T]
///     out = x + (A·v, heads side by side)·W_o          back to [N, C, H, W]
///
/// The output projection starts at zero, so a freshly built block passes x through unchanged and
/// the U-Net begins as an unconditional denoiser that learns to listen to the text.
///
/// The engine's `MultiHeadCrossAttention` is the same attention between two sequences (a decoder
/// reading an encoder, chapter 11); this block adds what an image needs around it: the feature
/// map read as a sequence of positions, a GroupNorm, the residual, and a zero-initialised output.
public final class SpatialCrossAttention: Module {
    /// Channels of the feature map (queries and values are this wide).
    public let channels: Int
    /// Width of each context vector.
    public let contextDim: Int
    /// Number of heads (divides `channels`).
    public let heads: Int
    let norm: GroupNorm
    let query: Linear, key: Linear, value: Linear, out: Linear

    /// When true, each call keeps its attention weights in `lastAttentionWeights`.
    public var recordWeights = false
    /// The weights [N, heads, H·W, T] of the last call (detached) when `recordWeights` is set: row p
    /// says how much image position p (row-major) took from each text token.
    public private(set) var lastAttentionWeights: Tensor?

    /// A block for `channels`-channel maps reading `contextDim`-wide tokens with `heads` heads;
    /// `groups` is the GroupNorm's group count.
    public init(channels: Int, contextDim: Int, heads: Int, groups: Int, rng: inout RNG) {
        precondition(heads >= 1 && channels % heads == 0, "CrossAttention: \(channels) channels do not split into \(heads) heads")
        self.channels = channels
        self.contextDim = contextDim
        self.heads = heads
        norm = GroupNorm(groups: groups, channels: channels)
        query = Linear(channels, channels, bias: false, rng: &rng)
        key = Linear(contextDim, channels, bias: false, rng: &rng)
        value = Linear(contextDim, channels, bias: false, rng: &rng)
        let o = Linear(channels, channels, rng: &rng)
        o.weight.storage.pointer.update(repeating: 0, count: o.weight.count)
        if let b = o.bias { b.storage.pointer.update(repeating: 0, count: b.count) }
        out = o
        super.init()
    }

    /// The four projections (query, key, value, output): where chapter 10 attaches LoRA adapters.
    public var projections: [Linear] { [query, key, value, out] }

    /// norm, query, key, value, out.
    public override var children: [(name: String, module: Module)] {
        [("norm", norm), ("query", query), ("key", key), ("value", value), ("out", out)]
    }

    /// x [N, C, H, W] attending to context [N, T, contextDim] → [N, C, H, W] (x plus the update).
    public func callAsFunction(_ x: Tensor, context: Tensor) -> Tensor {
        precondition(x.rank == 4 && x.shape[1] == channels, "CrossAttention: expected [N, \(channels), H, W], got \(x.shape)")
        precondition(context.rank == 3 && context.shape[0] == x.shape[0] && context.shape[2] == contextDim,
                     "CrossAttention: expected context [\(x.shape[0]), T, \(contextDim)], got \(context.shape)")
        let n = x.shape[0], c = channels, hw = x.shape[2] * x.shape[3], t = context.shape[1], d = c / heads
        let tokens = norm(x).reshape([n, c, hw]).transpose(1, 2)                      // [N, HW, C]
        let q = query(tokens).reshape([n, hw, heads, d]).permute([0, 2, 1, 3])        // [N, h, HW, d]
        let k = key(context).reshape([n, t, heads, d]).permute([0, 2, 1, 3])          // [N, h, T, d]
        let v = value(context).reshape([n, t, heads, d]).permute([0, 2, 1, 3])        // [N, h, T, d]
        let weights = q.matmul(k.transpose(2, 3)).scaled(1 / Float(d).squareRoot()).softmax()  // [N, h, HW, T]
        lastAttentionWeights = recordWeights ? weights.detach() : nil
        let mixed = weights.matmul(v).permute([0, 2, 1, 3]).reshape([n, hw, c])      // [N, HW, C]
        return x + out(mixed).transpose(1, 2).reshape(x.shape)
    }
}
