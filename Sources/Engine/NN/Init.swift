/// Parameter initialisers with PyTorch's defaults, so a layer built here starts from the same
/// distribution as its PyTorch counterpart (not the same numbers: the generators differ).
public enum Init {
    /// A trainable leaf of uniform values in [−bound, bound).
    ///
    /// PyTorch's `nn.Linear` uses Kaiming-uniform with a = √5 for the weight, which works out to
    /// bound = 1/√fan_in, and the same bound for the bias.
    public static func uniform(_ shape: [Int], bound: Float, rng: inout RNG) -> Tensor {
        Tensor.uniform(shape, -bound, bound, rng: &rng, requiresGrad: true)
    }

    /// A trainable leaf of normal values with mean 0 (PyTorch's `nn.Embedding` uses std 1).
    public static func normal(_ shape: [Int], std: Float = 1, rng: inout RNG) -> Tensor {
        Tensor.randn(shape, std: std, rng: &rng, requiresGrad: true)
    }

    /// A trainable leaf filled with one value (norm layers: weight 1, bias 0).
    public static func constant(_ shape: [Int], _ value: Float) -> Tensor {
        Tensor.full(shape, value, requiresGrad: true)
    }

    /// 1/√fan_in, the bound of PyTorch's default linear and convolution initialisation.
    public static func fanInBound(_ fanIn: Int) -> Float {
        precondition(fanIn > 0, "fan-in must be positive, got \(fanIn)")
        return 1 / Float(fanIn).squareRoot()
    }
}
