#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Applies `f` to every element (a fresh tensor; the closure is inlined in release builds).
@inline(__always)
func mapUnary(_ x: Tensor, _ f: (Float) -> Float) -> Tensor {
    let out = Tensor.empty(x.shape)
    let p = x.data, o = out.data
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
    let p = x.data, q = y.data, o = out.data
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
    /// Backward: Φ(x) + x·φ(x). Φ is kept from the forward pass (it is the costly part), so the
    /// backward reuses the very values the forward computed. Φ and φ come from the 16-lane
    /// `vnormalCDF` and `vnormalDensity` (accuracy stated in VectorMath.swift).
    /// Reference twin: `Reference.geluForward`/`geluBackward`.
    public func gelu() -> Tensor {
        let cdf = Tensor.empty(shape), out = Tensor.empty(shape)
        let p = data, c = cdf.data, o = out.data, n = count
        Parallel.forRanges((n + 15) / 16, minChunk: 1 << 10) { r in
            for b in r {
                let i = b * 16, live = Swift.min(16, n - i)
                let x = loadLanes(p, i, live: live)
                let phi = vnormalCDF(x)
                storeLanes(phi, c, i, live: live)
                storeLanes(x * phi, o, i, live: live)
            }
        }
        return Tensor.record(out, [self]) { g in
            let dx = Tensor.empty(g.shape)
            let gp = g.data, d = dx.data, p = self.data, c = cdf.data
            Parallel.forRanges((n + 15) / 16, minChunk: 1 << 10) { r in
                for b in r {
                    let i = b * 16, live = Swift.min(16, n - i)
                    let x = loadLanes(p, i, live: live)
                    let v = loadLanes(gp, i, live: live) * (loadLanes(c, i, live: live) + x * vnormalDensity(x))
                    storeLanes(v, d, i, live: live)
                }
            }
            return [dx]
        }
    }

    /// SiLU (swish), x·σ(x). Backward: σ(x)·(1 + x·(1 − σ(x))). σ(x) = 1/(1 + e⁻ˣ) with the
    /// 16-lane `vexp`; for x below −88.7, e⁻ˣ is +∞ and σ correctly 0.
    /// Reference twin: `Reference.siluForward`/`siluBackward`.
    public func silu() -> Tensor {
        let out = Tensor.empty(shape)
        let p = data, o = out.data, n = count
        Parallel.forRanges((n + 15) / 16, minChunk: 1 << 10) { r in
            for b in r {
                let i = b * 16, live = Swift.min(16, n - i)
                let x = loadLanes(p, i, live: live)
                storeLanes(x / (1 + vexp(-x)), o, i, live: live)
            }
        }
        return Tensor.record(out, [self]) { g in
            let dx = Tensor.empty(g.shape)
            let gp = g.data, d = dx.data, p = self.data
            Parallel.forRanges((n + 15) / 16, minChunk: 1 << 10) { r in
                for b in r {
                    let i = b * 16, live = Swift.min(16, n - i)
                    let x = loadLanes(p, i, live: live)
                    let s = 1 / (1 + vexp(-x))
                    storeLanes(loadLanes(gp, i, live: live) * s * (1 + x * (1 - s)), d, i, live: live)
                }
            }
            return [dx]
        }
    }

    /// x² (a common special case of `pow`).
    public func square() -> Tensor {
        let out = mapUnary(self) { $0 * $0 }
        return Tensor.record(out, [self]) { g in [mapBinary(g, self) { 2 * $0 * $1 }] }
    }
}
