// The tile transforms of Winograd's F(2×2, 3×3) (see ConvWinograd.swift for the algorithm and
// the matrices Bᵀ, G and Aᵀ), on sixteen tiles per SIMD16 vector: the input transform V = Bᵀ d B,
// the output transform Y = Aᵀ M A, and, for the weight gradient, the output transform's adjoint
// dM = A dY Aᵀ.
//
// A tile grid of whole vectors is assumed (ConvWinograd.applies): widths a multiple of 16, even
// heights, a multiple of 32 tiles per image. Sixteen consecutive tiles are then two halves of
// eight, each within one tile row, and each half covers 16 pixel columns.

/// The 2×2 output tiles of one convolution shape, and the transforms between pixels and tiles.
/// Reference twin (of the whole Winograd convolution): `Reference.conv2dForward`/`conv2dBackward`.
struct WinogradTileGrid {
    let g: ConvGeometry
    /// Tiles per column and per row of an output plane, and per image.
    let tilesH: Int, tilesW: Int, tilesPerImage: Int

    init(_ g: ConvGeometry) {
        self.g = g
        tilesH = g.h / 2
        tilesW = g.w / 2
        tilesPerImage = tilesH * tilesW
    }

    /// Where the transformed values of channel c at chunk tile t go, for each position ξ (at
    /// ξ·stride from there): `packedB` is the GEMM's packed B layout with K = channels and N =
    /// tiles, (t / 32)·32·channels + c·32 + t mod 32; `rows(n)` is row-major [channels × n],
    /// c·n + t, a plain matrix for `Gemm.fast`.
    enum Layout {
        case packedB
        case rows(Int)
    }

    /// Tile j of the grid as (row, column).
    @inline(__always)
    func tile(_ j: Int) -> (ty: Int, tx: Int) { (j / tilesW, j % tilesW) }

    /// V = Bᵀ d B for every tile of one input plane, channel c: position ξ of chunk tile t (the
    /// plane's tile j is chunk tile firstTile + j) goes to v[ξ·stride + where], `where` as `layout` says.
    ///
    /// Tile (ty, tx) reads rows 2ty − 1 ... 2ty + 2 and columns 2tx − 1 ... 2tx + 2 of the plane,
    /// zero outside it (the padding). Sixteen consecutive tiles are one vector, in two halves of
    /// eight that each read 16 columns of one row. B is applied across each input row first, with
    /// the even and odd columns split apart (tile tx's four columns are odd[tx − 1], even[tx],
    /// odd[tx], even[tx + 1]; the neighbours past a half's ends are single loads), then Bᵀ down
    /// the four rows.
    func transformInput(_ plane: UnsafePointer<Float>, firstTile: Int, channel c: Int,
                        into v: UnsafeMutablePointer<Float>, stride: Int, layout: Layout) {
        typealias V = SIMD16<Float>
        typealias Row = (V, V, V, V)
        let nr = Gemm.packCols
        // Chunk tile t of channel c is at (t / 32)·group + c·channel + t mod 32.
        let group: Int, channel: Int
        switch layout {
        case .packedB: (group, channel) = (nr * g.cin, nr)
        case .rows(let n): (group, channel) = (nr, n)
        }
        var j = 0
        while j < tilesPerImage {
            let (ty0, tx0) = tile(j), (ty1, tx1) = tile(j + 8)
            /// B across input row r of each half's tiles: zeros for a row outside the plane.
            @inline(__always) func across(_ r: Int) -> Row {
                let y0 = 2 * ty0 - 1 + r, y1 = 2 * ty1 - 1 + r
                let inside0 = y0 >= 0 && y0 < g.h, inside1 = y1 >= 0 && y1 < g.h
                let p0 = plane + y0 * g.w + 2 * tx0, p1 = plane + y1 * g.w + 2 * tx1
                let lo = inside0 ? loadRow(p0) : V(), hi = inside1 ? loadRow(p1) : V()
                let before0: Float = inside0 && tx0 > 0 ? p0[-1] : 0, before1: Float = inside1 && tx1 > 0 ? p1[-1] : 0
                let after0: Float = inside0 && 2 * tx0 + 16 < g.w ? p0[16] : 0
                let after1: Float = inside1 && 2 * tx1 + 16 < g.w ? p1[16] : 0
                let even = alternateLanes(lo, hi, from: 0), odd = alternateLanes(lo, hi, from: 1)
                let c0 = shiftedUp(odd, before0, before1), c3 = shiftedDown(even, after0, after1)
                return (c0 - odd, even + odd, odd - even, even - c3)
            }
            let r0 = across(0), r1 = across(1), r2 = across(2), r3 = across(3)
            let t = firstTile + j, at = v + (t / nr) * group + c * channel + t % nr
            @inline(__always) func put(_ x: V, _ xi: Int) { storeRow(x, at + xi * stride) }
            // Bᵀ down the rows (r0, r1, r2, r3): r0 − r2, r1 + r2, r2 − r1, r1 − r3, per column q.
            put(r0.0 - r2.0, 0); put(r0.1 - r2.1, 1); put(r0.2 - r2.2, 2); put(r0.3 - r2.3, 3)
            put(r1.0 + r2.0, 4); put(r1.1 + r2.1, 5); put(r1.2 + r2.2, 6); put(r1.3 + r2.3, 7)
            put(r2.0 - r1.0, 8); put(r2.1 - r1.1, 9); put(r2.2 - r1.2, 10); put(r2.3 - r1.3, 11)
            put(r1.0 - r3.0, 12); put(r1.1 - r3.1, 13); put(r1.2 - r3.2, 14); put(r1.3 - r3.3, 15)
            j += 16
        }
    }

    /// Y = Aᵀ M A (+ bias) for the tiles of one output plane: position ξ of tile j is at
    /// m[ξ·stride + j]. Sixteen tiles at a time; each half's two output rows are its tiles' two
    /// columns interleaved, 16 consecutive pixels.
    func transformOutput(_ m: UnsafePointer<Float>, stride: Int, bias: Float,
                                 into plane: UnsafeMutablePointer<Float>) {
        typealias V = SIMD16<Float>
        let b = V(repeating: bias)
        var j = 0
        while j < tilesPerImage {
            @inline(__always) func at(_ xi: Int) -> V { loadRow(m + xi * stride + j) }
            // Aᵀ down each column q: p0q = m0q + m1q + m2q, p1q = m1q − m2q − m3q (m_rq at ξ = 4r + q).
            let p00 = at(0) + at(4) + at(8), p10 = at(4) - at(8) - at(12)
            let p01 = at(1) + at(5) + at(9), p11 = at(5) - at(9) - at(13)
            let p02 = at(2) + at(6) + at(10), p12 = at(6) - at(10) - at(14)
            let p03 = at(3) + at(7) + at(11), p13 = at(7) - at(11) - at(15)
            // Then A across each row: y·0 = p·0 + p·1 + p·2, y·1 = p·1 − p·2 − p·3.
            let y00 = p00 + p01 + p02 + b, y01 = p01 - p02 - p03 + b
            let y10 = p10 + p11 + p12 + b, y11 = p11 - p12 - p13 + b
            let (ty0, tx0) = tile(j), (ty1, tx1) = tile(j + 8)
            let q0 = plane + 2 * ty0 * g.w + 2 * tx0, q1 = plane + 2 * ty1 * g.w + 2 * tx1
            storeInterleaved(y00, y01, y10, y11, rows: q0, q1, width: g.w)
            j += 16
        }
    }

    /// dM = A dY Aᵀ, the adjoint of `transformOutput`, for every tile of one plane of dY (the
    /// upstream gradient of an output plane), channel co: position ξ of chunk tile t goes to
    /// dm[ξ·stride + co·n + t], rows of n tiles.
    ///
    /// For a tile dY = [a b; c d], A·dY has rows (a, b), (a + c, b + d), (a − c, b − d), (−c, −d),
    /// and each row (s, t) times Aᵀ is (s, s + t, s − t, −t). Sixteen tiles at a time: each half's
    /// two pixel rows are split back into its tiles' left and right columns.
    func transformOutputAdjoint(_ plane: UnsafePointer<Float>, firstTile: Int, channel co: Int,
                                into dm: UnsafeMutablePointer<Float>, stride: Int, rows n: Int) {
        typealias V = SIMD16<Float>
        var j = 0
        while j < tilesPerImage {
            let (ty0, tx0) = tile(j), (ty1, tx1) = tile(j + 8)
            let q0 = plane + 2 * ty0 * g.w + 2 * tx0, q1 = plane + 2 * ty1 * g.w + 2 * tx1
            let top0 = loadRow(q0), top1 = loadRow(q1), bottom0 = loadRow(q0 + g.w), bottom1 = loadRow(q1 + g.w)
            let a = alternateLanes(top0, top1, from: 0), b = alternateLanes(top0, top1, from: 1)
            let c = alternateLanes(bottom0, bottom1, from: 0), d = alternateLanes(bottom0, bottom1, from: 1)
            let at = dm + co * n + firstTile + j
            @inline(__always) func row(_ r: Int, _ s: V, _ t: V) {
                storeRow(s, at + (4 * r) * stride)
                storeRow(s + t, at + (4 * r + 1) * stride)
                storeRow(s - t, at + (4 * r + 2) * stride)
                storeRow(-t, at + (4 * r + 3) * stride)
            }
            row(0, a, b)
            row(1, a + c, b + d)
            row(2, a - c, b - d)
            row(3, -c, -d)
            j += 16
        }
    }
}

/// Writes the two output rows of sixteen tiles: the left (y·0) and right (y·1) pixels of each
/// half's eight tiles interleaved, half 0 at `q0`, half 8 at `q1`, the second row `width` below.
///
/// Out of line on purpose. Inlined, the optimiser sees each lane of y used once, by the
/// interleave, and splits the whole output transform into lanes; it then regroups them in
/// output order with a gather for every pair of M values (20 gathers per 16 tiles). Behind a
/// call the interleave is four permutes of whole vectors, and the transform runs 1.8× faster.
@inline(never)
private func storeInterleaved(_ y00: SIMD16<Float>, _ y01: SIMD16<Float>, _ y10: SIMD16<Float>, _ y11: SIMD16<Float>,
                              rows q0: UnsafeMutablePointer<Float>, _ q1: UnsafeMutablePointer<Float>, width: Int) {
    storeRow(interleavedLanes(y00, y01, half: 0), q0)
    storeRow(interleavedLanes(y10, y11, half: 0), q0 + width)
    storeRow(interleavedLanes(y00, y01, half: 8), q1)
    storeRow(interleavedLanes(y10, y11, half: 8), q1 + width)
}

/// Writes sixteen floats to any address.
@inline(__always)
private func storeRow(_ v: SIMD16<Float>, _ p: UnsafeMutablePointer<Float>) {
    UnsafeMutableRawPointer(p).storeBytes(of: v, as: SIMD16<Float>.self)
}

/// `first` x₀ … x₆ `middle` x₈ … x₁₄: each half's lanes moved up by one.
@inline(__always)
private func shiftedUp(_ x: SIMD16<Float>, _ first: Float, _ middle: Float) -> SIMD16<Float> {
    SIMD16<Float>(first, x[0], x[1], x[2], x[3], x[4], x[5], x[6], middle, x[8], x[9], x[10], x[11], x[12], x[13], x[14])
}

/// x₁ … x₇ `middle` x₉ … x₁₅ `last`: each half's lanes moved down by one.
@inline(__always)
private func shiftedDown(_ x: SIMD16<Float>, _ middle: Float, _ last: Float) -> SIMD16<Float> {
    SIMD16<Float>(x[1], x[2], x[3], x[4], x[5], x[6], x[7], middle, x[9], x[10], x[11], x[12], x[13], x[14], x[15], last)
}
