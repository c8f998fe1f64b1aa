/// The base of every layer and model: named parameters, sub-modules, train/eval mode.
///
/// A subclass lists its own parameters and its children explicitly (no reflection), which keeps
/// the naming visible in the code: a GPT's `blocks.0.attn.qkv.weight` is the path through
/// `children` names down to a `localParameters` name, exactly as in PyTorch's state dicts.
open class Module {
    /// True while training (dropout active); set with `train()` / `eval()`.
    public private(set) var isTraining = true

    public init() {}

    /// This module's own parameters, in a fixed order, with their local names.
    open var localParameters: [(name: String, tensor: Tensor)] { [] }

    /// Direct sub-modules with their names ("0", "1", … for lists).
    open var children: [(name: String, module: Module)] { [] }

    /// Every parameter with its dotted path, depth first, in declaration order.
    public func namedParameters(prefix: String = "") -> [(name: String, tensor: Tensor)] {
        var out = localParameters.map { (name: prefix + $0.name, tensor: $0.tensor) }
        for (name, child) in children {
            out += child.namedParameters(prefix: prefix + name + ".")
        }
        return out
    }

    /// The parameter tensors, in `namedParameters` order.
    public var parameters: [Tensor] { namedParameters().map(\.tensor) }

    /// Total number of scalar parameters.
    public var parameterCount: Int { parameters.reduce(0) { $0 + $1.count } }

    /// Switches this module and all sub-modules to training mode.
    public func train() { setTraining(true) }

    /// Switches this module and all sub-modules to evaluation mode.
    public func eval() { setTraining(false) }

    private func setTraining(_ on: Bool) {
        isTraining = on
        for (_, c) in children { c.setTraining(on) }
    }

    /// Clears every parameter's gradient.
    public func zeroGrad() { for p in parameters { p.grad = nil } }
}

/// Creates a trainable parameter from values (a leaf tensor with `requiresGrad`).
public func parameter(_ shape: [Int], _ values: [Float]) -> Tensor {
    Tensor(shape: shape, values: values, requiresGrad: true)
}

extension Module {
    /// Saves every parameter to a safetensors file (atomic write), with optional metadata.
    public func save(to path: String, metadata: [String: String] = [:]) throws {
        let arrays = try namedParameters().map { try NamedArray(name: $0.name, shape: $0.tensor.shape, values: $0.tensor.values) }
        try SafetensorsFile(arrays: arrays, metadata: metadata).write(to: path)
    }

    /// Loads parameters saved by `save(to:)`. Every name and shape is checked before any value is
    /// copied, so a mismatched file throws and leaves the model untouched.
    @discardableResult
    public func load(from path: String) throws -> [String: String] {
        try load(SafetensorsFile.read(from: path), source: path)
    }

    /// Copies the parameters out of a checkpoint already in memory (`source` labels it in
    /// errors), with the same all-or-nothing checks as `load(from:)`; returns its metadata.
    @discardableResult
    public func load(_ file: SafetensorsFile, source: String) throws -> [String: String] {
        let named = namedParameters()
        try file.validate(against: named.map { (name: $0.name, shape: $0.tensor.shape) }, file: source)
        for (name, t) in named {
            let v = try file.values(named: name, shape: t.shape, file: source)
            // validate() checked the shape, so v holds exactly t.count values.
            v.withUnsafeBufferPointer { t.mutableData.update(from: $0.baseAddress!, count: t.count) }
        }
        return file.metadata
    }
}
