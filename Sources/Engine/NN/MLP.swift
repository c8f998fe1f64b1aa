/// A multilayer perceptron: `Linear` layers of the given sizes with an activation between them
/// and none after the last, so the output is unbounded (regression targets, logits).
///
/// The linear layers are named "layers.0", "layers.1", … (one index per linear layer), giving
/// parameter paths such as `layers.1.weight`.
public final class MLP: Module, Layer {
    /// The linear layers, first to last.
    public let layers: [Linear]
    /// The non-linearity between layers.
    public let activation: Activation

    /// An MLP through `sizes` (for example [2, 64, 64, 1]: two hidden layers of 64). Layers are
    /// initialised in order from `rng`.
    public init(_ sizes: [Int], activation: Activation = .gelu, rng: inout RNG) {
        precondition(sizes.count >= 2, "MLP needs at least an input and an output size, got \(sizes)")
        var layers: [Linear] = []
        for i in 0..<(sizes.count - 1) { layers.append(Linear(sizes[i], sizes[i + 1], rng: &rng)) }
        self.layers = layers
        self.activation = activation
        super.init()
    }

    /// "layers.0", "layers.1", ….
    public override var children: [(name: String, module: Module)] {
        layers.enumerated().map { (name: "layers.\($0.offset)", module: $0.element as Module) }
    }

    /// [..., sizes.first] → [..., sizes.last].
    public func callAsFunction(_ x: Tensor) -> Tensor {
        var h = x
        for (i, layer) in layers.enumerated() {
            h = layer(h)
            if i < layers.count - 1 { h = activation(h) }
        }
        return h
    }
}
