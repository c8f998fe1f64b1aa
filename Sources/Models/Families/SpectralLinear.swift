import Engine

/// A fully connected layer whose weight is divided by its largest singular value (spectral
/// normalisation, Miyato et al. 2018), so the layer can stretch no input difference by more than 1.
///
/// A discriminator built from such layers (and 1-Lipschitz activations) is itself 1-Lipschitz:
/// its output cannot change sharply between nearby points, so it cannot give the generator the
/// huge, erratic gradients that make plain GAN training oscillate or collapse.
///
/// σ(W) is estimated by power iteration: a vector u is kept between calls, and each training call
/// does one step v = Wᵀu/‖Wᵀu‖, u = Wv/‖Wv‖, then σ = uᵀWv. Because W changes a little per
/// optimiser step, one step per call keeps u close to the top singular vector. Gradients flow
/// through σ = uᵀWv with u and v held fixed, as in the paper. u is stored with the parameters (so
/// a checkpoint restores the exact state) but has no gradient, so no optimiser changes it.
public final class SpectralLinear: Module, Layer {
    /// [out, in], the unnormalised weight the optimiser updates.
    public let weight: Tensor
    /// [out].
    public let bias: Tensor
    /// [1, out], the running estimate of the top left singular vector (not trained).
    public let u: Tensor

    /// A layer initialised like `Linear` (weight then bias from `rng`), u drawn after them.
    public init(_ inFeatures: Int, _ outFeatures: Int, rng: inout RNG) {
        let plain = Linear(inFeatures, outFeatures, rng: &rng)
        weight = plain.weight
        bias = plain.bias!
        var v = (0..<outFeatures).map { _ in rng.normal() }
        let norm = max(v.reduce(0) { $0 + $1 * $1 }.squareRoot(), 1e-12)
        v = v.map { $0 / norm }
        u = Tensor(shape: [1, outFeatures], values: v)
        super.init()
    }

    /// "weight", "bias" and "u".
    public override var localParameters: [(name: String, tensor: Tensor)] {
        [("weight", weight), ("bias", bias), ("u", u)]
    }

    /// The trainable tensors (weight and bias, not u).
    public var trainable: [Tensor] { [weight, bias] }

    /// One power-iteration step on the current weight: updates u in place and returns v ([in, 1]).
    @discardableResult
    public func powerIteration() -> Tensor {
        Tensor.noGrad {
            let w = weight.detach()
            let vRow = u.matmul(w)                              // [1, in] = uᵀW
            let v = normalised(vRow).transpose()                // [in, 1]
            let uNew = normalised(w.matmul(v).transpose())      // [1, out]
            uNew.values.withUnsafeBufferPointer { u.storage.pointer.update(from: $0.baseAddress!, count: u.count) }
            return v
        }
    }

    /// σ = uᵀWv for the current u (after `powerIteration`), with gradient to W.
    public func sigma(v: Tensor) -> Tensor {
        u.matmul(weight).matmul(v)                              // [1, 1]
    }

    /// y = x·(W/σ)ᵀ + b. In training mode u first takes one power-iteration step.
    public func callAsFunction(_ x: Tensor) -> Tensor {
        let v: Tensor
        if isTraining && GradMode.enabled {
            v = powerIteration()
        } else {
            v = Tensor.noGrad { normalised(u.matmul(weight.detach())).transpose() }
        }
        return linear(x, weight / sigma(v: v), bias)
    }

    private func normalised(_ t: Tensor) -> Tensor {
        let n = max(t.values.reduce(0) { $0 + $1 * $1 }.squareRoot(), 1e-12)
        return t.scaled(1 / n)
    }
}

/// An MLP whose linear layers are `SpectralLinear`: the Lipschitz-constrained discriminator.
public final class SpectralMLP: Module, Layer {
    /// The layers, first to last.
    public let layers: [SpectralLinear]
    /// The non-linearity between layers.
    public let activation: Activation

    /// Layers through `sizes`, initialised in order from `rng`.
    public init(_ sizes: [Int], activation: Activation, rng: inout RNG) {
        precondition(sizes.count >= 2, "SpectralMLP needs at least an input and an output size, got \(sizes)")
        var layers: [SpectralLinear] = []
        for i in 0..<(sizes.count - 1) { layers.append(SpectralLinear(sizes[i], sizes[i + 1], rng: &rng)) }
        self.layers = layers
        self.activation = activation
        super.init()
    }

    /// "layers.0", "layers.1", ….
    public override var children: [(name: String, module: Module)] {
        layers.enumerated().map { (name: "layers.\($0.offset)", module: $0.element as Module) }
    }

    /// The tensors an optimiser should update (every weight and bias, no u).
    public var trainable: [Tensor] { layers.flatMap(\.trainable) }

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
