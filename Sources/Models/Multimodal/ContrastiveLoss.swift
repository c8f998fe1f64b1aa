import Engine
/// Each row of x [B, E] divided by its Euclidean length (plus `eps` under the root, so a zero row
/// stays finite). Cosine similarity is then a plain dot product.
public func l2Normalized(_ x: Tensor, eps: Float = 1e-8) -> Tensor {
    x / (x.square().sum(axes: [x.rank - 1], keepDims: true) + eps).sqrt()
}

/// CLIP's learnable temperature, stored as a log so it stays positive and its steps are relative.
///
/// The logits are cos-similarities times `exp(logScale)`; 1/scale is the softmax temperature.
/// It starts at temperature 0.07 (scale ≈ 14.3) and `clamp()` keeps the scale within [1, 100]
/// after every optimiser step, as CLIP's training does, so a run cannot sharpen the softmax
/// without bound (which makes the loss on easy batches ≈ 0 and the gradients unstable).
public final class LogitScale: Module {
    /// log(scale), shape [1].
    public let logScale: Tensor
    /// The largest scale `clamp()` allows.
    public static let maxScale: Float = 100

    /// A scale of 1/temperature.
    public init(temperature: Float = 0.07) {
        precondition(temperature > 0, "LogitScale: temperature must be positive, got \(temperature)")
        logScale = parameter([1], [logf(1 / temperature)])
        super.init()
    }

    public override var localParameters: [(name: String, tensor: Tensor)] { [("log_scale", logScale)] }

    /// The current scale exp(logScale).
    public var scale: Float { expf(logScale.data[0]) }

    /// Clamps logScale to [0, log 100] in place (no gradient: it runs after the optimiser step).
    public func clamp() {
        logScale.storage.pointer[0] = Swift.min(Swift.max(logScale.data[0], 0), logf(Self.maxScale))
    }
}

/// The symmetric InfoNCE loss of CLIP for a batch of B matching pairs (row i of `image` belongs
/// with row i of `text`).
///
/// Both sides are L2-normalised, logits = exp(logScale)·I·Tᵀ is B×B, and the loss is the mean of
/// two cross-entropies: each image must pick its own caption among the B captions (rows) and each
/// caption its own image among the B images (columns). The other B−1 pairs of the batch are the
/// negatives, so a larger batch makes the task harder and the signal richer.
public func contrastiveLoss(image: Tensor, text: Tensor, logScale: Tensor) -> Tensor {
    precondition(image.rank == 2 && image.shape == text.shape, "contrastiveLoss: image \(image.shape) and text \(text.shape) must both be [B, E]")
    let logits = l2Normalized(image).matmul(l2Normalized(text).transpose()) * logScale.exp()
    let targets = Array(0..<image.shape[0])
    return (crossEntropy(logits, targets) + crossEntropy(logits.transpose(), targets)) * 0.5
}

/// Cosine similarities [A, B] between the rows of a [A, E] and b [B, E], without gradients.
public func cosineSimilarity(_ a: Tensor, _ b: Tensor) -> Tensor {
    Tensor.noGrad { l2Normalized(a).matmul(l2Normalized(b).transpose()) }
}
