// conv2d's forward product W · cols without cols: the GEMM's B slivers (32 output pixels × a
// depth block of rows (c, i, j)) are packed straight from the input. For a stride-1 convolution
// that keeps the image size, output pixel q of row (c, i, j) reads input pixel q + (i − p)·W + (j − p)
// of plane c, so a sliver row is two 16-wide loads at a constant offset, with the lanes whose
// window falls in the padding masked to +0. This skips writing and re-reading the K × pixels
// cols matrix, the largest memory traffic of the forward pass.
//
// The same product serves the input gradient of such a convolution, which is a convolution of
// the upstream gradient with the flipped filters (`inputGradient`).
//
// The arithmetic is `Gemm.fast`'s, step for step: the same packed W slivers, the same micro-kernel,
// depth blocks of `Gemm.depthBlock` stored then added in order, edge tiles through scratch with
// the same single add. Every output element therefore has the bits `Gemm.fast` gives it.

/// The implicit-im2col forward product for one convolution shape; build once per conv2d call.
/// Reference twin: `Reference.conv2dForward` (and `conv2dBackward` for dx, a convolution of G).
struct ConvImplicitGemm {
    let g: ConvGeometry
    /// W packed as `Gemm.packA` lays out A, one block per depth block, each `rowSlivers` slivers.
    private let wPack: UnsafeMutablePointer<Float>
    /// keep[(s·kh + i)·kw + j] for local sliver s: all ones on the lanes (2 × 16) whose
    /// window pixel lies inside the image.
    private let keep: UnsafeMutablePointer<SIMD16<UInt32>>
    private let rowSlivers: Int
    /// Per cols row (c, i, j): where its window starts relative to a sliver's first pixel,
    /// c·H·W + (i − p)·W + (j − p), and its tap's mask index (i·kW + j)·2.
    private let rowOffset: UnsafeMutablePointer<Int>, rowTap: UnsafeMutablePointer<Int>
    /// The smallest and largest `rowOffset`: a sliver reads x from base + lowest to base + highest + 32.
    private let lowest: Int, highest: Int

    /// Whether the shape is one this path handles: stride 1, output the size of the input, and
    /// whole 32-pixel slivers per sample (so a sliver never straddles two samples).
    static func applies(_ g: ConvGeometry) -> Bool {
        g.stride == 1 && g.ho == g.h && g.wo == g.w && g.pixels % Gemm.packCols == 0
    }

    /// Packs W (`w` is [Cout, K] row-major; nil when only `weightGradient` will run) and the lane masks.
    init(_ g: ConvGeometry, w: UnsafePointer<Float>?) {
        precondition(Self.applies(g), "ConvImplicitGemm: unsupported geometry")
        self.g = g
        let mr = Gemm.packRows, kc = Gemm.depthBlock
        rowSlivers = (g.cout + mr - 1) / mr
        let blocks = (g.k + kc - 1) / kc
        wPack = Gemm.alignedFloats(w == nil ? 1 : blocks * rowSlivers * mr * kc)
        if let w {
            for b in 0..<blocks {
                let pc = b * kc
                Gemm.packA(transA: false, a: w, lda: g.k, i0: 0, rows: g.cout, p0: pc, kc: min(kc, g.k - pc),
                           into: wPack + b * rowSlivers * mr * kc)
            }
        }
        let offsets = UnsafeMutablePointer<Int>.allocate(capacity: g.k), taps = UnsafeMutablePointer<Int>.allocate(capacity: g.k)
        var low = Int.max, high = Int.min
        for r in 0..<g.k {
            let c = r / (g.kh * g.kw), i = (r / g.kw) % g.kh, j = r % g.kw
            offsets[r] = c * g.pixels + (i - g.padding) * g.w + (j - g.padding)
            taps[r] = (i * g.kw + j) * 2
            low = min(low, offsets[r])
            high = max(high, offsets[r])
        }
        rowOffset = offsets
        rowTap = taps
        lowest = low
        highest = high
        let slivers = g.pixels / Gemm.packCols
        let count = slivers * g.kh * g.kw * 2
        keep = UnsafeMutablePointer<SIMD16<UInt32>>.allocate(capacity: count)
        for s in 0..<slivers {
            for i in 0..<g.kh {
                for j in 0..<g.kw {
                    for half in 0..<2 {
                        var m = SIMD16<UInt32>()
                        for l in 0..<16 {
                            let q = s * Gemm.packCols + half * 16 + l
                            let y = q / g.w + i - g.padding, x = q % g.w + j - g.padding
                            m[l] = y >= 0 && y < g.h && x >= 0 && x < g.w ? ~0 : 0
                        }
                        keep[((s * g.kh + i) * g.kw + j) * 2 + half] = m
                    }
                }
            }
        }
    }

    /// The input gradient of a convolution `g` as a convolution of its own, or nil where this
    /// path does not apply (then conv2d forms dcols = Wᵀ·G and adds it back with col2im).
    ///
    /// For stride 1 and "same" padding p = (kH − 1)/2, dx[n, c, y, x] = Σ over (co, i, j) of
    /// W[co, c, i, j] · G[n, co, y + p − i, x + p − j]. Writing i' = kH − 1 − i turns that into a
    /// forward convolution of G (Cout channels in) with the filters W'[c, co, i', j'] =
    /// W[co, c, kH − 1 − i', kW − 1 − j'] (Cin channels out) and the same padding, so dx runs
    /// through `forward` (with `bias` nil, which adds +0) instead of writing and re-reading the
    /// K × pixels dcols matrix. Each dx element is then one sum over (co, i', j') in that order.
    /// Only shapes whose per-sample product is above `Gemm.smallWork` take it, so which path
    /// runs depends on the shape alone.
    static func inputGradient(of g: ConvGeometry, w: UnsafePointer<Float>) -> ConvImplicitGemm? {
        guard applies(g), let t = flippedGeometry(g), applies(t), t.cout * t.pixels * t.k > Gemm.smallWork else { return nil }
        let flipped = flippedFilters(g, w)
        defer { flipped.deallocate() }
        return ConvImplicitGemm(t, w: flipped)
    }

    /// Releases the packed weights and masks.
    func release() {
        free(wPack)
        keep.deallocate()
        rowOffset.deallocate()
        rowTap.deallocate()
    }

    /// out[n, co, ·] = Σ_k W[co, k] · cols[k, (n, ·)] + bias[co] for the samples given, on this
    /// thread. `x` is the whole input [N, Cin, H, W] of `count` floats; `out` the whole output.
    func forward(x: UnsafePointer<Float>, count: Int, samples: Range<Int>, bias: UnsafePointer<Float>?,
                 into out: UnsafeMutablePointer<Float>) {
        let mr = Gemm.packRows, nr = Gemm.packCols, kcMax = Gemm.depthBlock
        // Up to 8 slivers (256 pixels) are packed together, so each row of x is read as one
        // run; their 256 KiB stay in L2 while the W slivers pass over them.
        let batch = 8
        let bPack = Gemm.alignedFloats(batch * nr * kcMax), edge = Gemm.alignedFloats(mr * nr)
        defer { free(bPack); free(edge) }
        let slivers = g.pixels / nr
        for n in samples {
            for s0 in stride(from: 0, to: slivers, by: batch) {
                let s1 = min(slivers, s0 + batch)
                for pc in stride(from: 0, to: g.k, by: kcMax) {
                    let kc = min(kcMax, g.k - pc)
                    packSlivers(x: x, count: count, sample: n, slivers: s0..<s1, p0: pc, kc: kc, into: bPack)
                    let aBlock = wPack + (pc / kcMax) * rowSlivers * mr * kcMax
                    let add = pc > 0
                    for s in s0..<s1 {
                        let q0 = s * nr, bs = bPack + (s - s0) * nr * kc
                        for r in 0..<rowSlivers {
                            let r0 = r * mr, live = min(mr, g.cout - r0)
                            Gemm.registerTile(kc: kc, a: aBlock + r * mr * kc, b: bs,
                                              c: out + (n * g.cout + r0) * g.pixels + q0, ldc: g.pixels,
                                              rows: live, cols: nr, add: add, edge: edge)
                        }
                    }
                }
            }
            // The bias (or +0, as conv2d's other path adds) once the sums are complete.
            for co in 0..<g.cout {
                let row = out + (n * g.cout + co) * g.pixels, b = bias?[co] ?? 0
                for q in 0..<g.pixels { row[q] = row[q] + b }
            }
        }
    }

    /// dWᵀ [K, Cout] (+)= cols · Gᵀ for one group of samples, on this thread: what
    /// `Gemm.fast(transA: false, transB: true, m: K, n: Cout, k: width, a: cols, lda: width, b: gt,
    /// ldb: width, c: c, ldc: Cout, accumulate:)` computes, bit for bit, with the A slivers (14 rows
    /// (c, i, j) × a depth block of pixels) packed straight from x. `gt` is G for the group,
    /// [Cout, width] with width = samples·pixels.
    func weightGradient(x: UnsafePointer<Float>, count: Int, samples: Range<Int>, gt: UnsafePointer<Float>,
                        into c: UnsafeMutablePointer<Float>, accumulate: Bool) {
        let mr = Gemm.packRows, nr = Gemm.packCols, kcMax = Gemm.depthBlock
        let width = samples.count * g.pixels
        let bSlivers = (g.cout + nr - 1) / nr, aSlivers = (g.k + mr - 1) / mr
        let bPack = Gemm.alignedFloats(bSlivers * nr * kcMax)
        let aPack = Gemm.alignedFloats(mr * kcMax + 16), rows = Gemm.alignedFloats(16 * 16)
        let edge = Gemm.alignedFloats(mr * nr)
        defer { free(bPack); free(aPack); free(rows); free(edge) }
        for pc in stride(from: 0, to: width, by: kcMax) {
            let kc = min(kcMax, width - pc)
            for s in 0..<bSlivers {
                Gemm.packBTransposedSliver(b: gt, ldb: width, p0: pc, kc: kc, j0: 0, cols: g.cout, sliver: s, into: bPack)
            }
            let add = accumulate || pc > 0
            for r in 0..<aSlivers {
                let r0 = r * mr, live = min(mr, g.k - r0)
                packRowSliver(x: x, count: count, first: samples.lowerBound, row0: r0, live: live, p0: pc, kc: kc,
                              scratch: rows, into: aPack)
                for s in 0..<bSlivers {
                    let j0 = s * nr, cols = min(nr, g.cout - j0)
                    Gemm.registerTile(kc: kc, a: aPack, b: bPack + s * nr * kc, c: c + r0 * g.cout + j0,
                                      ldc: g.cout, rows: live, cols: cols, add: add, edge: edge)
                }
            }
        }
    }

    /// Packs cols rows row0..<row0+live (zeros up to 14), group pixels p0..<p0+kc, as `Gemm.packA`
    /// lays out an A sliver: for each pixel, 14 row values. Sixteen pixels of each row are loaded
    /// (masked) into `scratch`, then turned into sixteen pixels' rows by `transpose16`.
    private func packRowSliver(x: UnsafePointer<Float>, count: Int, first: Int, row0: Int, live: Int, p0: Int,
                               kc: Int, scratch: UnsafeMutablePointer<Float>, into out: UnsafeMutablePointer<Float>) {
        let mr = Gemm.packRows, khw = g.kh * g.kw
        for rr in live..<16 { (scratch + rr * 16).update(repeating: 0, count: 16) }
        // Per row (c, i, j): its offset from a sample's first input float and its mask index.
        var offset = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0), tap = offset
        withUnsafeMutableBytes(of: &offset) { o in
            withUnsafeMutableBytes(of: &tap) { t in
                var c = row0 / khw, i = (row0 % khw) / g.kw, j = row0 % g.kw
                for rr in 0..<live {
                    o.storeBytes(of: c * g.pixels + (i - g.padding) * g.w + (j - g.padding), toByteOffset: rr * 8, as: Int.self)
                    t.storeBytes(of: i * g.kw + j, toByteOffset: rr * 8, as: Int.self)
                    j += 1
                    if j == g.kw { j = 0; i += 1; if i == g.kh { i = 0; c += 1 } }
                }
            }
        }
        for p in stride(from: 0, to: kc, by: 16) {
            let gp = p0 + p, n = first + gp / g.pixels, q = gp % g.pixels
            let sampleStart = n * g.cin * g.pixels + q, maskBase = keep + (q / 32) * khw * 2 + (q % 32) / 16
            withUnsafeBytes(of: &offset) { o in
                withUnsafeBytes(of: &tap) { t in
                    for rr in 0..<live {
                        let start = sampleStart + o.load(fromByteOffset: rr * 8, as: Int.self)
                        let m = maskBase[t.load(fromByteOffset: rr * 8, as: Int.self) * 2]
                        let dst = scratch + rr * 16
                        if start >= 0 && start + 16 <= count {
                            let v = UnsafeRawPointer(x + start).loadUnaligned(as: SIMD16<UInt32>.self) & m
                            UnsafeMutableRawPointer(dst).storeBytes(of: unsafeBitCast(v, to: SIMD16<Float>.self), as: SIMD16<Float>.self)
                        } else {
                            for l in 0..<16 { dst[l] = m[l] != 0 ? x[start + l] : 0 }
                        }
                    }
                }
            }
            var t = transpose16 { r in loadRow(scratch + r * 16) }
            withUnsafeBytes(of: &t) { raw in
                // Row q of the transpose is pixel p + q; its first 14 lanes are the sliver's values.
                // Each 16-wide store spills two lanes that the next one overwrites (`out` has 16
                // floats of room past the sliver for the last).
                for q in 0..<16 {
                    UnsafeMutableRawPointer(out + (p + q) * mr)
                        .storeBytes(of: raw.load(fromByteOffset: q * 64, as: SIMD16<Float>.self), as: SIMD16<Float>.self)
                }
            }
        }
    }

    /// Packs rows p0..<p0+kc of cols, columns (sample, 32 pixels of each sliver), in the layout
    /// `Gemm.packBRows` writes from a materialised cols: sliver s at `dst + (s − first)·32·kc`,
    /// for each depth 32 consecutive floats.
    @inline(__always)
    private func packSlivers(x: UnsafePointer<Float>, count: Int, sample n: Int, slivers: Range<Int>, p0: Int, kc: Int,
                             into dst: UnsafeMutablePointer<Float>) {
        let nr = Gemm.packCols, khw = g.kh * g.kw
        let sampleStart = n * g.cin * g.pixels
        for s in slivers {
            let base = sampleStart + s * nr, masks = keep + s * khw * 2
            let out = dst + (s - slivers.lowerBound) * nr * kc
            if base + lowest >= 0 && base + highest + nr <= count {
                // Every window of this sliver lies inside x: two masked 16-wide copies per row.
                // The arithmetic wraps (&+, &*): offsets are bounded by the check above, and
                // without overflow checks the loop is only loads, ands and stores.
                let src = x + base
                for p in 0..<kc {
                    let from = UnsafeRawPointer(src + rowOffset[p0 &+ p]), m = masks + rowTap[p0 &+ p]
                    let to = UnsafeMutableRawPointer(out + p &* nr)
                    let lo = from.loadUnaligned(as: SIMD16<UInt32>.self) & m[0]
                    let hi = from.loadUnaligned(fromByteOffset: 64, as: SIMD16<UInt32>.self) & m[1]
                    to.storeBytes(of: unsafeBitCast(lo, to: SIMD16<Float>.self), as: SIMD16<Float>.self)
                    to.storeBytes(of: unsafeBitCast(hi, to: SIMD16<Float>.self), toByteOffset: 64, as: SIMD16<Float>.self)
                }
            } else {
                // At the two ends of x the 16-wide loads would leave the buffer; masked lanes are
                // never read.
                for p in 0..<kc {
                    let start = base + rowOffset[p0 + p], m = masks + rowTap[p0 + p], o = out + p * nr
                    for l in 0..<nr { o[l] = m[l / 16][l % 16] != 0 ? x[start + l] : 0 }
                }
            }
        }
    }
}
