/// The element-wise non-linearities a layer can choose from.
public enum Activation: String, Sendable, CaseIterable {
    /// max(0, x).
    case relu
    /// x·Φ(x) with the exact error function (PyTorch's default `nn.GELU`).
    case gelu
    /// x·σ(x), also called swish.
    case silu
    /// Hyperbolic tangent.
    case tanh

    /// Applies the non-linearity to every element.
    public func callAsFunction(_ x: Tensor) -> Tensor {
        switch self {
        case .relu: x.relu()
        case .gelu: x.gelu()
        case .silu: x.silu()
        case .tanh: x.tanh()
        }
    }
}

/// An activation as a parameter-free layer, for use inside `Sequential`.
public final class ActivationLayer: Module, Layer {
    /// The non-linearity applied.
    public let activation: Activation

    /// A layer applying `activation`.
    public init(_ activation: Activation) {
        self.activation = activation
        super.init()
    }

    /// Same shape, element-wise non-linearity.
    public func callAsFunction(_ x: Tensor) -> Tensor { activation(x) }
}

/// Inverted dropout as a layer: active only in training mode (`train()`), identity after `eval()`.
///
/// The layer owns its generator, so a model's dropout masks are fixed by the seed and by how
/// many times the layer has run.
public final class Dropout: Module, Layer {
    /// Probability of zeroing each element, in [0, 1).
    public let p: Float
    private var rng: RNG

    /// A dropout layer with drop probability `p` and its own seeded generator.
    public init(_ p: Float, seed: UInt64) {
        precondition(p >= 0 && p < 1, "dropout probability must be in [0, 1), got \(p)")
        self.p = p
        rng = RNG(seed: seed)
        super.init()
    }

    /// Zeroes elements with probability p and scales survivors by 1/(1−p) while training.
    public func callAsFunction(_ x: Tensor) -> Tensor {
        x.dropout(p, training: isTraining, rng: &rng)
    }
}
