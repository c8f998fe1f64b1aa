import Engine

/// A pre-LayerNorm transformer block whose attention sees the whole sequence in both directions
/// (an encoder block, as in BERT or CLIP's text tower): x + attn(ln1(x)), then x + mlp(ln2(x)).
/// It differs from the GPT's `TransformerBlock` only in the missing causal mask.
public final class EncoderBlock: Module {
    public let ln1: LayerNorm
    public let attn: MultiHeadSelfAttention
    public let ln2: LayerNorm
    public let mlp: FeedForward

    /// A block of width `width` with `heads` heads.
    public init(width: Int, heads: Int, rng: inout RNG) {
        ln1 = LayerNorm(width)
        attn = MultiHeadSelfAttention(dim: width, heads: heads, causal: false, rng: &rng)
        ln2 = LayerNorm(width)
        mlp = FeedForward(width: width, rng: &rng)
    }

    public override var children: [(name: String, module: Module)] {
        [("ln1", ln1), ("attn", attn), ("ln2", ln2), ("mlp", mlp)]
    }

    /// [B, T, width] → [B, T, width].
    public func callAsFunction(_ x: Tensor) -> Tensor {
        let h = x + attn(ln1(x))
        return h + mlp(ln2(h))
    }
}
