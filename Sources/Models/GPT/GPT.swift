import Engine

/// The position-wise MLP of a transformer block: width → 4·width → width with GELU.
public final class FeedForward: Module {
    /// Expansion layer (d → 4d).
    public let fc: Linear
    /// Projection back to the residual stream (4d → d).
    public let proj: Linear

    public init(width: Int, rng: inout RNG) {
        fc = Linear(width, 4 * width, rng: &rng)
        proj = Linear(4 * width, width, rng: &rng)
    }

    public override var children: [(name: String, module: Module)] { [("fc", fc), ("proj", proj)] }

    public func callAsFunction(_ x: Tensor) -> Tensor { proj(fc(x).gelu()) }
}

/// A pre-LayerNorm transformer block: x + attn(ln1(x)), then x + mlp(ln2(x)).
public final class TransformerBlock: Module {
    public let ln1: LayerNorm
    public let attn: MultiHeadSelfAttention
    public let ln2: LayerNorm
    public let mlp: FeedForward
    let dropout: Float
    var rng: RNG

    public init(_ config: GPTConfig, rng: inout RNG) {
        ln1 = LayerNorm(config.width)
        attn = MultiHeadSelfAttention(dim: config.width, heads: config.heads, causal: true, rng: &rng)
        ln2 = LayerNorm(config.width)
        mlp = FeedForward(width: config.width, rng: &rng)
        dropout = config.dropout
        self.rng = rng.fork()
    }

    public override var children: [(name: String, module: Module)] {
        [("ln1", ln1), ("attn", attn), ("ln2", ln2), ("mlp", mlp)]
    }

    public func callAsFunction(_ x: Tensor) -> Tensor {
        let a = attn(ln1(x)).dropout(dropout, training: isTraining, rng: &rng)
        let h = x + a
        return h + mlp(ln2(h)).dropout(dropout, training: isTraining, rng: &rng)
    }
}

/// A decoder-only transformer language model (GPT-2's shape, small).
///
/// Token and learned position embeddings are added, run through the blocks, normalised, and an
/// untied linear head gives one logit per vocabulary entry at every position.
public final class GPT: Module {
    public let config: GPTConfig
    /// Token embedding table [vocab, width].
    public let tok: Embedding
    /// Learned position embedding table [context, width].
    public let pos: Embedding
    /// The transformer blocks, named "blocks.0", "blocks.1", …
    public let blocks: [TransformerBlock]
    /// Final layer norm.
    public let ln: LayerNorm
    /// Output head [vocab, width], no bias.
    public let head: Linear

    /// A GPT with PyTorch-default initialisation drawn from `rng`.
    public init(_ config: GPTConfig, rng: inout RNG) {
        self.config = config
        tok = Embedding(config.vocab, config.width, rng: &rng)
        pos = Embedding(config.context, config.width, rng: &rng)
        var bs: [TransformerBlock] = []
        for _ in 0..<config.layers { bs.append(TransformerBlock(config, rng: &rng)) }
        blocks = bs
        ln = LayerNorm(config.width)
        head = Linear(config.width, config.vocab, bias: false, rng: &rng)
    }

    /// A GPT seeded directly.
    public convenience init(_ config: GPTConfig, seed: UInt64) {
        var rng = RNG(seed: seed)
        self.init(config, rng: &rng)
    }

    public override var children: [(name: String, module: Module)] {
        [("tok", tok), ("pos", pos)] + blocks.enumerated().map { ("blocks.\($0.offset)", $0.element) }
            + [("ln", ln), ("head", head)]
    }

    /// Logits [B, T, vocab] for token ids given row by row as [B][T] (T ≤ context).
    public func callAsFunction(_ ids: [[Int]]) -> Tensor {
        let b = ids.count, t = ids.first?.count ?? 0
        precondition(b > 0 && t > 0 && ids.allSatisfy { $0.count == t }, "GPT input must be a non-empty rectangle of ids")
        precondition(t <= config.context, "sequence of \(t) tokens exceeds the context of \(config.context)")
        let x = tok(ids: ids.flatMap { $0 }, shape: [b, t]) + pos(ids: Array(0..<t), shape: [t])
        var h = x
        for block in blocks { h = block(h) }
        return head(ln(h))
    }

    /// Mean next-token cross-entropy (nats) of `inputs` predicting `targets` (same shape).
    public func loss(_ inputs: [[Int]], _ targets: [[Int]]) -> Tensor {
        let logits = self(inputs)
        return crossEntropy(logits.reshape([-1, config.vocab]), targets.flatMap { $0 })
    }
}
