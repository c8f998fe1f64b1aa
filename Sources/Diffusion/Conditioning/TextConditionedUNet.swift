import Engine

/// How a `TextConditionedUNet` hears the text.
public enum TextConditioningMode: String, Sendable {
    /// Cross-attention to every token vector after each residual block (Stable Diffusion).
    case crossAttention
    /// One pooled text vector mapped to a per-channel shift added with the timestep embedding
    /// (FiLM-style; the simpler baseline: the whole caption squeezed into one vector).
    case pooled
}

/// The sizes of a `TextConditionedUNet`: the plain U-Net's and the text's.
public struct TextUNetConfig: Sendable, Equatable, CustomStringConvertible {
    /// The underlying U-Net (levels, channels, groups, timestep width).
    public var unet: UNetConfig
    /// Width of each text token vector (cross-attention keys and values read it).
    public var contextDim: Int
    /// Width of the pooled text vector (the pooled mode reads it).
    public var pooledDim: Int
    /// Heads of every cross-attention block.
    public var heads: Int
    /// Which conditioning the network uses.
    public var mode: TextConditioningMode

    /// A configuration.
    public init(unet: UNetConfig, contextDim: Int, pooledDim: Int, heads: Int = 4, mode: TextConditioningMode = .crossAttention) {
        self.unet = unet
        self.contextDim = contextDim
        self.pooledDim = pooledDim
        self.heads = heads
        self.mode = mode
    }

    /// A readable problem with the configuration, or nil when it is usable.
    public var problem: String? {
        if let p = unet.problem { return p }
        if contextDim < 1 || pooledDim < 1 { return "contextDim and pooledDim must be ≥ 1" }
        for l in 0..<unet.levels where unet.channels(l) % heads != 0 {
            return "level \(l) has \(unet.channels(l)) channels, not divisible by \(heads) heads"
        }
        return nil
    }

    /// A short stable name for cache keys.
    public var description: String {
        let u = unet
        return "t2i-\(mode.rawValue)-i\(u.inChannels)-b\(u.baseChannels)-m\(u.channelMultipliers.map(String.init).joined(separator: "."))"
            + "-g\(u.groups)-t\(u.timeDim)-ctx\(contextDim)-p\(pooledDim)-h\(heads)"
    }
}

/// The text a `TextConditionedUNet` is conditioned on, already encoded.
public struct TextCondition {
    /// One vector per token, [N, T, contextDim] (cross-attention reads these).
    public var tokens: Tensor
    /// One vector per caption, [N, pooledDim] (the pooled mode reads this).
    public var pooled: Tensor

    /// A condition from its parts (rows must match).
    public init(tokens: Tensor, pooled: Tensor) {
        precondition(tokens.rank == 3 && pooled.rank == 2 && tokens.shape[0] == pooled.shape[0],
                     "TextCondition: tokens [N, T, D] and pooled [N, P] must have the same N, got \(tokens.shape) and \(pooled.shape)")
        self.tokens = tokens
        self.pooled = pooled
    }

    /// Rows `indices` of both parts, copied.
    public func rows(_ indices: [Int]) -> TextCondition {
        TextCondition(tokens: Self.gather(tokens, indices), pooled: Self.gather(pooled, indices))
    }

    /// Both parts stacked after `other`'s (rows of self first).
    public func stacked(with other: TextCondition) -> TextCondition {
        TextCondition(tokens: Tensor.concat([tokens, other.tokens], axis: 0), pooled: Tensor.concat([pooled, other.pooled], axis: 0))
    }

    static func gather(_ x: Tensor, _ indices: [Int]) -> Tensor {
        let row = x.count / x.shape[0]
        let out = Tensor.zeros([indices.count] + Array(x.shape.dropFirst()))
        for (k, i) in indices.enumerated() { (out.storage.pointer + k * row).update(from: x.data + i * row, count: row) }
        return out
    }
}

/// The noise predictor of a small Stable Diffusion: chapter 05's U-Net with the text woven in.
///
/// In `crossAttention` mode a `SpatialCrossAttention` block follows every residual block (down, middle
/// and up path), so at every resolution each position of the feature map reads the caption's
/// token vectors. In `pooled` mode the caption's single pooled vector is mapped to the timestep
/// embedding's width and added to it, so every residual block receives it as a per-channel shift
/// (the FiLM-style baseline).
public final class TextConditionedUNet: Module {
    /// The configuration it was built with.
    public let config: TextUNetConfig
    let timeIn: Linear, timeOut: Linear
    let textIn: Linear?
    let inputConv: Conv2d
    let downBlocks: [ResidualBlock], downAttention: [SpatialCrossAttention], downsamples: [Conv2d]
    let middle: ResidualBlock, middleAttention: SpatialCrossAttention?
    let upBlocks: [ResidualBlock], upAttention: [SpatialCrossAttention], upsamples: [Conv2d]
    let outputNorm: GroupNorm, outputConv: Conv2d

    /// A network for `config`, initialised from `rng` (a bad configuration stops with its `problem`).
    public init(_ config: TextUNetConfig, rng: inout RNG) {
        if let problem = config.problem { preconditionFailure("TextUNetConfig: \(problem)") }
        self.config = config
        let u = config.unet, td = u.timeDim, g = u.groups, levels = u.levels
        let attend = config.mode == .crossAttention
        func attention(_ c: Int) -> SpatialCrossAttention { SpatialCrossAttention(channels: c, contextDim: config.contextDim, heads: config.heads, groups: g, rng: &rng) }
        timeIn = Linear(td, td, rng: &rng)
        timeOut = Linear(td, td, rng: &rng)
        textIn = attend ? nil : Linear(config.pooledDim, td, rng: &rng)
        inputConv = Conv2d(u.inChannels, u.channels(0), kernel: 3, padding: 1, rng: &rng)
        var down: [ResidualBlock] = [], downAttn: [SpatialCrossAttention] = [], downsample: [Conv2d] = []
        var previous = u.channels(0)
        for l in 0..<levels {
            let c = u.channels(l)
            down.append(ResidualBlock(previous, c, timeDim: td, groups: g, rng: &rng))
            if attend { downAttn.append(attention(c)) }
            if l < levels - 1 { downsample.append(Conv2d(c, c, kernel: 3, stride: 2, padding: 1, rng: &rng)) }
            previous = c
        }
        middle = ResidualBlock(previous, previous, timeDim: td, groups: g, rng: &rng)
        middleAttention = attend ? attention(previous) : nil
        var up: [ResidualBlock] = [], upAttn: [SpatialCrossAttention] = [], upsample: [Conv2d] = []
        for l in (0..<levels).reversed() {
            let c = u.channels(l)
            up.append(ResidualBlock(previous + c, c, timeDim: td, groups: g, rng: &rng))
            if attend { upAttn.append(attention(c)) }
            if l > 0 { upsample.append(Conv2d(c, c, kernel: 3, padding: 1, rng: &rng)) }
            previous = c
        }
        downBlocks = down; downAttention = downAttn; downsamples = downsample
        upBlocks = up; upAttention = upAttn; upsamples = upsample
        outputNorm = GroupNorm(groups: g, channels: u.channels(0))
        let last = Conv2d(u.channels(0), u.outChannels, kernel: 3, padding: 1, rng: &rng)
        last.weight.storage.pointer.update(repeating: 0, count: last.weight.count)
        if let b = last.bias { b.storage.pointer.update(repeating: 0, count: b.count) }
        outputConv = last
        super.init()
    }

    /// Named in PyTorch style (time.in, text.in, input, down.i, down_attn.i, …, out.conv).
    public override var children: [(name: String, module: Module)] {
        var c: [(name: String, module: Module)] = [("time.in", timeIn), ("time.out", timeOut)]
        if let textIn { c.append(("text.in", textIn)) }
        c.append(("input", inputConv))
        c += downBlocks.enumerated().map { ("down.\($0.offset)", $0.element) }
        c += downAttention.enumerated().map { ("down_attn.\($0.offset)", $0.element) }
        c += downsamples.enumerated().map { ("downsample.\($0.offset)", $0.element) }
        c.append(("middle", middle))
        if let middleAttention { c.append(("middle_attn", middleAttention)) }
        c += upBlocks.enumerated().map { ("up.\($0.offset)", $0.element) }
        c += upAttention.enumerated().map { ("up_attn.\($0.offset)", $0.element) }
        c += upsamples.enumerated().map { ("upsample.\($0.offset)", $0.element) }
        c += [("out.norm", outputNorm), ("out.conv", outputConv)]
        return c
    }

    /// Every cross-attention block, down path first, then the middle, then the up path (coarsest first).
    public var attentionBlocks: [SpatialCrossAttention] { downAttention + (middleAttention.map { [$0] } ?? []) + upAttention }

    /// Predicted noise [N, outChannels, H, W] for x [N, inChannels, H, W] at timesteps t, given the text.
    public func callAsFunction(_ x: Tensor, _ t: [Int], _ text: TextCondition) -> Tensor {
        let u = config.unet
        precondition(x.rank == 4 && x.shape[1] == u.inChannels, "TextConditionedUNet: expected [N, \(u.inChannels), H, W], got \(x.shape)")
        precondition(x.shape[2] % u.sizeMultiple == 0 && x.shape[3] % u.sizeMultiple == 0,
                     "TextConditionedUNet: height and width must be multiples of \(u.sizeMultiple), got \(x.shape[2])×\(x.shape[3])")
        precondition(t.count == x.shape[0] && text.tokens.shape[0] == x.shape[0],
                     "TextConditionedUNet: \(t.count) timesteps and \(text.tokens.shape[0]) captions for a batch of \(x.shape[0])")
        var embedding = timeIn(timestepEmbedding(t, dim: u.timeDim))
        if let textIn { embedding = embedding + textIn(text.pooled) }
        let time = timeOut(embedding.silu()).silu()
        func listen(_ h: Tensor, _ blocks: [SpatialCrossAttention], _ i: Int) -> Tensor {
            blocks.isEmpty ? h : blocks[i](h, context: text.tokens)
        }
        var h = inputConv(x)
        var skips: [Tensor] = []
        for l in 0..<u.levels {
            h = listen(downBlocks[l](h, time), downAttention, l)
            skips.append(h)
            if l < u.levels - 1 { h = downsamples[l](h) }
        }
        h = middle(h, time)
        if let middleAttention { h = middleAttention(h, context: text.tokens) }
        for (i, l) in (0..<u.levels).reversed().enumerated() {
            h = listen(upBlocks[i](Tensor.concat([h, skips[l]], axis: 1), time), upAttention, i)
            if l > 0 { h = upsamples[i](h.upsampleNearest(factor: 2)) }
        }
        return outputConv(outputNorm(h).silu())
    }
}
