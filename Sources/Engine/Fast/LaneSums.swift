// Sums and maxima across a row held in 16-lane blocks, shared by the softmax rows and the norms.
//
// A row of n entries is walked in blocks of 16 (the last may be short, its padding lanes 0).
// Sums are kept per lane (entry j in lane j mod 16) and added across lanes by one fixed tree, so a
// result depends only on the row's values and length, never on the thread that computed it.

/// Lane indices 0..<16, for masking the padding lanes of a row's last block.
let laneIndices = SIMD16<Float>(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15)

/// The largest of the 16 lanes (lane order; NaN lanes are skipped unless all are NaN).
@inline(__always)
func laneMax(_ v: SIMD16<Float>) -> Float {
    var m = v[0]
    for l in 1..<16 where v[l] > m { m = v[l] }
    return m
}

/// The sum of the 16 lanes, as a fixed tree: ((0+8) + (4+12)) + … (the same order every time).
@inline(__always)
func laneSum(_ v: SIMD16<Float>) -> Float {
    let a = v.lowHalf + v.highHalf
    let b = a.lowHalf + a.highHalf
    let c = b.lowHalf + b.highHalf
    return c[0] + c[1]
}

/// Σ over a row of n entries of `block(j, live)`, the 16-lane value of entries j..<j+live (live < 16
/// only for the last block; its padding lanes must be 0). Summed per lane, then by `laneSum`.
/// Reference twin: the Double sums of `Reference.meanAndRstd` and the norms' backward.
@inline(__always)
func laneSums(_ n: Int, _ block: (_ j: Int, _ live: Int) -> SIMD16<Float>) -> Float {
    var acc = SIMD16<Float>()
    var j = 0
    while j < n {
        acc += block(j, Swift.min(16, n - j))
        j += 16
    }
    return laneSum(acc)
}

/// Calls `body(j, live)` for the 16-entry blocks of a row of n entries (the last may be short).
@inline(__always)
func forLanes(_ n: Int, _ body: (_ j: Int, _ live: Int) -> Void) {
    var j = 0
    while j < n {
        body(j, Swift.min(16, n - j))
        j += 16
    }
}

/// Σ (p[j] − mean)² over a row of n entries (the padding lanes of the last block masked out).
@inline(__always)
func laneSquaredDeviations(_ p: UnsafePointer<Float>, _ n: Int, mean m: Float) -> Float {
    laneSums(n) { j, live in
        let d = (loadLanes(p, j, live: live) - m).replacing(with: 0, where: laneIndices .>= Float(live))
        return d * d
    }
}
