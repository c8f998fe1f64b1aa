import Engine

/// A pre-LayerNorm transformer decoder block with cross-attention, as in the original
/// Transformer's decoder and Whisper's: causal self-attention over the tokens so far, then
/// attention from the tokens to an encoder's output, then the MLP, each added to the residual.
public final class CrossDecoderBlock: Module {
    public let ln1: LayerNorm
    /// Causal: token t sees tokens ≤ t.
    public let attn: MultiHeadSelfAttention
    public let ln2: LayerNorm
    /// Queries from the tokens, keys and values from the encoder output.
    public let cross: MultiHeadCrossAttention
    public let ln3: LayerNorm
    public let mlp: FeedForward

    /// A block of width `width` with `heads` heads reading a memory of width `memoryDim`.
    public init(width: Int, memoryDim: Int, heads: Int, rng: inout RNG) {
        ln1 = LayerNorm(width)
        attn = MultiHeadSelfAttention(dim: width, heads: heads, causal: true, rng: &rng)
        ln2 = LayerNorm(width)
        cross = MultiHeadCrossAttention(dim: width, memoryDim: memoryDim, heads: heads, rng: &rng)
        ln3 = LayerNorm(width)
        mlp = FeedForward(width: width, rng: &rng)
    }

    public override var children: [(name: String, module: Module)] {
        [("ln1", ln1), ("attn", attn), ("ln2", ln2), ("cross", cross), ("ln3", ln3), ("mlp", mlp)]
    }

    /// Tokens x [B, T, width], memory [B, S, memoryDim] → [B, T, width].
    public func callAsFunction(_ x: Tensor, memory: Tensor) -> Tensor {
        let h1 = x + attn(ln1(x))
        let h2 = h1 + cross(ln2(h1), memory: memory)
        return h2 + mlp(ln3(h2))
    }
}
