/// A 2-D convolution layer: square kernels, zero padding, optional bias.
public final class Conv2d: Module {
    /// Filters, [Cout, Cin, k, k] (PyTorch's layout, so checkpoints map one to one).
    public let weight: Tensor
    /// Per-output-channel shift, [Cout], or nil when built with `bias: false`.
    public let bias: Tensor?
    /// Step between neighbouring windows.
    public let stride: Int
    /// Zero rows and columns added on each side of the input.
    public let padding: Int

    /// Creates the layer with PyTorch's default initialisation: weight and bias uniform in
    /// ±1/√fanIn with fanIn = Cin·k·k (what kaiming-uniform with a = √5 reduces to), which keeps the
    /// output variance near a third of the input's whatever the kernel size. The weight is drawn
    /// before the bias, so a seed fixes both.
    public init(_ inChannels: Int, _ outChannels: Int, kernel: Int, stride: Int = 1, padding: Int = 0,
                bias: Bool = true, rng: inout RNG) {
        precondition(inChannels >= 1 && outChannels >= 1 && kernel >= 1,
                     "Conv2d: channels and kernel must be ≥ 1, got \(inChannels), \(outChannels), \(kernel)")
        let bound = 1 / Float(inChannels * kernel * kernel).squareRoot()
        weight = Tensor.uniform([outChannels, inChannels, kernel, kernel], -bound, bound, rng: &rng, requiresGrad: true)
        self.bias = bias ? Tensor.uniform([outChannels], -bound, bound, rng: &rng, requiresGrad: true) : nil
        self.stride = stride
        self.padding = padding
        super.init()
    }

    /// "weight", then "bias" when present.
    public override var localParameters: [(name: String, tensor: Tensor)] {
        var p: [(name: String, tensor: Tensor)] = [("weight", weight)]
        if let bias { p.append(("bias", bias)) }
        return p
    }

    /// Convolves x [N, Cin, H, W] into [N, Cout, Ho, Wo].
    public func callAsFunction(_ x: Tensor) -> Tensor {
        conv2d(x, weight, bias, stride: stride, padding: padding)
    }
}
extension Conv2d: Layer {}
