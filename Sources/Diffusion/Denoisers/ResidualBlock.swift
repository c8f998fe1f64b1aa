import Engine

/// The U-Net's building block: two GroupNorm–SiLU–3×3-conv stages with the timestep added in
/// between, and a residual connection (through a 1×1 conv when the channel count changes).
///
/// Adding a per-channel shift computed from the timestep lets every block adjust what it does to
/// the noise level, which is how one network denoises at every t.
public final class ResidualBlock: Module {
    let norm1: GroupNorm, conv1: Conv2d
    let time: Linear
    let norm2: GroupNorm, conv2: Conv2d
    let shortcut: Conv2d?

    /// A block from `inChannels` to `outChannels` reading a `timeDim`-wide embedding.
    public init(_ inChannels: Int, _ outChannels: Int, timeDim: Int, groups: Int, rng: inout RNG) {
        norm1 = GroupNorm(groups: min(groups, inChannels), channels: inChannels)
        conv1 = Conv2d(inChannels, outChannels, kernel: 3, padding: 1, rng: &rng)
        time = Linear(timeDim, outChannels, rng: &rng)
        norm2 = GroupNorm(groups: groups, channels: outChannels)
        conv2 = Conv2d(outChannels, outChannels, kernel: 3, padding: 1, rng: &rng)
        shortcut = inChannels == outChannels ? nil : Conv2d(inChannels, outChannels, kernel: 1, rng: &rng)
        super.init()
    }

    /// norm1, conv1, time, norm2, conv2 and (if present) shortcut.
    public override var children: [(name: String, module: Module)] {
        var c: [(name: String, module: Module)] = [("norm1", norm1), ("conv1", conv1), ("time", time), ("norm2", norm2), ("conv2", conv2)]
        if let shortcut { c.append(("shortcut", shortcut)) }
        return c
    }

    /// x [N, Cin, H, W] and the activated timestep embedding [N, timeDim] → [N, Cout, H, W].
    public func callAsFunction(_ x: Tensor, _ timeFeatures: Tensor) -> Tensor {
        var h = conv1(norm1(x).silu())
        let shift = time(timeFeatures)
        h = h + shift.reshape([shift.shape[0], shift.shape[1], 1, 1])
        h = conv2(norm2(h).silu())
        return (shortcut?(x) ?? x) + h
    }
}
