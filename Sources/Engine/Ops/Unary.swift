/// Applies `f` to every element (a fresh tensor; the closure is inlined in release builds).
@inline(__always)
func mapUnary(_ x: Tensor, _ f: (Float) -> Float) -> Tensor {
    let out = Tensor.empty(x.shape)
    let p = x.data, o = out.mutableData
    withoutActuallyEscaping(f) { f in
        Parallel.forRanges(x.count, minChunk: 1 << 14) { r in for i in r { o[i] = f(p[i]) } }
    }
    return out
}

/// Combines two same-shaped tensors element by element (used by backward rules).
@inline(__always)
func mapBinary(_ x: Tensor, _ y: Tensor, _ f: (Float, Float) -> Float) -> Tensor {
    precondition(x.shape == y.shape, "internal: shapes \(x.shape) and \(y.shape) differ")
    let out = Tensor.empty(x.shape)
    let p = x.data, q = y.data, o = out.mutableData
    withoutActuallyEscaping(f) { f in
        Parallel.forRanges(x.count, minChunk: 1 << 14) { r in for i in r { o[i] = f(p[i], q[i]) } }
    }
    return out
}

extension Tensor {
    /// eˣ. Backward: g·eˣ (reuses the output values).
    public func exp() -> Tensor {
        let out = mapUnary(self) { expf($0) }
        let saved = out.detach()
        return Tensor.record(out, [self]) { g in [g * saved] }
    }

    /// Natural log. Backward: g/x.
    public func log() -> Tensor {
        let out = mapUnary(self) { logf($0) }
        return Tensor.record(out, [self]) { g in [g / self] }
    }

    /// Square root. Backward: g/(2√x).
    public func sqrt() -> Tensor {
        let out = mapUnary(self) { sqrtf($0) }
        let saved = out.detach()
        return Tensor.record(out, [self]) { g in [mapBinary(g, saved) { $0 / (2 * $1) }] }
    }

    /// Hyperbolic tangent. Backward: g·(1 − tanh²).
    public func tanh() -> Tensor {
        let out = mapUnary(self) { tanhf($0) }
        let saved = out.detach()
        return Tensor.record(out, [self]) { g in [mapBinary(g, saved) { $0 * (1 - $1 * $1) }] }
    }

    /// Logistic sigmoid 1/(1+e⁻ˣ), written to avoid overflow for large |x|.
    public func sigmoid() -> Tensor {
        let out = mapUnary(self) { x in x >= 0 ? 1 / (1 + expf(-x)) : expf(x) / (1 + expf(x)) }
        let saved = out.detach()
        return Tensor.record(out, [self]) { g in [mapBinary(g, saved) { $0 * $1 * (1 - $1) }] }
    }

    /// max(0, x). Backward passes the gradient where x > 0.
    public func relu() -> Tensor {
        let out = mapUnary(self) { Swift.max(0, $0) }
        return Tensor.record(out, [self]) { g in [mapBinary(g, self) { $1 > 0 ? $0 : 0 }] }
    }

    /// Exact GELU, x·Φ(x) with Φ the standard normal CDF (PyTorch's default `F.gelu`).
    /// Backward: Φ(x) + x·φ(x). Φ is kept from the forward (it is the costly part).
    /// Reference twin: `Reference.geluForward`/`geluBackward`.
    public func gelu() -> Tensor {
        if Engine.useReference { return Reference.activationOp(self, silu: false) }
        let cdf = Tensor.empty(shape), out = Tensor.empty(shape)
        geluForwardLanes(data, cdf: cdf.mutableData, out.mutableData, n: count)
        return Tensor.record(out, [self]) { g in
            let dx = Tensor.empty(g.shape)
            geluBackwardLanes(self.data, cdf: cdf.data, g.mutableData, dx.mutableData, n: self.count)
            return [dx]
        }
    }

    /// SiLU (swish), x·σ(x). Backward: σ(x)·(1 + x·(1 − σ(x))).
    /// Reference twin: `Reference.siluForward`/`siluBackward`.
    public func silu() -> Tensor {
        if Engine.useReference { return Reference.activationOp(self, silu: true) }
        let out = Tensor.empty(shape)
        siluForwardLanes(data, out.mutableData, n: count)
        return Tensor.record(out, [self]) { g in
            let dx = Tensor.empty(g.shape)
            siluBackwardLanes(self.data, g.mutableData, dx.mutableData, n: self.count)
            return [dx]
        }
    }

    /// x² (a common special case of `pow`).
    public func square() -> Tensor {
        let out = mapUnary(self) { $0 * $0 }
        return Tensor.record(out, [self]) { g in [mapBinary(g, self) { 2 * $0 * $1 }] }
    }
}
