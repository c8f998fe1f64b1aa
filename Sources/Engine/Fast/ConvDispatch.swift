// How conv2d runs fast: the batch in groups of whole samples, each group one im2col and one GEMM
// on buffers that stay in cache (cols for the whole batch would be kH·kW times the size of x);
// stride-1 "same" shapes skip cols (ConvImplicitGemm, whose dx is itself a convolution of G with
// the flipped filters), and 3×3 "same" shapes with at least 8 channels on 16-wide planes run
// forward, dx and dW as Winograd's F(2×2, 3×3), with 2.25× fewer multiplications (ConvWinograd).
// dW's sum over samples runs over groups and chunks whose sizes depend only on the shape, so
// no result depends on the thread count.

/// The geometry of dx as a convolution of the upstream gradient: Cout channels in, Cin out, the
/// same kernel size, stride 1, padding kH − 1 − p, which equals p for the stride-1 "same" shapes
/// it describes. Nil for any other shape: with padding above kH − 1 the flipped padding would be
/// negative, and a square padding cannot undo a kernel that is not square (issue 27 crashed here).
func flippedGeometry(_ g: ConvGeometry) -> ConvGeometry? {
    guard g.stride == 1, g.ho == g.h, g.wo == g.w, g.kh == g.kw else { return nil }
    return ConvGeometry(x: [g.n, g.cout, g.ho, g.wo], w: [g.cin, g.cout, g.kh, g.kw], stride: 1,
                        padding: g.kh - 1 - g.padding)
}

/// W'[c, co, i', j'] = W[co, c, kH − 1 − i', kW − 1 − j']: the filters of dx as a convolution of
/// G. The caller deallocates the result.
func flippedFilters(_ g: ConvGeometry, _ w: UnsafePointer<Float>) -> UnsafeMutablePointer<Float> {
    let taps = g.kh * g.kw
    let flipped = UnsafeMutablePointer<Float>.allocate(capacity: g.cin * g.cout * taps)
    for c in 0..<g.cin {
        for co in 0..<g.cout {
            for tap in 0..<taps {
                // Tap (i', j') of W' is tap (kH − 1 − i', kW − 1 − j') of W: the index reversed.
                flipped[(c * g.cout + co) * taps + tap] = w[(co * g.cin + c) * taps + taps - 1 - tap]
            }
        }
    }
    return flipped
}

/// How conv2d cuts the batch: runs of whole samples ("groups") small enough that their columns
/// stay in cache, large enough (≥ 512 output pixels) that the GEMM's 32-column tiles fill.
/// Every size here depends only on the shape, never on the thread count.
struct ConvBlocking {
    /// Samples per group.
    let samples: Int
    /// Number of groups.
    let groups: Int
    /// Weight-gradient partial sums: groups are dealt to this many chunks, each summing its
    /// groups' dW in order; the chunks are then added in order.
    let chunks: Int

    init(_ g: ConvGeometry) {
        samples = Swift.max(1, Swift.min(g.n, (512 + g.pixels - 1) / Swift.max(1, g.pixels)))
        groups = (g.n + samples - 1) / samples
        chunks = Swift.min(groups, 8)
    }

    /// The samples of group `i`.
    func range(_ i: Int, of g: ConvGeometry) -> Range<Int> { (i * samples)..<Swift.min(g.n, (i + 1) * samples) }

    /// The groups of chunk `c`.
    func groups(ofChunk c: Int) -> Range<Int> { (groups * c / chunks)..<(groups * (c + 1) / chunks) }
}

/// Whether dW should be computed transposed, as dWᵀ [K, Cout] = cols · Gᵀ, rather than as
/// G · colsᵀ [Cout, K]: the GEMM's register tile is 14 rows × 32 columns, and this picks the
/// orientation whose tile grid, counted in whole 14-row slivers, is smaller (Cout = 32 or 64 fits
/// the columns exactly; one channel fits 14 rows better than 32 columns). A last sliver of at most
/// 8 rows now costs only its rows (`Gemm.shortTileKernel`), which evens some ties; for conv16's
/// shapes the other orientation measured no faster, since either packs the same K·pixels from x.
/// An element's sum over pixels is the same either way, so are its bits.
func pixelsAsRows(pixels: Int, channels: Int) -> Bool {
    let mr = Gemm.packRows, nr = Gemm.packCols
    func padded(_ m: Int, _ n: Int) -> Int { (m + mr - 1) / mr * mr * ((n + nr - 1) / nr * nr) }
    return padded(pixels, channels) <= padded(channels, pixels)
}

/// Runs `body` over `0..<count` tasks: in parallel when there are enough tasks to keep every
/// thread busy, else serially with `inner` true, telling the body to let its GEMMs use the threads.
/// Both ways compute the same bits, since no GEMM result depends on its thread count.
private func convTasks(_ count: Int, _ body: (_ tasks: Range<Int>, _ inner: Bool) -> Void) {
    if count >= 2 * Parallel.threads {
        Parallel.forRanges(count) { body($0, false) }
    } else {
        body(0..<count, true)
    }
}

/// conv2d's forward on the fast path: [N, Cout, Ho, Wo]. Reference twin: `Reference.conv2dForward`.
func conv2dFastForward(_ g: ConvGeometry, x: Tensor, w: Tensor, b: Tensor?) -> Tensor {
    let blocks = ConvBlocking(g)
    let widest = blocks.samples * g.pixels

    let out = Tensor.empty([g.n, g.cout, g.ho, g.wo])
    let xp = x.data, wp = w.data, op = out.mutableData, bp = b?.data
    // 3×3 "same" convolutions with enough channels run as Winograd F(2×2, 3×3) (ConvWinograd);
    // other "same" stride-1 ones skip cols altogether (ConvImplicitGemm), one group per thread.
    let winograd = ConvWinograd.applies(g) ? ConvWinograd(g, w: wp) : nil
    defer { winograd?.release() }
    let implicit = winograd == nil && ConvImplicitGemm.applies(g) ? ConvImplicitGemm(g, w: wp) : nil
    defer { implicit?.release() }
    if let winograd {
        Parallel.forRanges(winograd.chunks) { chunks in
            winograd.forward(x: xp, chunks: chunks, bias: bp.map { UnsafePointer($0) }, into: op)
        }
    } else {
        convTasks(blocks.groups) { tasks, inner in
            let cols = Gemm.alignedFloats(g.k * widest), product = Gemm.alignedFloats(g.cout * widest)
            defer { free(cols); free(product) }
            for t in tasks {
                let samples = blocks.range(t, of: g), width = samples.count * g.pixels
                // Below Gemm.smallWork, Gemm.fast runs its unfused reference, whose bits differ.
                if let implicit, !inner, g.cout * width * g.k > Gemm.smallWork {
                    implicit.forward(x: xp, count: x.count, samples: samples, bias: bp.map { UnsafePointer($0) }, into: op)
                    continue
                }
                im2col(xp, g, samples: samples, rows: 0..<g.k, into: cols, ld: width)
                // W·cols, not colsᵀ·Wᵀ with the pixels down the tile rows: packing cols transposed
                // costs more, and the last rows of Cout = 32 or 64 run as a short tile (only its rows).
                Gemm.fast(transA: false, transB: false, m: g.cout, n: width, k: g.k, a: wp, lda: g.k,
                          b: cols, ldb: width, c: product, ldc: width, accumulate: false, threads: inner ? nil : 1)
                // The product is [Cout, samples·Ho·Wo]; the output wants [N, Cout, Ho·Wo]. Move it, adding the bias.
                for n in samples {
                    for co in 0..<g.cout {
                        let src = product + co * width + (n - samples.lowerBound) * g.pixels
                        let dst = op + (n * g.cout + co) * g.pixels
                        let bias = bp?[co] ?? 0
                        for p in 0..<g.pixels { dst[p] = src[p] + bias }
                    }
                }
            }
        }
    }
    return out
}

/// conv2d's backward on the fast path: [dx, dW, db], each nil where its input needs no gradient
/// (db nil without a bias). Reference twin: `Reference.conv2dBackward`.
func conv2dFastBackward(_ g: ConvGeometry, x: Tensor, w: Tensor, b: Tensor?, upstream gr: Tensor) -> [Tensor?] {
    let blocks = ConvBlocking(g)
    let widest = blocks.samples * g.pixels
    let xp = x.data, wp = w.data
    let gp = gr.data
    var grads: [Tensor?] = [nil, nil, nil]
    let needW = w.requiresGrad, needX = x.requiresGrad
    if needW || needX {
        // One partial dW per chunk, [chunks, Cout, K], or [chunks, K, Cout] when computed
        // transposed; dx planes are written directly.
        let weightT = pixelsAsRows(pixels: g.k, channels: g.cout)
        // dW of a shape whose forward is Winograd's is Winograd's too (its own partials).
        let winogradW = needW && ConvWinograd.applies(g) ? ConvWinogradWeightGradient(g) : nil
        let partial = needW && winogradW == nil ? Gemm.alignedFloats(blocks.chunks * g.cout * g.k) : nil
        defer { if let partial { free(partial) } }
        let dx = needX ? Tensor.empty(x.shape) : nil
        let dxp = dx?.mutableData
        let slack = col2imSlack(g)
        // dW's cols, like the forward's, come straight from x where the shape allows.
        let implicitW = partial != nil && weightT && ConvImplicitGemm.applies(g) ? ConvImplicitGemm(g, w: nil) : nil
        defer { implicitW?.release() }
        // dx, where the shape allows, is a convolution of G itself: Winograd's, or else the
        // implicit GEMM's (one sample per task).
        let winogradX = needX ? ConvWinograd.inputGradient(of: g, w: wp) : nil
        defer { winogradX?.release() }
        let implicitX = needX && winogradX == nil ? ConvImplicitGemm.inputGradient(of: g, w: wp) : nil
        defer { implicitX?.release() }
        if let winogradX, let dxp {
            Parallel.forRanges(winogradX.chunks) { chunks in
                winogradX.forward(x: gp, chunks: chunks, bias: nil, into: dxp)
            }
        } else if let implicitX, let dxp {
            Parallel.forRanges(g.n) { samples in
                implicitX.forward(x: gp, count: gr.count, samples: samples, bias: nil, into: dxp)
            }
        }
        let colsDx = implicitX == nil && winogradX == nil ? dxp : nil
        if partial != nil || colsDx != nil {
            convTasks(blocks.chunks) { tasks, inner in
                let threads = inner ? nil : 1
                // G for one group in the forward product's layout [Cout, samples·Ho·Wo].
                let gt = Gemm.alignedFloats(g.cout * widest)
                // cols, then dcols; col2im reads a little past both ends (masked off).
                let colsBuffer = Gemm.alignedFloats(g.k * widest + 2 * slack)
                colsBuffer.update(repeating: 0, count: slack)
                (colsBuffer + slack + g.k * widest).update(repeating: 0, count: slack)
                let cols = colsBuffer + slack
                defer { free(gt); free(colsBuffer) }
                for chunk in tasks {
                    for t in blocks.groups(ofChunk: chunk) {
                        let samples = blocks.range(t, of: g), width = samples.count * g.pixels
                        for n in samples {
                            for co in 0..<g.cout {
                                (gt + co * width + (n - samples.lowerBound) * g.pixels)
                                    .update(from: gp + (n * g.cout + co) * g.pixels, count: g.pixels)
                            }
                        }
                        if let partial {
                            // dW = G·colsᵀ, summed over the chunk's groups in order.
                            let first = t == blocks.groups(ofChunk: chunk).lowerBound
                            if let implicitW, !inner, g.cout * width * g.k > Gemm.smallWork {
                                implicitW.weightGradient(x: xp, count: x.count, samples: samples, gt: gt,
                                                        into: partial + chunk * g.cout * g.k, accumulate: !first)
                            } else if weightT {
                                im2col(xp, g, samples: samples, rows: 0..<g.k, into: cols, ld: width)
                                Gemm.fast(transA: false, transB: true, m: g.k, n: g.cout, k: width, a: cols, lda: width,
                                          b: gt, ldb: width, c: partial + chunk * g.cout * g.k, ldc: g.cout,
                                          accumulate: !first, threads: threads)
                            } else {
                                im2col(xp, g, samples: samples, rows: 0..<g.k, into: cols, ld: width)
                                Gemm.fast(transA: false, transB: true, m: g.cout, n: g.k, k: width, a: gt, lda: width,
                                          b: cols, ldb: width, c: partial + chunk * g.cout * g.k, ldc: g.k,
                                          accumulate: !first, threads: threads)
                            }
                        }
                        if let dxp = colsDx {
                            // dcols = Wᵀ·G (reusing the cols buffer), then col2im per plane.
                            Gemm.fast(transA: true, transB: false, m: g.k, n: width, k: g.cout, a: wp, lda: g.k,
                                      b: gt, ldb: width, c: cols, ldc: width, accumulate: false, threads: threads)
                            for n in samples {
                                col2im(cols + (n - samples.lowerBound) * g.pixels, ld: width, g, channels: 0..<g.cin,
                                       into: dxp + n * g.cin * g.h * g.w)
                            }
                        }
                    }
                }
            }
        }
        if let winogradW {
            let partials = Gemm.alignedFloats(blocks.chunks * winogradW.partialCount)
            defer { free(partials) }
            Parallel.forRanges(blocks.chunks) { chunks in
                for chunk in chunks {
                    let groups = blocks.groups(ofChunk: chunk)
                    let samples = blocks.range(groups.lowerBound, of: g).lowerBound
                        ..< blocks.range(groups.upperBound - 1, of: g).upperBound
                    winogradW.partial(x: xp, dy: gp, samples: samples,
                                      into: partials + chunk * winogradW.partialCount)
                }
            }
            let dw = Tensor.empty(w.shape)
            winogradW.weightGradient(partials: partials, count: blocks.chunks, into: dw.mutableData)
            grads[1] = dw
        }
        if let partial {
            let dw = Tensor.empty(w.shape)
            let dwp = dw.mutableData, size = g.cout * g.k, chunks = blocks.chunks, k = g.k, cout = g.cout
            Parallel.forRanges(size, minChunk: 16_384) { r in
                for e in r {
                    // Element e = (co, kk) of dW; a transposed partial holds it at kk·Cout + co.
                    let at = weightT ? (e % k) * cout + e / k : e
                    var s: Float = 0
                    for c in 0..<chunks { s += partial[c * size + at] }
                    dwp[e] = s
                }
            }
            grads[1] = dw
        }
        grads[0] = dx
    }
    if let b, b.requiresGrad {
        // db = Σ over n and pixels per channel, split over channels. Each channel's sum runs
        // on 16 lanes (pixel p of every sample in lane p mod 16, samples in order), then one
        // fixed tree across the lanes: a single running sum would wait out the add latency
        // on every one of its N·Ho·Wo terms.
        let db = Tensor.zeros(b.shape)
        let dbp = db.mutableData
        Parallel.forRanges(g.cout, minChunk: Swift.max(1, 16_384 / Swift.max(1, g.columns))) { r in
            for co in r {
                var acc = SIMD16<Float>()
                for n in 0..<g.n {
                    let row = gp + (n * g.cout + co) * g.pixels
                    forLanes(g.pixels) { j, live in acc += loadLanes(row, j, live: live) }
                }
                dbp[co] = laneSum(acc)
            }
        }
        grads[2] = db
    }
    return grads
}
