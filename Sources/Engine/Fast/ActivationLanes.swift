// GELU and SiLU on 16 lanes: the loops `Tensor.gelu` and `Tensor.silu` call, with the tested
// `vnormalCDF`, `vnormalDensity` and `vexp` (VectorMath.swift) in place of libm's scalar calls.
// Elementwise, so any split gives the same bits.

/// y = x·Φ(x) over n values, keeping Φ(x) in `cdf` for the backward. Reference twin:
/// `Reference.geluForward`.
func geluForwardLanes(_ p: UnsafePointer<Float>, cdf c: UnsafeMutablePointer<Float>, _ o: UnsafeMutablePointer<Float>, n: Int) {
    Parallel.forRanges((n + 15) / 16, minChunk: 1 << 10) { r in
        for b in r {
            let i = b * 16, live = Swift.min(16, n - i)
            let x = loadLanes(p, i, live: live)
            let phi = vnormalCDF(x)
            storeLanes(phi, c, i, live: live)
            storeLanes(x * phi, o, i, live: live)
        }
    }
}

/// dx = g·(Φ(x) + x·φ(x)) over n values, Φ(x) from the forward. Reference twin: `Reference.geluBackward`.
func geluBackwardLanes(_ p: UnsafePointer<Float>, cdf c: UnsafePointer<Float>, _ gp: UnsafePointer<Float>,
                       _ d: UnsafeMutablePointer<Float>, n: Int) {
    Parallel.forRanges((n + 15) / 16, minChunk: 1 << 10) { r in
        for b in r {
            let i = b * 16, live = Swift.min(16, n - i)
            let x = loadLanes(p, i, live: live)
            let v = loadLanes(gp, i, live: live) * (loadLanes(c, i, live: live) + x * vnormalDensity(x))
            storeLanes(v, d, i, live: live)
        }
    }
}

/// y = x·σ(x) = x/(1 + e⁻ˣ) over n values; for x below −88.7, e⁻ˣ is +∞ and y correctly 0.
/// Reference twin: `Reference.siluForward`.
func siluForwardLanes(_ p: UnsafePointer<Float>, _ o: UnsafeMutablePointer<Float>, n: Int) {
    Parallel.forRanges((n + 15) / 16, minChunk: 1 << 10) { r in
        for b in r {
            let i = b * 16, live = Swift.min(16, n - i)
            let x = loadLanes(p, i, live: live)
            storeLanes(x / (1 + vexp(-x)), o, i, live: live)
        }
    }
}

/// dx = g·σ(x)·(1 + x·(1 − σ(x))) over n values. Reference twin: `Reference.siluBackward`.
func siluBackwardLanes(_ p: UnsafePointer<Float>, _ gp: UnsafePointer<Float>, _ d: UnsafeMutablePointer<Float>, n: Int) {
    Parallel.forRanges((n + 15) / 16, minChunk: 1 << 10) { r in
        for b in r {
            let i = b * 16, live = Swift.min(16, n - i)
            let x = loadLanes(p, i, live: live)
            let s = 1 / (1 + vexp(-x))
            storeLanes(loadLanes(gp, i, live: live) * s * (1 + x * (1 - s)), d, i, live: live)
        }
    }
}
