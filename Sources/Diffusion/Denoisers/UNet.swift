import Engine

/// A small U-Net noise predictor (after Ronneberger et al. 2015, as used by Ho et al. 2020).
///
/// The down path keeps a feature map per resolution level and halves the resolution with a
/// stride-2 convolution; the up path doubles it again (nearest neighbour, then a 3×3 conv) and
/// concatenates the feature map the down path kept at that level. The skips carry fine detail
/// straight across, while the coarse levels see the whole image, which is what a denoiser needs:
/// at high noise it must guess global structure, at low noise it only fixes pixels. The last conv
/// starts at zero, so an untrained model predicts zero noise instead of random structure.
public final class UNet: Module {
    /// The configuration it was built with.
    public let config: UNetConfig
    let timeIn: Linear, timeOut: Linear
    let inputConv: Conv2d
    let downBlocks: [ResidualBlock], downsamples: [Conv2d]
    let middle: ResidualBlock
    let upBlocks: [ResidualBlock], upsamples: [Conv2d]
    let outputNorm: GroupNorm, outputConv: Conv2d

    /// A U-Net for `config`, initialised from `rng` (a bad configuration stops with its `problem`).
    public init(_ config: UNetConfig, rng: inout RNG) {
        if let problem = config.problem { preconditionFailure("UNetConfig: \(problem)") }
        self.config = config
        let td = config.timeDim, g = config.groups, levels = config.levels
        timeIn = Linear(td, td, rng: &rng)
        timeOut = Linear(td, td, rng: &rng)
        inputConv = Conv2d(config.inChannels, config.channels(0), kernel: 3, padding: 1, rng: &rng)
        var down: [ResidualBlock] = [], downsample: [Conv2d] = []
        var previous = config.channels(0)
        for l in 0..<levels {
            let c = config.channels(l)
            down.append(ResidualBlock(previous, c, timeDim: td, groups: g, rng: &rng))
            if l < levels - 1 { downsample.append(Conv2d(c, c, kernel: 3, stride: 2, padding: 1, rng: &rng)) }
            previous = c
        }
        middle = ResidualBlock(previous, previous, timeDim: td, groups: g, rng: &rng)
        var up: [ResidualBlock] = [], upsample: [Conv2d] = []
        for l in (0..<levels).reversed() {
            let c = config.channels(l)
            up.append(ResidualBlock(previous + c, c, timeDim: td, groups: g, rng: &rng))
            if l > 0 { upsample.append(Conv2d(c, c, kernel: 3, padding: 1, rng: &rng)) }
            previous = c
        }
        downBlocks = down
        downsamples = downsample
        upBlocks = up
        upsamples = upsample
        outputNorm = GroupNorm(groups: g, channels: config.channels(0))
        let last = Conv2d(config.channels(0), config.outChannels, kernel: 3, padding: 1, rng: &rng)
        last.weight.storage.pointer.update(repeating: 0, count: last.weight.count)
        if let b = last.bias { b.storage.pointer.update(repeating: 0, count: b.count) }
        outputConv = last
        super.init()
    }

    /// Named in PyTorch style: time.in, time.out, input, down.i, downsample.i, middle, up.i, upsample.i, out.norm, out.conv.
    public override var children: [(name: String, module: Module)] {
        var c: [(name: String, module: Module)] = [("time.in", timeIn), ("time.out", timeOut), ("input", inputConv)]
        c += downBlocks.enumerated().map { ("down.\($0.offset)", $0.element) }
        c += downsamples.enumerated().map { ("downsample.\($0.offset)", $0.element) }
        c.append(("middle", middle))
        c += upBlocks.enumerated().map { ("up.\($0.offset)", $0.element) }
        c += upsamples.enumerated().map { ("upsample.\($0.offset)", $0.element) }
        c += [("out.norm", outputNorm), ("out.conv", outputConv)]
        return c
    }

    /// Predicted noise [N, outChannels, H, W] for x [N, inChannels, H, W] at timesteps t (one per row).
    public func callAsFunction(_ x: Tensor, _ t: [Int]) -> Tensor {
        precondition(x.rank == 4 && x.shape[1] == config.inChannels,
                     "UNet: expected [N, \(config.inChannels), H, W], got \(x.shape)")
        precondition(x.shape[2] % config.sizeMultiple == 0 && x.shape[3] % config.sizeMultiple == 0,
                     "UNet: height and width must be multiples of \(config.sizeMultiple), got \(x.shape[2])×\(x.shape[3])")
        precondition(t.count == x.shape[0], "UNet: \(t.count) timesteps for a batch of \(x.shape[0])")
        let time = timeOut(timeIn(timestepEmbedding(t, dim: config.timeDim)).silu()).silu()
        var h = inputConv(x)
        var skips: [Tensor] = []
        for l in 0..<config.levels {
            h = downBlocks[l](h, time)
            skips.append(h)
            if l < config.levels - 1 { h = downsamples[l](h) }
        }
        h = middle(h, time)
        for (i, l) in (0..<config.levels).reversed().enumerated() {
            h = upBlocks[i](Tensor.concat([h, skips[l]], axis: 1), time)
            if l > 0 { h = upsamples[i](h.upsampleNearest(factor: 2)) }
        }
        return outputConv(outputNorm(h).silu())
    }
}
