import Engine

/// The noise predictor for points in a low-dimensional space (chapter 05, part A).
///
/// The timestep's sinusoidal embedding is concatenated to the noisy point and the pair goes
/// through an MLP with SiLU activations. The network must learn a different denoising direction
/// for every noise level, so t enters at the input rather than only at the end.
public final class PointDenoiser: Module {
    /// Dimension of the points (2 for the plane).
    public let dimension: Int
    /// Width of the timestep embedding.
    public let timeDim: Int
    /// The MLP: [dimension + timeDim] → width → … → dimension.
    public let net: MLP

    /// `depth` hidden layers of `width` units, initialised from `rng`.
    public init(dimension: Int = 2, width: Int = 128, depth: Int = 3, timeDim: Int = 32, rng: inout RNG) {
        precondition(depth >= 1, "PointDenoiser: depth must be ≥ 1, got \(depth)")
        self.dimension = dimension
        self.timeDim = timeDim
        net = MLP([dimension + timeDim] + Array(repeating: width, count: depth) + [dimension], activation: .silu, rng: &rng)
        super.init()
    }

    /// "net".
    public override var children: [(name: String, module: Module)] { [("net", net)] }

    /// Predicted noise [N, dimension] for points x [N, dimension] at timesteps t (one per row).
    public func callAsFunction(_ x: Tensor, _ t: [Int]) -> Tensor {
        net(Tensor.concat([x, timestepEmbedding(t, dim: timeDim)], axis: 1))
    }
}
