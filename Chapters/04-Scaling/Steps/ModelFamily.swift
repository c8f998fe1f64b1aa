import Engine
import Models

/// One member of the model family: a byte-level GPT's shape, named for the table and legends.
public struct ModelSize: Sendable, Equatable, Codable {
    /// Short label such as "d32·L2".
    public var name: String { "d\(width)·L\(layers)" }
    /// Residual width d.
    public var width: Int
    /// Transformer blocks.
    public var layers: Int
    /// Attention heads (head size width / heads).
    public var heads: Int

    /// A size; `heads` must divide `width`.
    public init(width: Int, layers: Int, heads: Int) {
        precondition(width % heads == 0, "width \(width) is not divisible by \(heads) heads")
        self.width = width; self.layers = layers; self.heads = heads
    }

    /// The GPT of this size over the 256 byte values with a context of `context` bytes.
    public func config(context: Int) -> GPTConfig {
        GPTConfig(vocab: 256, context: context, width: width, heads: heads, layers: layers)
    }

    /// Non-embedding parameters: the N of the scaling laws.
    public var parameters: Int { config(context: 1).nonEmbeddingParameters }
}

/// Training FLOPs per token of a GPT at full context: 3 × forward (backward costs about twice the
/// forward), where the forward counts 2 FLOPs per multiply-add of every weight matrix that acts on
/// a token (the blocks' N plus the output head d·V; the embeddings are table look-ups) and the
/// attention scores and the mixing of values, 2·t·d each per layer. This is Kaplan et al.'s
/// "6N + attention" with the head included, which matters here: at width 16 the head's 2·16·256
/// multiply-adds outweigh the whole block.
public func trainingFLOPsPerToken(_ config: GPTConfig) -> Double {
    config.trainingFLOPsPerToken(sequence: config.context)
}

/// The learning rate each width trains at: 1.2·10⁻² at width 64, scaled by (64/d)^1.5 so narrow
/// models take much larger steps (their weights' fan-in is smaller, so one step moves the output
/// less). The rule was read off the chapter's learning-rate sweep (step 6), whose best rates after
/// 240 steps were 0.128, 0.032 and 0.016 for widths 16, 32 and 64; it sits at or a little below
/// them because a short sweep favours larger rates than a long run tolerates. An earlier rule,
/// 4·10⁻³·(64/d)^½, under-trained the small models by a factor 4–16 in rate.
public func learningRate(width: Int) -> Float {
    Float(1.2e-2 * pow(64.0 / Double(width), 1.5))
}
