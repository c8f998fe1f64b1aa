// One row of softmax on 16 lanes, shared by softmax, the causal and fused attention weights,
// log-softmax and cross-entropy.
//
// Sums are kept per lane (entry j goes to lane j mod 16) and added across lanes at the end, so
// the result depends only on the row's values and length, never on threads. A row cut short
// (the visible part of a causal row) gives the same bits as the full row with the rest at −∞:
// those entries would add exact zeros to their lanes.

/// max over j < n of scale·x[j] (−∞ for an empty or all −∞ row).
@inline(__always)
func scaledRowMax(_ x: UnsafePointer<Float>, _ n: Int, scale: Float) -> Float {
    typealias V = SIMD16<Float>
    var mv = V(repeating: -.infinity)
    var j = 0
    while j + 16 <= n {
        let v = loadLanes(x, j) * scale
        mv = mv.replacing(with: v, where: v .> mv)
        j += 16
    }
    var m = laneMax(mv)
    while j < n { m = Swift.max(m, x[j] * scale); j += 1 }
    return m
}

/// y[j] = e^(scale·x[j] − m) for j < n, returning Σ y (lane sums, then `laneSum`). In place allowed.
@inline(__always)
func exponentiateRow(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int,
                     scale: Float, shift m: Float) -> Float {
    typealias V = SIMD16<Float>
    var sv = V()
    var j = 0
    while j + 16 <= n {
        let e = vexp(loadLanes(x, j) * scale - m)
        storeLanes(e, y, j)
        sv += e
        j += 16
    }
    if j < n {
        let live = n - j
        var e = vexp(loadLanes(x, j, live: live) * scale - m)
        for l in live..<16 { e[l] = 0 }
        storeLanes(e, y, j, live: live)
        sv += e
    }
    return laneSum(sv)
}

/// Softmax of scale·x over one row of n entries into y (in place allowed). A row with no finite
/// entry (fully masked) becomes all zeros rather than NaN. Returns the row maximum (after the
/// scale, 0 for such a row) and the sum of exponentials, from which log Σ e^x follows.
/// Reference twin: `Reference.softmaxForward` (on scale·x).
@discardableResult
@inline(__always)
func softmaxRow(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int,
                scale: Float = 1) -> (max: Float, sum: Float) {
    var m = scaledRowMax(x, n, scale: scale)
    if m == -.infinity { m = 0 }
    let s = exponentiateRow(x, y, n, scale: scale, shift: m)
    let inv: Float = s > 0 ? 1 / s : 0
    var j = 0
    while j + 16 <= n { storeLanes(loadLanes(y, j) * inv, y, j); j += 16 }
    while j < n { y[j] *= inv; j += 1 }
    return (m, s)
}

/// Backward of a softmax row: dx[j] = y[j]·(g[j] − Σ g⊙y)·scale (in place allowed, g == dx).
@inline(__always)
func softmaxBackwardRow(_ y: UnsafePointer<Float>, _ g: UnsafePointer<Float>, _ dx: UnsafeMutablePointer<Float>,
                        _ n: Int, scale: Float = 1) {
    typealias V = SIMD16<Float>
    var dv = V()
    var j = 0
    while j + 16 <= n { dv += loadLanes(g, j) * loadLanes(y, j); j += 16 }
    if j < n { let live = n - j; dv += loadLanes(g, j, live: live) * loadLanes(y, j, live: live) }
    let dot = laneSum(dv)
    j = 0
    while j + 16 <= n {
        storeLanes(loadLanes(y, j) * (loadLanes(g, j) - dot) * scale, dx, j)
        j += 16
    }
    while j < n { dx[j] = y[j] * (g[j] - dot) * scale; j += 1 }
}

