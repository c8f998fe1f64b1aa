/// Layer normalisation over the last axis with a learned per-feature scale and shift.
public final class LayerNorm: Module, Layer {
    /// Per-feature scale [dim], starting at 1.
    public let weight: Tensor
    /// Per-feature shift [dim], starting at 0.
    public let bias: Tensor
    /// Added to the variance before the square root.
    public let eps: Float

    /// A layer norm over features of size `dim`.
    public init(_ dim: Int, eps: Float = 1e-5) {
        precondition(dim > 0, "LayerNorm needs a positive size, got \(dim)")
        weight = Init.constant([dim], 1)
        bias = Init.constant([dim], 0)
        self.eps = eps
        super.init()
    }

    /// "weight", "bias".
    public override var localParameters: [(name: String, tensor: Tensor)] {
        [(name: "weight", tensor: weight), (name: "bias", tensor: bias)]
    }

    /// [..., dim] → [..., dim].
    public func callAsFunction(_ x: Tensor) -> Tensor {
        x.layerNorm(weight: weight, bias: bias, eps: eps)
    }
}

/// Group normalisation of [N, C, ...]: channels in `groups` groups, each normalised over its
/// channels and positions per sample, then a learned per-channel scale and shift.
public final class GroupNorm: Module, Layer {
    /// Number of channel groups (must divide `channels`).
    public let groups: Int
    /// Per-channel scale [C], starting at 1.
    public let weight: Tensor
    /// Per-channel shift [C], starting at 0.
    public let bias: Tensor
    /// Added to the variance before the square root.
    public let eps: Float

    /// A group norm of `channels` channels in `groups` groups.
    public init(groups: Int, channels: Int, eps: Float = 1e-5) {
        precondition(groups > 0 && channels > 0 && channels % groups == 0,
                     "GroupNorm: \(channels) channels do not split into \(groups) groups")
        self.groups = groups
        weight = Init.constant([channels], 1)
        bias = Init.constant([channels], 0)
        self.eps = eps
        super.init()
    }

    /// "weight", "bias".
    public override var localParameters: [(name: String, tensor: Tensor)] {
        [(name: "weight", tensor: weight), (name: "bias", tensor: bias)]
    }

    /// [N, C, ...] → same shape.
    public func callAsFunction(_ x: Tensor) -> Tensor {
        x.groupNorm(groups: groups, weight: weight, bias: bias, eps: eps)
    }
}
