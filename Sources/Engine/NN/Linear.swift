/// A fully connected layer, y = x·Wᵀ + b, with PyTorch's layout and default initialisation.
public final class Linear: Module, Layer {
    /// [out, in], as in PyTorch (each row holds one output's input weights).
    public let weight: Tensor
    /// [out], or nil for a layer without bias.
    public let bias: Tensor?

    /// Number of input features (the last axis of the input).
    public var inFeatures: Int { weight.shape[1] }
    /// Number of output features.
    public var outFeatures: Int { weight.shape[0] }

    /// A layer with weight and bias drawn uniformly from ±1/√inFeatures (PyTorch's default);
    /// the weight is drawn first, then the bias.
    public init(_ inFeatures: Int, _ outFeatures: Int, bias: Bool = true, rng: inout RNG) {
        precondition(inFeatures > 0 && outFeatures > 0,
                     "Linear needs positive sizes, got \(inFeatures) → \(outFeatures)")
        let bound = Init.fanInBound(inFeatures)
        weight = Init.uniform([outFeatures, inFeatures], bound: bound, rng: &rng)
        self.bias = bias ? Init.uniform([outFeatures], bound: bound, rng: &rng) : nil
        super.init()
    }

    /// "weight" and, when present, "bias".
    public override var localParameters: [(name: String, tensor: Tensor)] {
        var p = [(name: "weight", tensor: weight)]
        if let bias { p.append((name: "bias", tensor: bias)) }
        return p
    }

    /// [..., in] → [..., out] through the fused `linear` op (one GEMM, bias added in place).
    public func callAsFunction(_ x: Tensor) -> Tensor { linear(x, weight, bias) }
}
