// eˣ and the normal CDF Φ on 16 lanes at once, for the activation functions' hot loops.
//
// libm's expf and erff are scalar calls (~10 ns per element with the call overhead); these run
// on SIMD16 with fused multiply-adds and no branches. Their accuracy is stated and tested
// (VectorMathTests) against Double references:
//   vexp: relative error ≤ 2·2⁻²⁴ (measured 1.3) for results in the normal range; 0 below e⁻¹⁰⁴,
//   +∞ above e^88.72.
//   vnormalCDF: relative error ≤ 8·2⁻²⁴ (measured 6.8) for x ≤ 0 down to Φ = 2⁻¹²⁶ (about x = −13),
//   ≤ 4·2⁻²⁴ for |x| < 1 (series near 0); absolute error ≤ 2·2⁻²⁴ (measured 1.3) for x > 0.
//   The left tail is computed as ½·erfc, so it keeps its digits: the former ½·(1 + erff) lost them
//   to cancellation (20 ulp at x = −2, all of them below x ≈ −5.4).

/// Sixteen lanes of eˣ. NaN lanes stay NaN. Reference twin: Foundation's `exp` in Double, as
/// `Reference.softmaxForward` and `siluForward` use it.
///
/// x = k·ln2 + r with k = round(x/ln2) and |r| ≤ ln2/2 (ln2 split in two parts so r is exact);
/// eʳ by its Taylor polynomial to degree 7 (truncation < 5·10⁻⁹ relative), then 2ᵏ applied in
/// two halves so results down to the subnormal range are formed without overflow in the exponent.
@_transparent
func vexp(_ x: SIMD16<Float>) -> SIMD16<Float> {
    typealias V = SIMD16<Float>
    let xc = clamp(x, -104, 89)
    // Adding 1.5·2²³ rounds to an integer, which then sits in the low mantissa bits.
    let magic = V(repeating: 12_582_912)
    let shifted = vfma(xc, V(repeating: 1.442_695_04), magic)
    let kf = shifted - magic
    var r = vfma(kf, V(repeating: -0.693_145_751_953_125), xc)  // ln2's leading 15 bits: k·that is exact
    r = vfma(kf, V(repeating: -1.428_606_8e-6), r)        // ln2 low part
    var p = V(repeating: 1.0 / 5040)
    p = vfma(p, r, V(repeating: 1.0 / 720))
    p = vfma(p, r, V(repeating: 1.0 / 120))
    p = vfma(p, r, V(repeating: 1.0 / 24))
    p = vfma(p, r, V(repeating: 1.0 / 6))
    p = vfma(p, r, V(repeating: 0.5))
    p = vfma(p, r, V(repeating: 1))
    p = vfma(p, r, V(repeating: 1))
    let k = unsafeBitCast(shifted, to: SIMD16<Int32>.self) &- 0x4B40_0000
    let k1 = k &>> 1, k2 = k &- k1
    let s1 = unsafeBitCast((k1 &+ 127) &<< 23, to: V.self)
    let s2 = unsafeBitCast((k2 &+ 127) &<< 23, to: V.self)
    let y = p * s1 * s2
    return y.replacing(with: x, where: x .!= x)
}

/// Sixteen lanes of Φ(x) = P(Z ≤ x) for a standard normal Z.
///
/// Φ(x) = ½·erfc(−x/√2). With z = |x|/√2, erfc(z) = t·exp(−z² + P(t)), t = 1/(1 + z/2), P the
/// degree-9 Chebyshev fit published in Numerical Recipes (erfcc; fractional error < 1.2·10⁻⁷ for
/// all z ≥ 0). For x > 0, Φ = 1 − ½·erfc(z); for |x| < 1, the Taylor series of erf instead.
/// Reference twin: `Reference.normalCDF` (libm's erfc in Double).
@_transparent
func vnormalCDF(_ x: SIMD16<Float>) -> SIMD16<Float> {
    typealias V = SIMD16<Float>
    let magnitude = unsafeBitCast(unsafeBitCast(x, to: SIMD16<UInt32>.self) & 0x7FFF_FFFF, to: V.self)
    // When every lane is near 0 the tail (a division and an exponential) would be computed only
    // to be discarded: skip it. The lanes get the very values the full path selects for them.
    if all(magnitude .< 1) { return normalCDFNearZero(x) }
    // Beyond z = 12, erfc(z) < 10⁻⁶² is 0 in float; the clamp keeps ±∞ out of z² below.
    let z = clamp(magnitude * V(repeating: 0.707_106_78), 0, 12)
    let t = 1 / vfma(z, V(repeating: 0.5), V(repeating: 1))
    var p = V(repeating: 0.170_872_77)
    p = vfma(p, t, V(repeating: -0.822_152_23))
    p = vfma(p, t, V(repeating: 1.488_515_87))
    p = vfma(p, t, V(repeating: -1.135_203_98))
    p = vfma(p, t, V(repeating: 0.278_868_07))
    p = vfma(p, t, V(repeating: -0.186_288_06))
    p = vfma(p, t, V(repeating: 0.096_784_18))
    p = vfma(p, t, V(repeating: 0.374_091_96))
    p = vfma(p, t, V(repeating: 1.000_023_68))
    p = vfma(p, t, V(repeating: -1.265_512_23))
    // z² = x²/2 from x itself (not the rounded z), as its float value plus rounding error, and
    // the exponent −z² + P likewise; the errors are folded in as exp(δ) ≈ 1 + δ. Rounding either
    // would cost relative error ~2⁻²⁴·z² in the result, 70 ulp at z = 8.
    let xx = clamp(magnitude, 0, 17)
    let x2 = xx * xx, x2err = vfma(xx, xx, -x2)
    let z2 = 0.5 * x2, z2err = 0.5 * x2err
    let s = p - z2, back = s - p
    let serr = (p - (s - back)) + (-z2 - back)
    let e = vexp(s) * (1 + (serr - z2err))
    let half = V(repeating: 0.5) * t * e
    let tail = half.replacing(with: 1 - half, where: x .> 0)
    let cdf = tail.replacing(with: normalCDFNearZero(x), where: magnitude .< 1)
    return cdf.replacing(with: x, where: x .!= x)
}

/// Φ(x) for |x| < 1 (other lanes are garbage): ½ + ½·erf(x/√2) by the series of erf.
///
/// Near 0 the series erf(z) = (2/√π)·Σ (−1)ⁿ z²ⁿ⁺¹/(n!(2n+1)) is more accurate than the tail formula
/// (Φ = ½ + ½·erf, both halves near ½); up to |x| = 1 (z² = ½) eleven terms leave < 10⁻¹¹.
@_transparent
func normalCDFNearZero(_ x: SIMD16<Float>) -> SIMD16<Float> {
    typealias V = SIMD16<Float>
    let w = 0.5 * x * x
    var series = V(repeating: 1.3122532963802806e-08)
    series = vfma(series, w, V(repeating: -1.4503852223150468e-07))
    series = vfma(series, w, V(repeating: 1.4589169000933706e-06))
    series = vfma(series, w, V(repeating: -1.3227513227513228e-05))
    series = vfma(series, w, V(repeating: 0.00010683760683760684))
    series = vfma(series, w, V(repeating: -0.0007575757575757576))
    series = vfma(series, w, V(repeating: 0.004629629629629629))
    series = vfma(series, w, V(repeating: -0.023809523809523808))
    series = vfma(series, w, V(repeating: 0.1))
    series = vfma(series, w, V(repeating: -0.3333333333333333))
    series = vfma(series, w, V(repeating: 1.0))
    // ½·erf(z) = ½·(2/√π)·(x/√2)·series = x·series/√(2π).
    return vfma(V(repeating: 0.398_942_28) * x, series, V(repeating: 0.5))
}

/// Sixteen lanes of φ(x) = e^(−x²/2)/√(2π), the standard normal density, within 4·2⁻²⁴ relative.
/// x² is carried as its float value plus rounding error (as in `vnormalCDF`); rounding it would
/// cost relative error 2⁻²⁴·x²/2, 40 ulp at |x| = 9.
@_transparent
func vnormalDensity(_ x: SIMD16<Float>) -> SIMD16<Float> {
    typealias V = SIMD16<Float>
    let x2 = x * x, x2err = vfma(x, x, -x2)
    return V(repeating: 0.398_942_28) * vexp(-0.5 * x2) * (1 - 0.5 * x2err)
}

/// x limited to [lo, hi] lane by lane; NaN lanes stay NaN. (The standard library's `clamped`
/// goes through generic pointwiseMin/Max calls that are not inlined: 13% of a conv step.)
@_transparent
func clamp(_ x: SIMD16<Float>, _ lo: Float, _ hi: Float) -> SIMD16<Float> {
    x.replacing(with: lo, where: x .< lo).replacing(with: hi, where: x .> hi)
}

/// Lane-wise fused a·b + c (one rounding where the hardware has FMA; see `Gemm.multiplyAdd`).
@_transparent
func vfma(_ a: SIMD16<Float>, _ b: SIMD16<Float>, _ c: SIMD16<Float>) -> SIMD16<Float> {
    #if ENGINE_FMA || arch(arm64)
    return c.addingProduct(a, b)
    #else
    return c + a * b
    #endif
}

/// Sixteen floats from p[i...], or the `live` first of them padded with zeros.
@_transparent
func loadLanes(_ p: UnsafePointer<Float>, _ i: Int, live: Int = 16) -> SIMD16<Float> {
    if live == 16 { return UnsafeRawPointer(p + i).loadUnaligned(as: SIMD16<Float>.self) }
    var v = SIMD16<Float>()
    for l in 0..<live { v[l] = p[i + l] }
    return v
}

/// Writes the first `live` lanes of v to p[i...].
@_transparent
func storeLanes(_ v: SIMD16<Float>, _ p: UnsafeMutablePointer<Float>, _ i: Int, live: Int = 16) {
    if live == 16 { UnsafeMutableRawPointer(p + i).storeBytes(of: v, as: SIMD16<Float>.self); return }
    for l in 0..<live { p[i + l] = v[l] }
}
