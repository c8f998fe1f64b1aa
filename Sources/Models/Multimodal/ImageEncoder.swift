import Engine

/// The sizes of an `ImageEncoder`.
public struct ImageEncoderConfig: Equatable, Sendable, CustomStringConvertible {
    /// Channels of the feature grid (the first convolution has half as many).
    public var width: Int
    /// Length of the image embedding shared with the text encoder.
    public var embedDim: Int

    /// A configuration.
    public init(width: Int, embedDim: Int) {
        precondition(width >= 2 && width % 2 == 0 && embedDim >= 1, "ImageEncoderConfig: even width ≥ 2 and embedDim ≥ 1, got \(width), \(embedDim)")
        self.width = width
        self.embedDim = embedDim
    }

    public var description: String { "ImageEncoder(width \(width), embed \(embedDim))" }
}

/// A small CNN that turns a 3×32×32 image into an 8×8 grid of feature vectors, and from it either
/// one embedding (for contrastive alignment) or a sequence of 64 tokens (for a transformer to
/// attend to: captioning, question answering, or a later chapter's cross-attention).
///
/// Four 3×3 convolutions, each followed by a GroupNorm and SiLU, two of them with stride 2, give
/// the grid (PyTorch's default initialisation shrinks the signal about threefold per layer, so
/// without the norms the deeper layers start with their biases drowning the image); a learned position
/// vector is added to each of its 64 cells so a token knows where it came from (the Sort-of-CLEVR
/// models add coordinate channels for the same reason). The embedding averages 2×2 blocks of the
/// grid (a 4×4 layout survives, so "left of" can still be told apart), appends the mean over the
/// whole grid (a summary that does not depend on where a shape is, so "red" is one direction
/// wherever the red shape sits) and projects these 17·width numbers to `embedDim`.
public final class ImageEncoder: Module {
    /// The sizes.
    public let config: ImageEncoderConfig
    /// The convolutions, 32×32 → 32×32 → 16×16 → 8×8 → 8×8.
    public let convs: [Conv2d]
    /// A GroupNorm after each convolution (8 groups).
    public let norms: [GroupNorm]
    /// One learned vector per grid cell, [64, width].
    public let position: Tensor
    /// Global mean (width) and flattened pooled grid (16·width) → embedding.
    public let proj: Linear

    /// Side of the feature grid.
    public static let gridSide = 8

    /// An encoder with weights drawn from `rng`.
    public init(_ config: ImageEncoderConfig, rng: inout RNG) {
        self.config = config
        let w = config.width
        convs = [Conv2d(3, w / 2, kernel: 3, padding: 1, rng: &rng),
                 Conv2d(w / 2, w, kernel: 3, stride: 2, padding: 1, rng: &rng),
                 Conv2d(w, w, kernel: 3, stride: 2, padding: 1, rng: &rng),
                 Conv2d(w, w, kernel: 3, padding: 1, rng: &rng)]
        norms = [w / 2, w, w, w].map { GroupNorm(groups: Swift.min(8, $0), channels: $0) }
        position = Init.normal([Self.gridSide * Self.gridSide, w], std: 0.1, rng: &rng)
        position.requiresGrad = true
        proj = Linear(17 * w, config.embedDim, rng: &rng)
        super.init()
    }

    public override var localParameters: [(name: String, tensor: Tensor)] { [("position", position)] }

    public override var children: [(name: String, module: Module)] {
        convs.enumerated().map { ("convs.\($0.offset)", $0.element as Module) }
            + norms.enumerated().map { ("norms.\($0.offset)", $0.element as Module) } + [("proj", proj)]
    }

    /// The feature grid: [B, 3, 32, 32] → [B, width, 8, 8].
    public func features(_ x: Tensor) -> Tensor {
        precondition(x.rank == 4 && x.shape[1] == 3 && x.shape[2] == 32 && x.shape[3] == 32, "ImageEncoder expects [B, 3, 32, 32], got \(x.shape)")
        var h = x
        for (conv, norm) in zip(convs, norms) { h = norm(conv(h)).silu() }
        return h
    }

    /// The grid as a sequence of 64 tokens, row by row from the top left, with their positions
    /// added: [B, 3, 32, 32] → [B, 64, width].
    public func tokens(_ x: Tensor) -> Tensor {
        let f = features(x)
        let b = f.shape[0], w = config.width, n = Self.gridSide * Self.gridSide
        return f.reshape([b, w, n]).transpose(1, 2) + position
    }

    /// The image embedding (not normalised): [B, 3, 32, 32] → [B, embedDim].
    public func callAsFunction(_ x: Tensor) -> Tensor {
        let f = features(x)
        let b = f.shape[0]
        let summary = f.mean(axes: [2, 3])
        return proj(Tensor.concat([summary, f.avgPool2d(kernel: 2).reshape([b, -1])], axis: 1))
    }
}
