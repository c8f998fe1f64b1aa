// The data movement around conv2d's matrix products: im2col (patches into columns) and col2im
// (its adjoint). Neither does arithmetic except col2im's additions, whose per-pixel order is
// fixed, so their results are exact.
//
// The stride-1 paths matter most (every 3×3 "same" convolution): there a row of cols is the input
// plane shifted by a constant offset, so whole planes move in one copy instead of a call per row.

/// Fills cols [K, N·Ho·Wo]: row (c, i, j), column (n, oy, ox) holds x[n, c, oy·s − p + i, ox·s − p + j],
/// or 0 where that falls in the padding. Split over rows; every entry is a plain copy.
/// Reference twin: the window loops of `Reference.conv2dForward` (`ConvShape.source`).
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
            if g.stride == 1 {
                im2colStride1(plane, g, i: i, j: j, into: dst)
            } else {
                for oy in 0..<g.ho {
                    let y = oy * g.stride - g.padding + i, out = dst + oy * g.wo
                    for ox in 0..<g.wo {
                        let xx = ox * g.stride - g.padding + j
                        out[ox] = y >= 0 && y < g.h && xx >= 0 && xx < g.w ? plane[y * g.w + xx] : 0
                    }
                }
            }
            dst += g.pixels
        }
    }
}

/// One sample's Ho·Wo values of row (c, i, j) at stride 1. Output (oy, ox) reads input
/// (oy − p + i, ox − p + j): the valid rows [oyLo, oyHi) and columns [lo, hi) form a rectangle,
/// everything else is padding.
@inline(__always)
private func im2colStride1(_ plane: UnsafePointer<Float>, _ g: ConvGeometry, i: Int, j: Int,
                           into dst: UnsafeMutablePointer<Float>) {
    let p = g.padding, wo = g.wo
    let lo = min(wo, max(0, p - j)), hi = max(lo, min(wo, g.w + p - j))
    let oyLo = min(g.ho, max(0, p - i)), oyHi = max(oyLo, min(g.ho, g.h + p - i))
    if lo == hi || oyLo == oyHi {
        for e in 0..<g.pixels { dst[e] = 0 }
        return
    }
    for e in 0..<(oyLo * wo) { dst[e] = 0 }
    for e in (oyHi * wo)..<g.pixels { dst[e] = 0 }
    if wo == g.w {
        // Output index e reads input index e + shift throughout, so the run from the first valid
        // entry to the last is one copy; the columns it wrapped into are zeroed after.
        let shift = (i - p) * g.w + (j - p)
        let first = oyLo * wo + lo, last = (oyHi - 1) * wo + hi
        (dst + first).update(from: plane + first + shift, count: last - first)
        for oy in oyLo..<oyHi {
            let row = dst + oy * wo
            for ox in 0..<lo { row[ox] = 0 }
            for ox in hi..<wo { row[ox] = 0 }
        }
    } else {
        for oy in oyLo..<oyHi {
            let row = dst + oy * wo, src = plane + (oy - p + i) * g.w + (j - p)
            for ox in 0..<lo { row[ox] = 0 }
            for ox in lo..<hi { row[ox] = src[ox] }
            for ox in hi..<wo { row[ox] = 0 }
        }
    }
}

/// Floats that `col2im(_:ld:_:channel:into:)` may read (and ignore) before the first and after the
/// last entry of its cols buffer, at stride 1: its 16-wide loads run past the image edge.
func col2imSlack(_ g: ConvGeometry) -> Int { ((g.kw + g.w + g.padding + 32) + 15) / 16 * 16 }

/// im2col's adjoint: adds every entry of cols back onto the input pixel it was copied from.
/// Split over samples, since a sample's planes receive only its own columns; each pixel sums its
/// entries in (i, j) order, starting from 0.
/// Reference twin: the dx scatter of `Reference.conv2dBackward`.
func col2im(_ cols: UnsafePointer<Float>, _ g: ConvGeometry, into dx: UnsafeMutablePointer<Float>) {
    // A copy with the slack the 16-wide loads need around it.
    let slack = col2imSlack(g), count = g.k * g.columns
    let padded = Gemm.alignedFloats(count + 2 * slack)
    defer { free(padded) }
    padded.update(repeating: 0, count: count + 2 * slack)
    (padded + slack).update(from: cols, count: count)
    Parallel.forRanges(g.n) { samples in
        for n in samples {
            col2im(padded + slack + n * g.pixels, ld: g.columns, g, channels: 0..<g.cin,
                   into: dx + n * g.cin * g.h * g.w)
        }
    }
}

/// col2im for some channel planes of one sample: `cols` points at the sample's first column,
/// rows are `ld` apart, `planes` at the plane of channel `channels.lowerBound`. Overwrites the
/// planes with the sums. At stride 1 the buffer must be readable `col2imSlack(g)` floats beyond
/// both ends (the values there are never used).
///
/// Stride 1 gathers: each run of 16 pixels of an input row keeps its sum in a register and adds,
/// for i then j, the 16 entries that land on it (masked to +0 where a window misses). Every
/// pixel's running sum starts at +0 and so is never −0, so adding a masked +0 changes no bit:
/// the result equals the scatter order (i, j, oy, ox) of the definition exactly.
func col2im(_ cols: UnsafePointer<Float>, ld: Int, _ g: ConvGeometry, channels: Range<Int>,
            into planes: UnsafeMutablePointer<Float>) {
    typealias V = SIMD16<Float>
    if g.stride == 1 {
        let p = g.padding
        let chunks = (g.w + 15) / 16
        withUnsafeTemporaryAllocation(of: SIMD16<UInt32>.self, capacity: g.kw * chunks) { keep in
            // keep[chunk·kw + j]: all ones on the lanes whose window column x + p − j lies in [0, Wo).
            for chunk in 0..<chunks {
                for j in 0..<g.kw {
                    var m = SIMD16<UInt32>()
                    for l in 0..<16 {
                        let ox = chunk * 16 + l + p - j
                        m[l] = ox >= 0 && ox < g.wo ? ~0 : 0
                    }
                    keep[chunk * g.kw + j] = m
                }
            }
            for c in channels {
                let plane = planes + (c - channels.lowerBound) * g.h * g.w
                for chunk in 0..<chunks {
                    let x0 = chunk * 16, mask = keep.baseAddress! + chunk * g.kw
                    for y in 0..<g.h {
                        var acc = V()
                        for i in 0..<g.kh {
                            let oy = y + p - i
                            guard oy >= 0 && oy < g.ho else { continue }
                            let row = cols + (c * g.kh + i) * g.kw * ld + oy * g.wo + x0 + p
                            for j in 0..<g.kw {
                                let bits = UnsafeRawPointer(row + j * ld - j).loadUnaligned(as: SIMD16<UInt32>.self) & mask[j]
                                acc += unsafeBitCast(bits, to: V.self)
                            }
                        }
                        let dst = plane + y * g.w + x0
                        if x0 + 16 <= g.w {
                            UnsafeMutableRawPointer(dst).storeBytes(of: acc, as: V.self)
                        } else {
                            for l in 0..<(g.w - x0) { dst[l] = acc[l] }
                        }
                    }
                }
            }
        }
        return
    }
    for c in channels {
        col2imStrided(cols, ld: ld, g, channel: c, into: planes + (c - channels.lowerBound) * g.h * g.w)
    }
}

/// col2im of one plane at stride > 1, scattering in the definition's (i, j, oy, ox) order.
private func col2imStrided(_ cols: UnsafePointer<Float>, ld: Int, _ g: ConvGeometry, channel c: Int,
                           into plane: UnsafeMutablePointer<Float>) {
    plane.update(repeating: 0, count: g.h * g.w)
    for i in 0..<g.kh {
        for j in 0..<g.kw {
            let src = cols + ((c * g.kh + i) * g.kw + j) * ld
            for oy in 0..<g.ho {
                let y = oy * g.stride - g.padding + i
                guard y >= 0 && y < g.h else { continue }
                for ox in 0..<g.wo {
                    let xx = ox * g.stride - g.padding + j
                    if xx >= 0 && xx < g.w { plane[y * g.w + xx] += src[oy * g.wo + ox] }
                }
            }
        }
    }
}
