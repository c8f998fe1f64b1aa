import Testing
@testable import Engine
/// The im2col/col2im pair against their definitions, entry by entry. Both are pure data movement
/// (col2im adds in a fixed order), so the comparison is exact.
@Suite("ConvKernelTests")
struct ConvKernelTests {
    /// (n, cin, h, w, k, stride, padding), with widths 1, 7, 33 and paddings up to larger than the kernel.
    static let cases: [[Int]] = [[1, 1, 1, 1, 1, 1, 0], [2, 3, 7, 7, 3, 1, 1], [1, 2, 5, 33, 3, 1, 3],
                                 [2, 1, 9, 7, 5, 1, 2], [1, 2, 7, 1, 1, 1, 2], [2, 2, 8, 9, 3, 2, 1]]

    @Test("im2col copies x[n, c, oy·s − p + i, ox·s − p + j] or 0, exactly", arguments: cases)
    func im2colMatchesDefinition(c: [Int]) {
        let x = randomTensor([c[0], c[1], c[2], c[3]], seed: 5, requiresGrad: false)
        let g = ConvGeometry(x: x.shape, w: [2, c[1], c[4], c[4]], stride: c[5], padding: c[6])
        let cols = Tensor.full([g.k, g.columns], .nan)
        im2col(x.data, g, into: cols.mutableData)
        var mismatches = 0
        for ch in 0..<g.cin { for i in 0..<g.kh { for j in 0..<g.kw {
            let r = (ch * g.kh + i) * g.kw + j
            for n in 0..<g.n { for oy in 0..<g.ho { for ox in 0..<g.wo {
                let y = oy * g.stride - g.padding + i, xx = ox * g.stride - g.padding + j
                let want: Float = y >= 0 && y < g.h && xx >= 0 && xx < g.w ? x.data[((n * g.cin + ch) * g.h + y) * g.w + xx] : 0
                let got = cols.data[r * g.columns + (n * g.ho + oy) * g.wo + ox]
                if got.bitPattern != want.bitPattern { mismatches += 1 }
            } } }
        } } }
        #expect(mismatches == 0, "\(c)")
    }

    @Test("col2im adds each column entry onto its source pixel in (i, j, oy, ox) order, exactly", arguments: cases)
    func col2imMatchesDefinition(c: [Int]) {
        let g = ConvGeometry(x: [c[0], c[1], c[2], c[3]], w: [2, c[1], c[4], c[4]], stride: c[5], padding: c[6])
        let cols = randomTensor([g.k, g.columns], seed: 6, requiresGrad: false)
        let dx = Tensor.full([g.n, g.cin, g.h, g.w], .nan)
        col2im(cols.data, g, into: dx.mutableData)
        var want = [Float](repeating: 0, count: dx.count)
        for n in 0..<g.n { for ch in 0..<g.cin { for i in 0..<g.kh { for j in 0..<g.kw {
            for oy in 0..<g.ho { for ox in 0..<g.wo {
                let y = oy * g.stride - g.padding + i, xx = ox * g.stride - g.padding + j
                guard y >= 0 && y < g.h && xx >= 0 && xx < g.w else { continue }
                want[((n * g.cin + ch) * g.h + y) * g.w + xx] += cols.data[((ch * g.kh + i) * g.kw + j) * g.columns + (n * g.ho + oy) * g.wo + ox]
            } }
        } } } }
        #expect(dx.values.map(\.bitPattern) == want.map(\.bitPattern), "\(c)")
    }
}

/// conv2d against the plain grouped formulation it is an optimisation of (W·cols per group;
/// dW = G·colsᵀ per group, summed per chunk, chunks in order; dcols = Wᵀ·G scattered back in
/// (i, j, oy, ox) order): every output bit must agree, since the faster paths only reorder data
/// movement and choose the GEMM orientation, never the order of any element's sum.
/// The exception is a forward, dx or dW that runs as Winograd F(2×2, 3×3) (ConvWinograd,
/// ConvWinogradWeightGradient), a different sum altogether: those are checked by ConvWinogradTests
/// (against the definitions, within the bound of their own roundings); here only db, and dx where
/// the flipped shape is not Winograd's, are compared for such shapes.
@Suite("ConvKernelBitsTests")
struct ConvKernelBitsTests {
    /// The grouped formulation, written plainly: (y, dx, dw, db) for upstream gradient `gr`.
    static func plain(_ x: Tensor, _ w: Tensor, _ b: Tensor, _ gr: Tensor, stride: Int, padding: Int)
        -> [[Float]] {
        let g = ConvGeometry(x: x.shape, w: w.shape, stride: stride, padding: padding)
        let blocks = ConvBlocking(g)
        var y = [Float](repeating: 0, count: g.n * g.cout * g.pixels), dx = [Float](repeating: 0, count: x.count)
        var partial = [Float](repeating: 0, count: blocks.chunks * g.cout * g.k)
        let widest = blocks.samples * g.pixels
        var cols = [Float](repeating: 0, count: g.k * widest), product = [Float](repeating: 0, count: g.cout * widest)
        var gt = product
        for chunk in 0..<blocks.chunks {
            for t in blocks.groups(ofChunk: chunk) {
                let samples = blocks.range(t, of: g), width = samples.count * g.pixels
                for r in 0..<g.k {
                    let c = r / (g.kh * g.kw), i = (r / g.kw) % g.kh, j = r % g.kw
                    for n in samples { for oy in 0..<g.ho { for ox in 0..<g.wo {
                        let yy = oy * stride - padding + i, xx = ox * stride - padding + j
                        cols[r * width + (n - samples.lowerBound) * g.pixels + oy * g.wo + ox] =
                            yy >= 0 && yy < g.h && xx >= 0 && xx < g.w ? x.data[((n * g.cin + c) * g.h + yy) * g.w + xx] : 0
                    } } }
                }
                Gemm.fast(transA: false, transB: false, m: g.cout, n: width, k: g.k, a: w.data, lda: g.k,
                          b: cols, ldb: width, c: &product, ldc: width, accumulate: false, threads: 1)
                for n in samples { for co in 0..<g.cout { for p in 0..<g.pixels {
                    let at = (n - samples.lowerBound) * g.pixels + p
                    y[(n * g.cout + co) * g.pixels + p] = product[co * width + at] + b.data[co]
                    gt[co * width + at] = gr.data[(n * g.cout + co) * g.pixels + p]
                } } }
                partial.withUnsafeMutableBufferPointer { pp in
                    Gemm.fast(transA: false, transB: true, m: g.cout, n: g.k, k: width, a: gt, lda: width,
                              b: cols, ldb: width, c: pp.baseAddress! + chunk * g.cout * g.k, ldc: g.k,
                              accumulate: t != blocks.groups(ofChunk: chunk).lowerBound, threads: 1)
                }
                Gemm.fast(transA: true, transB: false, m: g.k, n: width, k: g.cout, a: w.data, lda: g.k,
                          b: gt, ldb: width, c: &cols, ldc: width, accumulate: false, threads: 1)
                for n in samples { for c in 0..<g.cin { for i in 0..<g.kh { for j in 0..<g.kw {
                    for oy in 0..<g.ho { for ox in 0..<g.wo {
                        let yy = oy * stride - padding + i, xx = ox * stride - padding + j
                        guard yy >= 0 && yy < g.h && xx >= 0 && xx < g.w else { continue }
                        dx[((n * g.cin + c) * g.h + yy) * g.w + xx] +=
                            cols[((c * g.kh + i) * g.kw + j) * width + (n - samples.lowerBound) * g.pixels + oy * g.wo + ox]
                    } }
                } } } }
            }
        }
        if ConvImplicitGemm.applies(g) {
            // A "same" stride-1 convolution's dx is the convolution of G with the filters flipped
            // in both spatial directions and their channel axes swapped, padded the same way.
            let t = ConvGeometry(x: [g.n, g.cout, g.h, g.w], w: [g.cin, g.cout, g.kh, g.kw], stride: 1,
                                 padding: g.kh - 1 - g.padding)
            if t.cout * t.pixels * t.k > Gemm.smallWork {
                var flipped = [Float](repeating: 0, count: w.count)
                for co in 0..<g.cout { for c in 0..<g.cin { for i in 0..<g.kh { for j in 0..<g.kw {
                    flipped[((c * g.cout + co) * g.kh + (g.kh - 1 - i)) * g.kw + (g.kw - 1 - j)] =
                        w.data[((co * g.cin + c) * g.kh + i) * g.kw + j]
                } } } }
                dx = Self.plainConvolution(gr.data, t, flipped)
            }
        }
        var dw = [Float](repeating: 0, count: w.count), db = [Float](repeating: 0, count: g.cout)
        for e in 0..<dw.count { for c in 0..<blocks.chunks { dw[e] += partial[c * dw.count + e] } }
        // db per channel: pixel p of each sample (in sample order) into lane p mod 16, then the
        // lanes by `laneSum`'s tree: aᵢ = lᵢ + lᵢ₊₈, bᵢ = aᵢ + aᵢ₊₄, then (b₀ + b₂) + (b₁ + b₃).
        for co in 0..<g.cout {
            var lanes = [Float](repeating: 0, count: 16)
            for n in 0..<g.n { for p in 0..<g.pixels { lanes[p % 16] += gr.data[(n * g.cout + co) * g.pixels + p] } }
            let a = (0..<8).map { lanes[$0] + lanes[$0 + 8] }, b = (0..<4).map { a[$0] + a[$0 + 4] }
            db[co] = (b[0] + b[2]) + (b[1] + b[3])
        }
        return [y, dx, dw, db]
    }

    /// The stride-1 forward product without bias, one sample at a time: im2col, then W·cols with
    /// `Gemm.fast`, then + 0 (what conv2d adds when there is no bias).
    static func plainConvolution(_ x: UnsafePointer<Float>, _ g: ConvGeometry, _ w: [Float]) -> [Float] {
        var out = [Float](repeating: 0, count: g.n * g.cout * g.pixels)
        var cols = [Float](repeating: 0, count: g.k * g.pixels), product = [Float](repeating: 0, count: g.cout * g.pixels)
        for n in 0..<g.n {
            for r in 0..<g.k {
                let c = r / (g.kh * g.kw), i = (r / g.kw) % g.kh, j = r % g.kw
                for oy in 0..<g.ho { for ox in 0..<g.wo {
                    let yy = oy - g.padding + i, xx = ox - g.padding + j
                    cols[r * g.pixels + oy * g.wo + ox] =
                        yy >= 0 && yy < g.h && xx >= 0 && xx < g.w ? x[((n * g.cin + c) * g.h + yy) * g.w + xx] : 0
                } }
            }
            Gemm.fast(transA: false, transB: false, m: g.cout, n: g.pixels, k: g.k, a: w, lda: g.k,
                      b: cols, ldb: g.pixels, c: &product, ldc: g.pixels, accumulate: false, threads: 1)
            for e in 0..<g.cout * g.pixels { out[n * g.cout * g.pixels + e] = product[e] + 0 }
        }
        return out
    }

    /// (n, cin, h, w, cout, k, stride, padding): conv16's layers on a short batch (1→32, 32→64,
    /// 64→32, 32→1 at 16×16; the middle two are Winograd's), one channel, odd sizes, stride 2,
    /// paddings 0 and 2, 1×1 and 5×5 kernels, and batches of several groups and dW chunks. The
    /// first cases run the implicit forward only with 1 thread (with 2 their one or two groups let
    /// the GEMM use the threads).
    static let cases: [[Int]] = [[3, 1, 16, 16, 32, 3, 1, 1], [3, 32, 16, 16, 64, 3, 1, 1], [2, 64, 16, 16, 32, 3, 1, 1],
                                 [5, 32, 16, 16, 1, 3, 1, 1], [9, 1, 7, 9, 3, 3, 1, 1], [4, 3, 9, 7, 5, 5, 1, 2],
                                 [3, 4, 11, 13, 6, 3, 2, 1], [70, 2, 5, 5, 3, 3, 1, 0], [6, 5, 8, 8, 7, 1, 1, 0],
                                 [2, 3, 33, 17, 4, 3, 1, 1], [20, 2, 6, 6, 2, 5, 1, 2],
                                 // Implicit-GEMM shapes (stride 1, same size, 32-pixel multiples) with
                                 // enough groups for 2 threads: 3 depth blocks, edge rows and columns,
                                 // 5×5, 1×1, and a dW chunk of two groups.
                                 [8, 64, 16, 16, 32, 3, 1, 1], [8, 32, 16, 16, 1, 3, 1, 1], [40, 64, 8, 8, 20, 3, 1, 1],
                                 [70, 3, 4, 8, 5, 5, 1, 2], [70, 6, 8, 4, 7, 1, 1, 0], [18, 4, 16, 16, 32, 3, 1, 1],
                                 // conv16's 32→64 on 8×8 images, too narrow for Winograd's vectors.
                                 [4, 32, 8, 8, 64, 3, 1, 1]]

    @Test("conv2d forward, dx, dW and db are bit-identical to the plain grouped formulation, 1 and 2 threads",
          arguments: cases)
    func sameBitsAsPlainFormulation(c: [Int]) throws {
        let (n, cin, h, wd, cout, k, stride, padding) = (c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7])
        let geo = ConvGeometry(x: [n, cin, h, wd], w: [cout, cin, k, k], stride: stride, padding: padding)
        let x = randomTensor([n, cin, h, wd], seed: 400), w = randomTensor([cout, cin, k, k], seed: 401)
        let b = randomTensor([cout], seed: 402)
        let gr = randomTensor([n, cout, geo.ho, geo.wo], seed: 403, requiresGrad: false)
        let want = Self.plain(x, w, b, gr, stride: stride, padding: padding).map { $0.map(\.bitPattern) }
        for threads in [1, 2] {
            for t in [x, w, b] { t.grad = nil }
            let y = withThreads(threads) { conv2d(x, w, b, stride: stride, padding: padding) }
            withThreads(threads) { y.backward(gr) }
            let got = [y.values, try #require(x.grad).values, try #require(w.grad).values, try #require(b.grad).values]
            for (name, (a, e)) in zip(["forward", "dx", "dW", "db"], zip(got.map { $0.map(\.bitPattern) }, want)) {
                if (name == "forward" || name == "dW") && ConvWinograd.applies(geo) { continue }
                if name == "dx" && ConvWinograd.applies(geo) && flippedGeometry(geo).map(ConvWinograd.applies) == true { continue }
                // A count, not the arrays: rendering a diff of thousands of floats takes minutes.
                let mismatches = zip(a, e).filter { $0.0 != $0.1 }.count
                #expect(a.count == e.count && mismatches == 0, "\(name) \(c) threads \(threads): \(mismatches) differ")
            }
        }
    }
}
