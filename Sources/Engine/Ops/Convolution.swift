/// 2-D convolution as im2col + GEMM, with its backward rule beside it.
///
/// Every output pixel is a dot product of one filter with one Cin×kH×kW patch of the input. im2col
/// copies each patch into a column of a matrix, so the convolution of the whole batch becomes a
/// single matrix product W[Cout, K] · cols[K, N·Ho·Wo] with K = Cin·kH·kW, and the backward rule
/// becomes two more: dW = G·colsᵀ and dcols = Wᵀ·G, followed by col2im (im2col's adjoint) for dx.
/// Building cols for the whole batch makes dW one GEMM whose sum over samples runs in a fixed order.

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
        for r in rows {
            let c = r / (g.kh * g.kw), i = (r / g.kw) % g.kh, j = r % g.kw
            var dst = cols + r * g.columns
            for n in 0..<g.n {
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
}

/// im2col's adjoint: adds every entry of cols back onto the input pixel it was copied from.
/// Split over (sample, channel) planes, since a plane receives only its own rows and columns; within
/// a plane the additions run in the fixed order (i, j, oy, ox).
func col2im(_ cols: UnsafePointer<Float>, _ g: ConvGeometry, into dx: UnsafeMutablePointer<Float>) {
    Parallel.forRanges(g.n * g.cin) { planes in
        for nc in planes {
            let n = nc / g.cin, c = nc % g.cin
            let plane = dx + nc * g.h * g.w
            plane.update(repeating: 0, count: g.h * g.w)
            for i in 0..<g.kh {
                for j in 0..<g.kw {
                    let src = cols + ((c * g.kh + i) * g.kw + j) * g.columns + n * g.pixels
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
    }
}

/// 2-D cross-correlation (what deep learning calls convolution), PyTorch's layout and semantics.
///
/// x [N, Cin, H, W], w [Cout, Cin, kH, kW], b [Cout] or nil → [N, Cout, Ho, Wo] with
/// Ho = (H + 2·padding − kH) / stride + 1 (rounded down; rows past the last full window are unused),
/// and zero padding on all four sides.
public func conv2d(_ x: Tensor, _ w: Tensor, _ b: Tensor?, stride: Int = 1, padding: Int = 0) -> Tensor {
    let g = ConvGeometry(x: x.shape, w: w.shape, stride: stride, padding: padding)
    if let b { precondition(b.shape == [g.cout], "conv2d: bias \(b.shape), expected [\(g.cout)]") }

    let cols = Tensor.empty([g.k, g.columns])
    im2col(x.data, g, into: cols.data)
    let product = Tensor.empty([g.cout, g.columns])
    Gemm.multiply(transA: false, transB: false, m: g.cout, n: g.columns, k: g.k, a: w.data, lda: g.k,
                  b: cols.data, ldb: g.columns, c: product.data, ldc: g.columns, accumulate: false)
    // The product is [Cout, N, Ho·Wo]; the output wants [N, Cout, Ho·Wo]. Move it, adding the bias.
    let out = Tensor.empty([g.n, g.cout, g.ho, g.wo])
    let pp = product.data, op = out.data, bp = b?.data
    Parallel.forRanges(g.n * g.cout, minChunk: Swift.max(1, 16_384 / Swift.max(1, g.pixels))) { r in
        for nc in r {
            let n = nc / g.cout, co = nc % g.cout
            let src = pp + co * g.columns + n * g.pixels, dst = op + nc * g.pixels
            let bias = bp?[co] ?? 0
            for p in 0..<g.pixels { dst[p] = src[p] + bias }
        }
    }

    let inputs = b.map { [x, w, $0] } ?? [x, w]
    return Tensor.record(out, inputs) { gr in
        // G in the forward product's layout [Cout, N·Ho·Wo], so each rule is one GEMM.
        let gt = Tensor.empty([g.cout, g.columns])
        let gp = gr.data, gtp = gt.data
        Parallel.forRanges(g.n * g.cout, minChunk: Swift.max(1, 16_384 / Swift.max(1, g.pixels))) { r in
            for nc in r {
                let n = nc / g.cout, co = nc % g.cout
                (gtp + co * g.columns + n * g.pixels).update(from: gp + nc * g.pixels, count: g.pixels)
            }
        }
        var grads: [Tensor?] = [nil, nil, nil]
        if w.requiresGrad {
            // cols is rebuilt rather than kept from the forward pass: it is kH·kW times the size of x,
            // and a deep network would otherwise hold one per layer until backward.
            let cols = Tensor.empty([g.k, g.columns])
            im2col(x.data, g, into: cols.data)
            let dw = Tensor.empty(w.shape)
            // dW = G·colsᵀ: each entry sums over samples and pixels in order, inside one GEMM.
            Gemm.multiply(transA: false, transB: true, m: g.cout, n: g.k, k: g.columns, a: gtp, lda: g.columns,
                          b: cols.data, ldb: g.columns, c: dw.data, ldc: g.k, accumulate: false)
            grads[1] = dw
        }
        if x.requiresGrad {
            let dcols = Tensor.empty([g.k, g.columns])
            Gemm.multiply(transA: true, transB: false, m: g.k, n: g.columns, k: g.cout, a: w.data, lda: g.k,
                          b: gtp, ldb: g.columns, c: dcols.data, ldc: g.columns, accumulate: false)
            let dx = Tensor.empty(x.shape)
            col2im(dcols.data, g, into: dx.data)
            grads[0] = dx
        }
        if let b, b.requiresGrad {
            // db = Σ over n, h, w: a row sum of G's [Cout, N·Ho·Wo] layout, split over channels.
            let db = Tensor.zeros(b.shape)
            let dbp = db.data
            Parallel.forRanges(g.cout, minChunk: Swift.max(1, 16_384 / Swift.max(1, g.columns))) { r in
                for co in r {
                    let row = gtp + co * g.columns
                    var s: Float = 0
                    for p in 0..<g.columns { s += row[p] }
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
