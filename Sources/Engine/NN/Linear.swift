/// A fully connected layer, y = x·Wᵀ + b, with PyTorch's layout and default initialisation.
public final class Linear: Module, Layer {
    /// [out, in], as in PyTorch (each row holds one output's input weights).
    public let weight: Tensor
    /// [out], or nil for a layer without bias.
    public let bias: Tensor?
    /// A low-rank adapter added to the output (LoRA; see `LowRankAdapter`), or nil.
    public internal(set) var adapter: LowRankAdapter?

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

    /// "weight", when present "bias", and with an adapter "lora_A" and "lora_B".
    public override var localParameters: [(name: String, tensor: Tensor)] {
        var p = [(name: "weight", tensor: weight)]
        if let bias { p.append((name: "bias", tensor: bias)) }
        if let adapter { p += [(name: "lora_A", tensor: adapter.down), (name: "lora_B", tensor: adapter.up)] }
        return p
    }

    /// [..., in] → [..., out] through the fused `linear` op (one GEMM, bias added in place), plus
    /// the adapter's low-rank term when one is attached.
    public func callAsFunction(_ x: Tensor) -> Tensor {
        let y = linear(x, weight, bias)
        guard let adapter else { return y }
        return y + adapter(x)
    }
}
