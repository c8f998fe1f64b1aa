// The weight gradient of a 3×3 "same" convolution through Winograd's F(2×2, 3×3), on the shapes
// whose forward runs that way (ConvWinograd.applies).
//
// The forward computes, per position ξ of the 4×4 transformed tile, M_ξ = U_ξ·V_ξ with
// U = G g Gᵀ per filter and V = Bᵀ d B per input tile, then Y = Aᵀ M A per output tile. Running
// the chain rule backwards through those three steps:
//
//   dM = A dY Aᵀ                       per output tile (the adjoint of Y = Aᵀ M A),
//   dU_ξ [Cout × Cin] = dM_ξ · V_ξᵀ    one product per position, summed over all tiles,
//   dg = Gᵀ dU G                       per filter (the adjoint of U = G g Gᵀ).
//
// In exact arithmetic this is the gradient of the direct convolution; in float it rounds
// differently, and the tests bound the difference the same way as the forward's. Each product
// has the tiles as its depth, so its multiplications are 16 per tile and filter pair against 36
// for the direct dW = dY·colsᵀ, and no patch matrix is read from the image.
//
// Determinism: the batch is cut into conv2d's dW chunks (ConvBlocking), whose sizes depend only
// on the shape. A chunk sums its images in blocks of whole images, in order, into one partial dU;
// the partials are added in chunk order in Double before dg, and rounded once.

/// The Winograd weight gradient for one convolution shape. Reference twin: the dw of
/// `Reference.conv2dBackward`.
struct ConvWinogradWeightGradient {
    let g: ConvGeometry
    let grid: WinogradTileGrid
    /// Whole images per product, so that its depth (their tiles) is about one GEMM depth block.
    let imagesPerBlock: Int

    init(_ g: ConvGeometry) {
        precondition(ConvWinograd.applies(g), "ConvWinogradWeightGradient: unsupported geometry")
        self.g = g
        grid = WinogradTileGrid(g)
        imagesPerBlock = max(1, Gemm.depthBlock / grid.tilesPerImage)
    }

    /// Floats in one partial dU: 16 positions × Cout × Cin.
    var partialCount: Int { 16 * g.cout * g.cin }

    /// dU_ξ = Σ over the tiles of images `samples` of dM_ξ·V_ξᵀ, written to `du` [16, Cout, Cin],
    /// on this thread. `x` is the whole input [N, Cin, H, W], `dy` the whole upstream gradient
    /// [N, Cout, H, W].
    func partial(x: UnsafePointer<Float>, dy: UnsafePointer<Float>, samples: Range<Int>,
                 into du: UnsafeMutablePointer<Float>) {
        let perImage = grid.tilesPerImage, width = imagesPerBlock * perImage, plane = g.h * g.w
        // V_ξ as rows [Cin × width] and dM_ξ as rows [Cout × width], position after position, 16
        // floats more than a power of two apart (see ConvWinograd.forward).
        let vStride = g.cin * width + 16, mStride = g.cout * width + 16
        let v = Gemm.alignedFloats(16 * vStride), dm = Gemm.alignedFloats(16 * mStride)
        defer { free(v); free(dm) }
        var first = true
        for start in stride(from: samples.lowerBound, to: samples.upperBound, by: imagesPerBlock) {
            let images = start..<min(samples.upperBound, start + imagesPerBlock)
            for (i, n) in images.enumerated() {
                for c in 0..<g.cin {
                    grid.transformInput(x + (n * g.cin + c) * plane, firstTile: i * perImage, channel: c,
                                        into: v, stride: vStride, layout: .rows(width))
                }
                for co in 0..<g.cout {
                    grid.transformOutputAdjoint(dy + (n * g.cout + co) * plane, firstTile: i * perImage, channel: co,
                                                into: dm, stride: mStride, rows: width)
                }
            }
            for xi in 0..<16 {
                Gemm.fast(transA: false, transB: true, m: g.cout, n: g.cin, k: images.count * perImage,
                          a: dm + xi * mStride, lda: width, b: v + xi * vStride, ldb: width,
                          c: du + xi * g.cout * g.cin, ldc: g.cin, accumulate: !first, threads: 1)
            }
            first = false
        }
    }

    /// dW [Cout, Cin, 3, 3] = Gᵀ (Σ_p partial_p) G from `count` partials laid end to end.
    func weightGradient(partials: UnsafePointer<Float>, count: Int, into dw: UnsafeMutablePointer<Float>) {
        let pairs = g.cout * g.cin, size = partialCount
        // Σ_p in Double, partial after partial over contiguous runs (the loop vectorises).
        let du = UnsafeMutablePointer<Double>.allocate(capacity: size)
        defer { du.deallocate() }
        Parallel.forRanges(size, minChunk: 4096) { range in
            for e in range { du[e] = Double(partials[e]) }
            for p in 1..<max(1, count) {
                let from = partials + p * size
                for e in range { du[e] += Double(from[e]) }
            }
        }
        Parallel.forRanges(pairs, minChunk: 256) { range in
            for e in range {
                // dU of filter e = co·Cin + c at position ξ = 4r + q is du[ξ·pairs + e].
                @inline(__always) func at(_ xi: Int) -> Double { du[xi * pairs + e] }
                // Gᵀ applied to a column of four (r = 0...3) gives three: a₀ + (a₁ + a₂)/2,
                // (a₁ − a₂)/2, (a₁ + a₂)/2 + a₃. First down the columns q, then across the rows.
                @inline(__always) func gT(_ a0: Double, _ a1: Double, _ a2: Double, _ a3: Double)
                    -> (Double, Double, Double) {
                    (a0 + (a1 + a2) / 2, (a1 - a2) / 2, (a1 + a2) / 2 + a3)
                }
                let h0 = gT(at(0), at(4), at(8), at(12)), h1 = gT(at(1), at(5), at(9), at(13))
                let h2 = gT(at(2), at(6), at(10), at(14)), h3 = gT(at(3), at(7), at(11), at(15))
                let out = dw + e * 9
                @inline(__always) func put(_ i: Int, _ row: (Double, Double, Double)) {
                    out[3 * i] = Float(row.0)
                    out[3 * i + 1] = Float(row.1)
                    out[3 * i + 2] = Float(row.2)
                }
                put(0, gT(h0.0, h1.0, h2.0, h3.0))
                put(1, gT(h0.1, h1.1, h2.1, h3.1))
                put(2, gT(h0.2, h1.2, h2.2, h3.2))
            }
        }
    }
}
