#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// 2-D convolution as im2col + GEMM, with its backward rule beside it.
///
/// Every output pixel is a dot product of one filter with one Cin×kH×kW patch of the input. im2col
/// copies each patch into a column of a matrix, so the convolution of the whole batch becomes a
/// single matrix product W[Cout, K] · cols[K, N·Ho·Wo] with K = Cin·kH·kW, and the backward rule
/// becomes two more: dW = G·colsᵀ and dcols = Wᵀ·G, followed by col2im (im2col's adjoint) for dx.
/// The kernels below compute exactly these products, but a group of samples at a time, so cols
/// never exists for the whole batch (it is kH·kW times the size of x and would not stay in cache);
/// dW's sum over samples then runs over groups and chunks whose sizes depend only on the shape.

/// The sizes of one convolution, shared by forward, backward and the reference.
struct ConvGeometry {
    let n: Int, cin: Int, h: Int, w: Int
    let cout: Int, kh: Int, kw: Int
    let stride: Int, padding: Int
    let ho: Int, wo: Int

    /// Validates x [N, Cin, H, W] against w [Cout, Cin, kH, kW] and derives the output size.
    init(x: [Int], w: [Int], stride: Int, padding: Int) {
        precondition(x.count == 4, "conv2d: input must be [N, Cin, H, W], got \(x)")
        precondition(w.count == 4, "conv2d: weight must be [Cout, Cin, kH, kW], got \(w)")
        precondition(x[1] == w[1], "conv2d: input has \(x[1]) channels but weight \(w) expects \(w[1])")
        precondition(stride >= 1, "conv2d: stride must be ≥ 1, got \(stride)")
        precondition(padding >= 0, "conv2d: padding must be ≥ 0, got \(padding)")
        precondition(w[2] >= 1 && w[3] >= 1, "conv2d: empty kernel \(w)")
        precondition(x[2] + 2 * padding >= w[2] && x[3] + 2 * padding >= w[3],
                     "conv2d: kernel \(w[2])×\(w[3]) is larger than the padded input \(x[2])×\(x[3]) (padding \(padding))")
        n = x[0]; cin = x[1]; h = x[2]; self.w = x[3]
        cout = w[0]; kh = w[2]; kw = w[3]
        self.stride = stride; self.padding = padding
        ho = (h + 2 * padding - kh) / stride + 1
        wo = (x[3] + 2 * padding - kw) / stride + 1
    }

    /// Length of each output's dot product: the rows of cols.
    var k: Int { cin * kh * kw }
    /// Output pixels per sample and channel.
    var pixels: Int { ho * wo }
    /// Columns of cols: one per output pixel of the whole batch.
    var columns: Int { n * ho * wo }
}

/// Fills cols [K, N·Ho·Wo]: row (c, i, j), column (n, oy, ox) holds x[n, c, oy·s − p + i, ox·s − p + j],
/// or 0 where that falls in the padding. Split over rows; every entry is a plain copy.
func im2col(_ x: UnsafePointer<Float>, _ g: ConvGeometry, into cols: UnsafeMutablePointer<Float>) {
    Parallel.forRanges(g.k, minChunk: Swift.max(1, 16_384 / Swift.max(1, g.columns))) { rows in
        im2col(x, g, samples: 0..<g.n, rows: rows, into: cols, ld: g.columns)
    }
}

/// im2col restricted to some rows and a run of samples, on this thread: row r of `cols` (stride
/// `ld`) gets, for each sample of `samples` in turn, that sample's Ho·Wo window values.
func im2col(_ x: UnsafePointer<Float>, _ g: ConvGeometry, samples: Range<Int>, rows: Range<Int>,
            into cols: UnsafeMutablePointer<Float>, ld: Int) {
    for r in rows {
        let c = r / (g.kh * g.kw), i = (r / g.kw) % g.kh, j = r % g.kw
        var dst = cols + r * ld
        for n in samples {
            let plane = x + (n * g.cin + c) * g.h * g.w
            for oy in 0..<g.ho {
                let y = oy * g.stride - g.padding + i
                if y < 0 || y >= g.h {
                    dst.update(repeating: 0, count: g.wo)
                } else {
                    let row = plane + y * g.w
                    if g.stride == 1 {
                        // Window columns inside the image form one run [lo, hi): zeros, copy, zeros.
                        let lo = min(g.wo, max(0, g.padding - j)), hi = max(lo, min(g.wo, g.w + g.padding - j))
                        dst.update(repeating: 0, count: lo)
                        (dst + lo).update(from: row + (lo - g.padding + j), count: hi - lo)
                        (dst + hi).update(repeating: 0, count: g.wo - hi)
                    } else {
                        for ox in 0..<g.wo {
                            let xx = ox * g.stride - g.padding + j
                            dst[ox] = xx >= 0 && xx < g.w ? row[xx] : 0
                        }
                    }
                }
                dst += g.wo
            }
        }
    }
}

/// im2col's adjoint: adds every entry of cols back onto the input pixel it was copied from.
/// Split over (sample, channel) planes, since a plane receives only its own rows and columns; within
/// a plane the additions run in the fixed order (i, j, oy, ox).
func col2im(_ cols: UnsafePointer<Float>, _ g: ConvGeometry, into dx: UnsafeMutablePointer<Float>) {
    Parallel.forRanges(g.n * g.cin) { planes in
        for nc in planes {
            let n = nc / g.cin, c = nc % g.cin
            col2im(cols + n * g.pixels, ld: g.columns, g, channel: c, into: dx + nc * g.h * g.w)
        }
    }
}

/// col2im for one (sample, channel) plane: `cols` points at the sample's first column, rows are
/// `ld` apart. Overwrites the plane with the sum, in (i, j, oy, ox) order.
func col2im(_ cols: UnsafePointer<Float>, ld: Int, _ g: ConvGeometry, channel c: Int,
            into plane: UnsafeMutablePointer<Float>) {
    plane.update(repeating: 0, count: g.h * g.w)
    for i in 0..<g.kh {
        for j in 0..<g.kw {
            let src = cols + ((c * g.kh + i) * g.kw + j) * ld
            for oy in 0..<g.ho {
                let y = oy * g.stride - g.padding + i
                guard y >= 0 && y < g.h else { continue }
                if g.stride == 1 {
                    // The same additions as below, over the run of ox that lands inside
                    // the image; each pixel gets at most one of them, so order is unchanged.
                    let lo = min(g.wo, max(0, g.padding - j)), hi = max(lo, min(g.wo, g.w + g.padding - j))
                    let d = plane + y * g.w - g.padding + j, s = src + oy * g.wo
                    for ox in lo..<hi { d[ox] += s[ox] }
                } else {
                    for ox in 0..<g.wo {
                        let xx = ox * g.stride - g.padding + j
                        if xx >= 0 && xx < g.w { plane[y * g.w + xx] += src[oy * g.wo + ox] }
                    }
                }
            }
        }
    }
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

/// 2-D cross-correlation (what deep learning calls convolution), PyTorch's layout and semantics.
///
/// x [N, Cin, H, W], w [Cout, Cin, kH, kW], b [Cout] or nil → [N, Cout, Ho, Wo] with
/// Ho = (H + 2·padding − kH) / stride + 1 (rounded down; rows past the last full window are unused),
/// and zero padding on all four sides.
///
/// The batch runs in groups of whole samples (`ConvBlocking`), each group one im2col and one GEMM
/// on buffers that stay in cache, in parallel over groups; `im2col`/`col2im` above define the
/// layout and the whole-batch formulas in this file's header are what each group computes a slice of.
public func conv2d(_ x: Tensor, _ w: Tensor, _ b: Tensor?, stride: Int = 1, padding: Int = 0) -> Tensor {
    let g = ConvGeometry(x: x.shape, w: w.shape, stride: stride, padding: padding)
    if let b { precondition(b.shape == [g.cout], "conv2d: bias \(b.shape), expected [\(g.cout)]") }
    let blocks = ConvBlocking(g)
    let widest = blocks.samples * g.pixels

    let out = Tensor.empty([g.n, g.cout, g.ho, g.wo])
    let xp = x.data, wp = w.data, op = out.data, bp = b?.data
    convTasks(blocks.groups) { tasks, inner in
        let cols = Gemm.alignedFloats(g.k * widest), product = Gemm.alignedFloats(g.cout * widest)
        defer { free(cols); free(product) }
        for t in tasks {
            let samples = blocks.range(t, of: g), width = samples.count * g.pixels
            im2col(xp, g, samples: samples, rows: 0..<g.k, into: cols, ld: width)
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

    let inputs = b.map { [x, w, $0] } ?? [x, w]
    return Tensor.record(out, inputs) { gr in
        let gp = gr.data
        var grads: [Tensor?] = [nil, nil, nil]
        let needW = w.requiresGrad, needX = x.requiresGrad
        if needW || needX {
            // One partial dW per chunk, [chunks, Cout, K]; dx planes are written directly.
            let partial = needW ? Gemm.alignedFloats(blocks.chunks * g.cout * g.k) : nil
            defer { if let partial { free(partial) } }
            let dx = needX ? Tensor.empty(x.shape) : nil
            let dxp = dx?.data
            convTasks(blocks.chunks) { tasks, inner in
                let threads = inner ? nil : 1
                // G for one group in the forward product's layout [Cout, samples·Ho·Wo].
                let gt = Gemm.alignedFloats(g.cout * widest)
                let cols = Gemm.alignedFloats(g.k * widest)
                defer { free(gt); free(cols) }
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
                            im2col(xp, g, samples: samples, rows: 0..<g.k, into: cols, ld: width)
                            Gemm.fast(transA: false, transB: true, m: g.cout, n: g.k, k: width, a: gt, lda: width,
                                      b: cols, ldb: width, c: partial + chunk * g.cout * g.k, ldc: g.k,
                                      accumulate: t != blocks.groups(ofChunk: chunk).lowerBound, threads: threads)
                        }
                        if let dxp {
                            // dcols = Wᵀ·G (reusing the cols buffer), then col2im per plane.
                            Gemm.fast(transA: true, transB: false, m: g.k, n: width, k: g.cout, a: wp, lda: g.k,
                                      b: gt, ldb: width, c: cols, ldc: width, accumulate: false, threads: threads)
                            for n in samples {
                                for c in 0..<g.cin {
                                    col2im(cols + (n - samples.lowerBound) * g.pixels, ld: width, g, channel: c,
                                           into: dxp + (n * g.cin + c) * g.h * g.w)
                                }
                            }
                        }
                    }
                }
            }
            if let partial {
                let dw = Tensor.empty(w.shape)
                let dwp = dw.data, size = g.cout * g.k, chunks = blocks.chunks
                Parallel.forRanges(size, minChunk: 16_384) { r in
                    for e in r {
                        var s: Float = 0
                        for c in 0..<chunks { s += partial[c * size + e] }
                        dwp[e] = s
                    }
                }
                grads[1] = dw
            }
            grads[0] = dx
        }
        if let b, b.requiresGrad {
            // db = Σ over n, then pixels, per channel, in that order; split over channels.
            let db = Tensor.zeros(b.shape)
            let dbp = db.data
            Parallel.forRanges(g.cout, minChunk: Swift.max(1, 16_384 / Swift.max(1, g.columns))) { r in
                for co in r {
                    var s: Float = 0
                    for n in 0..<g.n {
                        let row = gp + (n * g.cout + co) * g.pixels
                        for p in 0..<g.pixels { s += row[p] }
                    }
                    dbp[co] = s
                }
            }
            grads[2] = db
        }
        return Array(grads.prefix(inputs.count))
    }
}

/// The convolution as the textbook's six nested loops, accumulated in Double: a near-exact,
/// obviously correct reference for tests (forward only, no graph).
func conv2dReference(_ x: Tensor, _ w: Tensor, _ b: Tensor?, stride: Int = 1, padding: Int = 0) -> Tensor {
    let g = ConvGeometry(x: x.shape, w: w.shape, stride: stride, padding: padding)
    let out = Tensor.zeros([g.n, g.cout, g.ho, g.wo])
    for n in 0..<g.n {
        for co in 0..<g.cout {
            for oy in 0..<g.ho {
                for ox in 0..<g.wo {
                    var s = Double(b?.data[co] ?? 0)
                    for c in 0..<g.cin {
                        for i in 0..<g.kh {
                            for j in 0..<g.kw {
                                let y = oy * stride - padding + i, xx = ox * stride - padding + j
                                guard y >= 0 && y < g.h && xx >= 0 && xx < g.w else { continue }
                                let xv = x.data[((n * g.cin + c) * g.h + y) * g.w + xx]
                                let wv = w.data[((co * g.cin + c) * g.kh + i) * g.kw + j]
                                s += Double(xv) * Double(wv)
                            }
                        }
                    }
                    out.data[((n * g.cout + co) * g.ho + oy) * g.wo + ox] = Float(s)
                }
            }
        }
    }
    return out
}
