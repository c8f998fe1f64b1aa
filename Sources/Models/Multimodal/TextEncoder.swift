import Engine

/// The sizes of a `TextEncoder`.
public struct TextEncoderConfig: Equatable, Sendable, CustomStringConvertible {
    /// Number of token ids.
    public var vocab: Int
    /// Tokens per sequence (inputs are padded to exactly this length).
    public var context: Int
    /// Width of the token vectors.
    public var width: Int
    /// Attention heads per block.
    public var heads: Int
    /// Number of encoder blocks.
    public var layers: Int
    /// Length of the text embedding shared with the image encoder.
    public var embedDim: Int

    /// A configuration.
    public init(vocab: Int, context: Int, width: Int, heads: Int, layers: Int, embedDim: Int) {
        precondition(width % heads == 0, "TextEncoderConfig: width \(width) does not split into \(heads) heads")
        self.vocab = vocab; self.context = context; self.width = width
        self.heads = heads; self.layers = layers; self.embedDim = embedDim
    }

    public var description: String {
        "TextEncoder(vocab \(vocab), context \(context), width \(width), heads \(heads), layers \(layers), embed \(embedDim))"
    }
}

/// A small transformer encoder over word tokens: token and position embeddings, `layers`
/// bidirectional blocks, a final LayerNorm. `tokens` gives one vector per position (what a
/// text-to-image model cross-attends to); the embedding is the vector at position 0, the start
/// marker, projected to `embedDim` (BERT's [CLS] readout; CLIP reads its end marker instead,
/// because its text tower is causal).
///
/// Every input is padded to `context` tokens, so a caption's output never depends on what else
/// is in the batch; the padding is attended to like any token and the model learns to ignore it.
public final class TextEncoder: Module {
    /// The sizes.
    public let config: TextEncoderConfig
    /// Token table [vocab, width].
    public let tok: Embedding
    /// Position table [context, width].
    public let pos: Embedding
    /// The encoder blocks.
    public let blocks: [EncoderBlock]
    /// Final normalisation.
    public let ln: LayerNorm
    /// Start-marker vector → embedding.
    public let proj: Linear

    /// An encoder with weights drawn from `rng`.
    public init(_ config: TextEncoderConfig, rng: inout RNG) {
        self.config = config
        tok = Embedding(config.vocab, config.width, rng: &rng)
        pos = Embedding(config.context, config.width, rng: &rng)
        var bs: [EncoderBlock] = []
        for _ in 0..<config.layers { bs.append(EncoderBlock(width: config.width, heads: config.heads, rng: &rng)) }
        blocks = bs
        ln = LayerNorm(config.width)
        proj = Linear(config.width, config.embedDim, bias: false, rng: &rng)
        super.init()
    }

    public override var children: [(name: String, module: Module)] {
        [("tok", tok), ("pos", pos)] + blocks.enumerated().map { ("blocks.\($0.offset)", $0.element as Module) }
            + [("ln", ln), ("proj", proj)]
    }

    /// One vector per token: ids [B][context] → [B, context, width].
    public func tokens(_ ids: [[Int]]) -> Tensor {
        let b = ids.count, t = config.context
        precondition(b > 0 && ids.allSatisfy { $0.count == t }, "TextEncoder expects \(t) ids per row (pad them), got \(ids.map(\.count))")
        var h = tok(ids: ids.flatMap { $0 }, shape: [b, t]) + pos(ids: Array(0..<t), shape: [t])
        for block in blocks { h = block(h) }
        return ln(h)
    }

    /// The text embedding (not normalised): ids [B][context] → [B, embedDim].
    public func callAsFunction(_ ids: [[Int]]) -> Tensor {
        let h = tokens(ids)
        return proj(h.slice(axis: 1, 0..<1).reshape([ids.count, config.width]))
    }
}
