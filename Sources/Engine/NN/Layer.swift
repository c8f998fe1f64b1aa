/// A module that maps one tensor to one tensor, so it can sit in a `Sequential`.
///
/// Layers with other inputs (an `Embedding` takes token ids) are modules but not `Layer`s.
public protocol Layer: Module {
    /// The layer's forward pass.
    func callAsFunction(_ x: Tensor) -> Tensor
}

/// Layers applied one after another, named "0", "1", … as in PyTorch's `nn.Sequential`.
public final class Sequential: Module, Layer {
    /// The layers in the order they run.
    public let layers: [any Layer]

    /// A chain of `layers` (applied first to last).
    public init(_ layers: [any Layer]) {
        self.layers = layers
        super.init()
    }

    /// A chain of the given layers (applied first to last).
    public convenience init(_ layers: any Layer...) { self.init(layers) }

    /// "0", "1", … in order.
    public override var children: [(name: String, module: Module)] {
        layers.enumerated().map { (name: String($0.offset), module: $0.element as Module) }
    }

    /// Runs every layer in turn.
    public func callAsFunction(_ x: Tensor) -> Tensor {
        layers.reduce(x) { $1($0) }
    }
}
