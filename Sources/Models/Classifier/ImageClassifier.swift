import Engine

/// A small convolutional classifier for [N, C, H, W] images in [−1, 1].
///
/// Each stage is a 3×3 convolution, GroupNorm and SiLU followed by 2×2 average pooling, doubling
/// the channels as the resolution halves. A global average over the last map gives the feature
/// vector, and a linear layer turns it into class logits. The diffusion chapters use it twice:
/// its predictions say whether a generated image looks like some class, and its feature vectors
/// are where the Fréchet distance between generated and real images is measured.
public final class ImageClassifier: Module {
    let convs: [Conv2d]
    let norms: [GroupNorm]
    let head: Linear

    /// `stages` conv stages starting at `width` channels, for `channels`-channel images and `classes` classes.
    public init(channels: Int, classes: Int, width: Int = 32, stages: Int = 2, rng: inout RNG) {
        precondition(stages >= 1 && width >= 1 && classes >= 2, "ImageClassifier: need stages ≥ 1, width ≥ 1, classes ≥ 2")
        var convs: [Conv2d] = [], norms: [GroupNorm] = []
        var previous = channels
        for s in 0..<stages {
            let c = width << s
            convs.append(Conv2d(previous, c, kernel: 3, padding: 1, rng: &rng))
            norms.append(GroupNorm(groups: c % 8 == 0 ? 8 : 1, channels: c))
            previous = c
        }
        self.convs = convs
        self.norms = norms
        head = Linear(previous, classes, rng: &rng)
        super.init()
    }

    /// Length of the feature vector (the last stage's channels).
    public var featureDimension: Int { head.inFeatures }

    /// conv.i, norm.i, head.
    public override var children: [(name: String, module: Module)] {
        convs.enumerated().map { ("conv.\($0.offset)", $0.element as Module) }
            + norms.enumerated().map { ("norm.\($0.offset)", $0.element as Module) }
            + [("head", head)]
    }

    /// The penultimate features [N, featureDimension]: the global average of the last stage.
    public func features(_ x: Tensor) -> Tensor {
        var h = x
        for (conv, norm) in zip(convs, norms) {
            h = norm(conv(h)).silu()
            if h.shape[2] >= 2 && h.shape[3] >= 2 { h = h.avgPool2d(kernel: 2) }
        }
        return h.mean(axes: [2, 3])
    }

    /// Class logits [N, classes].
    public func callAsFunction(_ x: Tensor) -> Tensor { head(features(x)) }

    /// Class logits from features already computed by `features(_:)`, so one pass gives both.
    public func logits(features: Tensor) -> Tensor { head(features) }
}
