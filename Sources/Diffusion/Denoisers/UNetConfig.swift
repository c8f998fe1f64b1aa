/// The shape of a `UNet`: channels per resolution level and the widths of its normalisation and
/// timestep embedding.
public struct UNetConfig: Sendable, Equatable {
    /// Channels of the input (the noisy image, plus any conditioning channels).
    public var inChannels: Int
    /// Channels of the output (the predicted noise: the image's channels).
    public var outChannels: Int
    /// Channels at full resolution.
    public var baseChannels: Int
    /// One multiplier of `baseChannels` per resolution level; each level after the first halves
    /// the height and width.
    public var channelMultipliers: [Int]
    /// Groups of every GroupNorm (must divide every level's channel count).
    public var groups: Int
    /// Width of the timestep embedding.
    public var timeDim: Int

    /// A configuration; the defaults suit 16×16 to 32×32 images on a CPU.
    public init(inChannels: Int, outChannels: Int, baseChannels: Int = 32, channelMultipliers: [Int] = [1, 2],
                groups: Int = 8, timeDim: Int = 64) {
        self.inChannels = inChannels
        self.outChannels = outChannels
        self.baseChannels = baseChannels
        self.channelMultipliers = channelMultipliers
        self.groups = groups
        self.timeDim = timeDim
    }

    /// Channels at level `l`.
    public func channels(_ l: Int) -> Int { baseChannels * channelMultipliers[l] }

    /// Number of resolution levels.
    public var levels: Int { channelMultipliers.count }

    /// Height and width must be divisible by this (one halving per level after the first).
    public var sizeMultiple: Int { 1 << (levels - 1) }

    /// A readable problem with the configuration, or nil when it is usable.
    public var problem: String? {
        if inChannels < 1 || outChannels < 1 { return "inChannels and outChannels must be ≥ 1" }
        if levels < 1 { return "channelMultipliers needs at least one level" }
        if timeDim < 2 || timeDim % 2 != 0 { return "timeDim must be even and ≥ 2, got \(timeDim)" }
        for l in 0..<levels where channels(l) % groups != 0 {
            return "level \(l) has \(channels(l)) channels, not divisible by \(groups) groups"
        }
        return nil
    }
}
