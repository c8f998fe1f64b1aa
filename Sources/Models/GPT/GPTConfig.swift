/// The sizes that define a GPT.
public struct GPTConfig: Equatable, Sendable, CustomStringConvertible {
    /// Number of token ids.
    public var vocab: Int
    /// Longest sequence the position table covers.
    public var context: Int
    /// Residual stream width d.
    public var width: Int
    /// Attention heads per layer (must divide `width`).
    public var heads: Int
    /// Number of transformer blocks.
    public var layers: Int
    /// Dropout probability on attention output and MLP output during training.
    public var dropout: Float

    public init(vocab: Int, context: Int, width: Int, heads: Int, layers: Int, dropout: Float = 0) {
        precondition(width % heads == 0, "width \(width) is not divisible by \(heads) heads")
        self.vocab = vocab; self.context = context; self.width = width
        self.heads = heads; self.layers = layers; self.dropout = dropout
    }

    /// Parameters outside the embeddings and the output head: 12·d² + 13·d per block (attention
    /// 4d² + 4d, MLP 8d² + 5d, two layer norms 4d), plus the final layer norm's 2d. This is the N
    /// of scaling laws.
    public var nonEmbeddingParameters: Int { layers * (12 * width * width + 13 * width) + 2 * width }

    /// All parameters: non-embedding plus token and position tables and the untied head.
    public var totalParameters: Int { nonEmbeddingParameters + vocab * width + context * width + width * vocab }

    /// Forward FLOPs per token at sequence length `t`: 2 per multiply-add in the weight matrices
    /// (2·N plus the head 2·d·V) and the attention scores and mixing, 2·2·t·d per layer (causal
    /// attention does half of that work, which is ignored here as in Kaplan et al.).
    public func forwardFLOPsPerToken(sequence t: Int) -> Double {
        2 * Double(nonEmbeddingParameters + width * vocab) + 4 * Double(layers * t * width)
    }

    /// Training FLOPs per token: forward plus backward ≈ 3 × forward (the 6N rule).
    public func trainingFLOPsPerToken(sequence t: Int) -> Double { 3 * forwardFLOPsPerToken(sequence: t) }

    public var description: String {
        "GPT(vocab \(vocab), context \(context), width \(width), heads \(heads), layers \(layers))"
    }
}
