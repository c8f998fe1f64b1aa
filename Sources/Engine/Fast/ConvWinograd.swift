// Winograd's minimal filtering F(2×2, 3×3) for 3×3 convolutions with stride 1 and padding 1
// (Lavin and Gray, "Fast Algorithms for Convolutional Neural Networks", CVPR 2016).
//
// Cut the output into 2×2 tiles. A tile reads a 4×4 patch d of each input plane (its 2×2 pixels
// and their 3×3 windows), and its output is Y = Aᵀ [Σ_c (G g_c Gᵀ) ⊙ (Bᵀ d_c B)] A, with g_c the
// 3×3 filter of input channel c, ⊙ the element-wise product and
//
//         ⎡1  0 −1  0⎤          ⎡ 1   0   0⎤
//    Bᵀ = ⎢0  1  1  0⎥      G = ⎢ ½   ½   ½⎥      Aᵀ = ⎡1  1  1  0⎤
//         ⎢0 −1  1  0⎥          ⎢ ½  −½   ½⎥           ⎣0  1 −1 −1⎦
//         ⎣0  1  0 −1⎦          ⎣ 0   0   1⎦
//
// The 4 outputs of a tile cost 16 multiply-adds per input channel instead of 4·9 = 36, 2.25×
// fewer. Over all tiles the sum over c is, for each of the 16 positions ξ of the 4×4 transformed
// tile, one matrix product: M_ξ [Cout × tiles] = U_ξ [Cout × Cin] · V_ξ [Cin × tiles], with
// U = G g Gᵀ per filter (computed once per call) and V = Bᵀ d B per tile and channel. Those 16
// products run on the GEMM's register tile; the transforms are additions and subtractions.
//
// The transforms change which roundings happen, so results differ from the direct sum in the last
// bits. F(2×2, 3×3) is the well-conditioned member of the family (its coefficients are 0, ±½ and
// ±1), and the tests bound its error by the same formula evaluated on absolute values.
//
// Sixteen tiles in a row of the tile grid (or the 8 + 8 that end one row and start the next) are
// one SIMD16 vector throughout (WinogradTransforms.swift): the input transform loads 16 input
// columns per half, splits even from odd columns, and stores V straight into the GEMM's packed B
// layout; the output transform interleaves the two output columns of each tile back into
// 16-column runs. The weight gradient runs the same transforms (ConvWinogradWeightGradient.swift).
// That needs widths that are multiples of 16, even heights and whole 32-tile slivers per image
// (16×16, 32×32, 16×8, …); other 3×3 shapes take the implicit GEMM (ConvImplicitGemm). With
// every load and store a whole aligned vector the transforms stay a small part of the time; with
// part-filled vectors and overlapping stores they cost more than the 2.25× saved.
//
// Work is cut into chunks of whole images, whose transformed tiles (16·Cin floats per tile in, as
// many per output channel out) stay in L2. Every value's arithmetic depends only on the shape: a
// tile's V and Y are fixed formulas, and each element of M_ξ is one multiply-add chain over the
// input channels in order, started from zero. Chunks are therefore free to run on any thread.

/// F(2×2, 3×3) Winograd convolution for one convolution shape; build once per conv2d call.
/// Reference twin: `Reference.conv2dForward` (and `conv2dBackward`'s dx, a convolution of G).
struct ConvWinograd {
    let g: ConvGeometry
    /// The 2×2 output tiles and their transforms.
    let grid: WinogradTileGrid
    /// Tiles per image.
    var tilesPerImage: Int { grid.tilesPerImage }
    /// Whole images per chunk: the unit of work of `forward`.
    let imagesPerChunk: Int
    /// U_ξ for ξ = 0..<16, each packed as `Gemm.packA` lays out A ([Cout × Cin], one depth block).
    private let uPack: UnsafeMutablePointer<Float>
    private let rowSlivers: Int

    /// Tiles per chunk to aim for (at least one image): V and M of a chunk take 16·(Cin + Cout)·4
    /// bytes per tile, 512 KiB at 64 tiles and 64 + 64 channels, so they stay in L2 between the
    /// transforms and the products. In conv16, 32 and 64 measured fastest, 128 and 256 a few percent slower.
    static let chunkTiles = 64

    /// Whether this path handles the shape: a 3×3 kernel, stride 1, padding 1; at least 8
    /// channels in and out (with fewer, the per-position products are too thin for the register
    /// tile and the transforms cost more than they save), Cin at most one GEMM depth block; a
    /// width that is a multiple of 16, an even height and a multiple of 32 tiles per image (see
    /// the header).
    static func applies(_ g: ConvGeometry) -> Bool {
        g.kh == 3 && g.kw == 3 && g.stride == 1 && g.padding == 1
            && g.cin >= 8 && g.cout >= 8 && g.cin <= Gemm.depthBlock
            && g.w % 16 == 0 && g.h % 2 == 0 && (g.h / 2) * (g.w / 2) % Gemm.packCols == 0
    }

    /// Transforms and packs the filters; `w` is [Cout, Cin, 3, 3].
    init(_ g: ConvGeometry, w: UnsafePointer<Float>) {
        precondition(Self.applies(g), "ConvWinograd: unsupported geometry")
        self.g = g
        grid = WinogradTileGrid(g)
        let tilesPerImage = grid.tilesPerImage
        imagesPerChunk = max(1, min(g.n, Self.chunkTiles / tilesPerImage))
        let mr = Gemm.packRows
        rowSlivers = (g.cout + mr - 1) / mr
        let perPosition = rowSlivers * mr * g.cin
        uPack = Gemm.alignedFloats(16 * perPosition)
        // U = G g Gᵀ in Double, rounded once: the ½ factors and three-term sums are then exact
        // or nearly so, and U is the same whatever order the terms are written in.
        let u = UnsafeMutablePointer<Float>.allocate(capacity: 16 * g.cout * g.cin)
        defer { u.deallocate() }
        for co in 0..<g.cout {
            for c in 0..<g.cin {
                let f = w + (co * g.cin + c) * 9
                // Rows of G·g, then G applied across each: U = (G g) Gᵀ.
                @inline(__always) func gRow(_ a: Double, _ b: Double, _ d: Double) -> (Double, Double, Double, Double) {
                    (a, (a + b + d) / 2, (a - b + d) / 2, d)
                }
                let f0 = gRow(Double(f[0]), Double(f[3]), Double(f[6]))
                let f1 = gRow(Double(f[1]), Double(f[4]), Double(f[7]))
                let f2 = gRow(Double(f[2]), Double(f[5]), Double(f[8]))
                @inline(__always) func put(_ r: Int, _ row: (Double, Double, Double, Double)) {
                    let at = u + (r * 4 * g.cout + co) * g.cin + c, next = g.cout * g.cin
                    at[0] = Float(row.0); at[next] = Float(row.1); at[2 * next] = Float(row.2); at[3 * next] = Float(row.3)
                }
                put(0, gRow(f0.0, f1.0, f2.0))
                put(1, gRow(f0.1, f1.1, f2.1))
                put(2, gRow(f0.2, f1.2, f2.2))
                put(3, gRow(f0.3, f1.3, f2.3))
            }
        }
        for xi in 0..<16 {
            Gemm.packA(transA: false, a: u + xi * g.cout * g.cin, lda: g.cin, i0: 0, rows: g.cout, p0: 0,
                       kc: g.cin, into: uPack + xi * perPosition)
        }
    }

    /// The input gradient of `g` as a Winograd convolution of the upstream gradient, or nil where
    /// this path does not apply to that convolution (see `ConvImplicitGemm.inputGradient` for why
    /// dx of a stride-1 "same" convolution is the convolution of G with the flipped filters).
    static func inputGradient(of g: ConvGeometry, w: UnsafePointer<Float>) -> ConvWinograd? {
        guard applies(g), let t = flippedGeometry(g), applies(t) else { return nil }
        let flipped = flippedFilters(g, w)
        defer { flipped.deallocate() }
        return ConvWinograd(t, w: flipped)
    }

    /// Releases the packed filters.
    func release() { free(uPack) }

    /// Number of chunks `forward` splits the batch into.
    var chunks: Int { (g.n + imagesPerChunk - 1) / imagesPerChunk }

    /// out[n, co, ·] = conv(x)[n, co, ·] + bias[co] (+0 with no bias, as conv2d's other paths add)
    /// for the images of `chunks`, on this thread. `x` is the whole input [N, Cin, H, W], `out`
    /// the whole output [N, Cout, H, W].
    func forward(x: UnsafePointer<Float>, chunks: Range<Int>, bias: UnsafePointer<Float>?,
                 into out: UnsafeMutablePointer<Float>) {
        let nr = Gemm.packCols, mr = Gemm.packRows
        let width = imagesPerChunk * tilesPerImage, slivers = width / nr
        // V_ξ packed as B slivers (32 tiles × Cin each), then M_ξ [Cout × width]. The 16 positions
        // are 16 floats more than a power of two apart: at exactly 16 or 64 KiB the transforms'
        // 16 streams fall on one L1 set and every load waits on an unrelated store (4K aliasing);
        // the offset made conv16 7% faster.
        let vStride = slivers * nr * g.cin + 16, mStride = g.cout * width + 16
        let v = Gemm.alignedFloats(16 * vStride), m = Gemm.alignedFloats(16 * mStride)
        let edge = Gemm.alignedFloats(mr * nr)
        defer { free(v); free(m); free(edge) }
        for chunk in chunks {
            let images = (chunk * imagesPerChunk)..<min(g.n, (chunk + 1) * imagesPerChunk)
            for (i, n) in images.enumerated() {
                for c in 0..<g.cin {
                    grid.transformInput(x + (n * g.cin + c) * g.h * g.w, firstTile: i * tilesPerImage, channel: c,
                                        into: v, stride: vStride, layout: .packedB)
                }
            }
            for xi in 0..<16 {
                let a = uPack + xi * rowSlivers * mr * g.cin, b = v + xi * vStride, c = m + xi * mStride
                for s in 0..<(images.count * tilesPerImage / nr) {
                    for r in 0..<rowSlivers {
                        Gemm.registerTile(kc: g.cin, a: a + r * mr * g.cin, b: b + s * nr * g.cin,
                                          c: c + r * mr * width + s * nr, ldc: width,
                                          rows: min(mr, g.cout - r * mr), cols: nr, add: false, edge: edge)
                    }
                }
            }
            for (i, n) in images.enumerated() {
                for co in 0..<g.cout {
                    grid.transformOutput(m + co * width + i * tilesPerImage, stride: mStride, bias: bias?[co] ?? 0,
                                         into: out + (n * g.cout + co) * g.h * g.w)
                }
            }
        }
    }
}
