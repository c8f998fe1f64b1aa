// Packing: copy the blocks the micro-kernel reads into the exact order it reads them, so its
// inner loop walks two contiguous, aligned streams whatever the layout of A and B. (Row-major
// operands with short rows skip this and are read where they are stored; see GemmFast.swift.)
// Index arithmetic in the copy loops wraps (&*, &+): the offsets are bounded by the buffer sizes,
// and without overflow checks the loops vectorise.

extension Gemm {
    /// Live rows (A) or columns (B) from which an edge sliver that needs a transpose goes through
    /// `transpose16` like a full one; thinner ones are copied value by value.
    static let minTransposedRows = 4

    /// Copies op(A) rows `i0..<i0+rows`, depth `p0..<p0+kc` into slivers of `packRows` rows.
    ///
    /// Sliver s holds, for each p, the `packRows` values op(A)[i0+s·packRows+r, p0+p]; rows past
    /// the matrix are zeros, so an edge tile runs the same kernel (its extra rows are discarded).
    static func packA(transA: Bool, a: UnsafePointer<Float>, lda: Int, i0: Int, rows: Int,
                      p0: Int, kc: Int, into dst: UnsafeMutablePointer<Float>) {
        if transA {
            packATransposed(a: a, lda: lda, i0: i0, rows: rows, p0: p0, kc: kc, into: dst)
            return
        }
        let mr = packRows
        var s = 0
        while s * mr < rows {
            let r0 = s * mr, live = min(mr, rows - r0)
            let out = dst + s * mr * kc
            // op(A)[i, p] = a[i·lda + p]: a transpose. Blocks of 16 depths go through
            // registers (`transpose16`), dead rows of an edge sliver as zeros; the rest is copied
            // one value at a time. (An edge sliver of 4 or more rows copied value by value
            // compiled to scatters: packing a 64-row operand took 1.5× as long.)
            var p = 0
            if live >= minTransposedRows {
                while p + 16 <= kc {
                    let src = a + (i0 + r0) * lda + p0 + p
                    // A full sliver's row test is a constant; an edge sliver's is not, and testing
                    // it in the full ones cost them a compare and branch per row.
                    var t = live == mr
                        ? transpose16 { r in r < mr ? loadRow(src + r * lda) : SIMD16<Float>() }
                        : transpose16 { r in r < live ? loadRow(src + r * lda) : SIMD16<Float>() }
                    withUnsafeBytes(of: &t) { raw in
                        // Row q of the transpose holds depth p + q; its first mr lanes are the
                        // sliver's values. Full stores spill two lanes into the next depth,
                        // which the next store overwrites; the last store is cut to mr lanes.
                        for q in 0..<15 {
                            UnsafeMutableRawPointer(out + (p + q) * mr)
                                .storeBytes(of: raw.load(fromByteOffset: q * 64, as: SIMD16<Float>.self), as: SIMD16<Float>.self)
                        }
                        let last = raw.load(fromByteOffset: 15 * 64, as: SIMD16<Float>.self)
                        for r in 0..<mr { out[(p + 15) * mr + r] = last[r] }
                    }
                    p += 16
                }
            }
            copyStoredRows(a + (i0 + r0) * lda + p0, ld: lda, live: live, width: mr, depths: p..<kc, into: out)
            s += 1
        }
    }

    /// `packA` for op(A) = Aᵀ, where op(A)[i, p] = a[p·lda + i]: stored row p0 + p holds depth p of
    /// every row of the block, side by side.
    ///
    /// Each stored row is read once, left to right, and dealt out to the slivers. Walking one
    /// sliver at a time instead reads only 14 floats per stored row before jumping lda ahead, and
    /// comes back to the same cache lines for the next sliver; when A arrives from L3 (the layer
    /// input of a weight gradient, written long before), those short strided reads stall.
    static func packATransposed(a: UnsafePointer<Float>, lda: Int, i0: Int, rows: Int, p0: Int, kc: Int,
                                into dst: UnsafeMutablePointer<Float>) {
        let mr = packRows, full = rows / mr, sliverFloats = mr &* kc
        for p in 0..<kc {
            let src = UnsafeRawPointer(a + (p0 + p) * lda + i0)
            var o = UnsafeMutableRawPointer(dst + p &* mr)
            var byte = 0
            // Full slivers: 14 floats as 8 + 4 + 2, unaligned loads and stores.
            for _ in 0..<full {
                o.storeBytes(of: src.loadUnaligned(fromByteOffset: byte, as: SIMD8<Float>.self), as: SIMD8<Float>.self)
                o.storeBytes(of: src.loadUnaligned(fromByteOffset: byte &+ 32, as: SIMD4<Float>.self),
                             toByteOffset: 32, as: SIMD4<Float>.self)
                o.storeBytes(of: src.loadUnaligned(fromByteOffset: byte &+ 48, as: SIMD2<Float>.self),
                             toByteOffset: 48, as: SIMD2<Float>.self)
                byte &+= mr &* 4
                o += sliverFloats &* 4
            }
            let live = rows &- full &* mr
            if live > 0 {
                let s = src.assumingMemoryBound(to: Float.self) + full &* mr
                let out = o.assumingMemoryBound(to: Float.self)
                for r in 0..<live { out[r] = s[r] }
                for r in live..<mr { out[r] = 0 }
            }
        }
    }

    /// Stored rows of B per packing task (for gemm-1024, 8 rows of 4 KiB: 32 KiB of reads).
    static let packBRowRun = 8

    /// Packs op(B) = B (row-major, not transposed) for the depths `depths`, columns `j0 ..< j0 + cols`,
    /// into the layout of `packBTransposedSliver`: depth block d at `dst + d·depthBlock·sliverStride`,
    /// its sliver s at `+ s·packCols·kc`, depth p of the block at `+ p·packCols`; missing columns
    /// of the last sliver are zeros.
    ///
    /// Each stored row is read once, left to right, and dealt out to every sliver, so the reads
    /// are one sequential stream the hardware prefetcher follows. Packing sliver by sliver read
    /// 128 bytes from each of kc rows in turn, a new 4 KiB page per row: on gemm-1024 that phase
    /// took 12–15% longer (in-process A/B, 0.25 against 0.22 ms at 2 threads).
    static func packBRows(b: UnsafePointer<Float>, ldb: Int, depths: Range<Int>, k: Int, j0: Int, cols: Int,
                          into dst: UnsafeMutablePointer<Float>, sliverStride: Int) {
        let nr = packCols, full = cols / nr, live = cols - full * nr
        for p in depths {
            let pc = p / depthBlock * depthBlock, kc = min(depthBlock, k - pc)
            let src = UnsafeRawPointer(b + p * ldb + j0)
            let first = dst + pc * sliverStride + (p - pc) * nr, sliverFloats = nr * kc
            var o = UnsafeMutableRawPointer(first)
            for s in 0..<full {
                o.storeBytes(of: src.loadUnaligned(fromByteOffset: s * 128, as: SIMD16<Float>.self), as: SIMD16<Float>.self)
                o.storeBytes(of: src.loadUnaligned(fromByteOffset: s * 128 + 64, as: SIMD16<Float>.self),
                             toByteOffset: 64, as: SIMD16<Float>.self)
                o += sliverFloats * 4
            }
            if live > 0 {
                let out = first + full * sliverFloats, from = b + p * ldb + j0 + full * nr
                for j in 0..<live { out[j] = from[j] }
                for j in live..<nr { out[j] = 0 }
            }
        }
    }

    /// Copies sliver `s` of op(B) = Bᵀ (columns `j0 + s·packCols ..<`, at most `cols - s·packCols`
    /// of them) over depth `p0..<p0+kc`: for each p, `packCols` values op(B)[p0+p, j] = b[j·ldb + p0 + p];
    /// missing columns are zeros.
    static func packBTransposedSliver(b: UnsafePointer<Float>, ldb: Int, p0: Int, kc: Int,
                                      j0: Int, cols: Int, sliver s: Int, into dst: UnsafeMutablePointer<Float>) {
        let nr = packCols
        let c0 = s * nr, live = min(nr, cols - c0)
        let out = dst + s * nr * kc
        var p = 0
        if live >= minTransposedRows {
            // A transpose, 16 depths × 16 columns at a time through registers (dead columns of an
            // edge sliver as zeros); the depths past the last full block one value at a time.
            while p + 16 <= kc {
                for half in 0..<2 {
                    let src = b + (j0 + c0 + half * 16) * ldb + p0 + p
                    let rows = live - half * 16
                    var t = live == nr
                        ? transpose16 { j in loadRow(src + j * ldb) }
                        : transpose16 { j in j < rows ? loadRow(src + j * ldb) : SIMD16<Float>() }
                    withUnsafeBytes(of: &t) { raw in
                        for q in 0..<16 {
                            UnsafeMutableRawPointer(out + (p + q) * nr + half * 16)
                                .storeBytes(of: raw.load(fromByteOffset: q * 64, as: SIMD16<Float>.self), as: SIMD16<Float>.self)
                        }
                    }
                }
                p += 16
            }
        }
        // Thin slivers, and the leftover depths: read each stored row forwards, write it with stride nr.
        copyStoredRows(b + (j0 + c0) * ldb + p0, ld: ldb, live: live, width: nr, depths: p..<kc, into: out)
    }

    /// The value-by-value transposing copy behind `packA` and `packBTransposedSliver`:
    /// stored row r (at `base + r·ld`, r < live) gives lane r of each depth in `depths`, and
    /// lanes live..<width are zeros; depth q goes to out[q·width ..< (q + 1)·width].
    static func copyStoredRows(_ base: UnsafePointer<Float>, ld: Int, live: Int, width: Int, depths: Range<Int>,
                               into out: UnsafeMutablePointer<Float>) {
        for r in 0..<live {
            let src = base + r * ld
            for q in depths { out[q &* width &+ r] = src[q] }
        }
        for r in live..<width {
            for q in depths { out[q &* width &+ r] = 0 }
        }
    }
}

/// Sixteen rows of sixteen floats, as the transpose works on them.
typealias Block16 = (SIMD16<Float>, SIMD16<Float>, SIMD16<Float>, SIMD16<Float>, SIMD16<Float>, SIMD16<Float>,
                     SIMD16<Float>, SIMD16<Float>, SIMD16<Float>, SIMD16<Float>, SIMD16<Float>, SIMD16<Float>,
                     SIMD16<Float>, SIMD16<Float>, SIMD16<Float>, SIMD16<Float>)

/// Sixteen floats from any address.
@inline(__always)
func loadRow(_ p: UnsafePointer<Float>) -> SIMD16<Float> {
    UnsafeRawPointer(p).loadUnaligned(as: SIMD16<Float>.self)
}

/// The transpose of the 16×16 block whose row r is `row(r)`: row q of the result holds lane q of
/// every input row.
///
/// Four rounds of "even lanes of (row 2i, row 2i+1) to row i, odd lanes to row i + 8". Reading a
/// position (row, lane) as 8 bits r₃r₂r₁r₀c₃c₂c₁c₀, one round rotates them right by one, so four
/// rounds swap the row and lane halves: a transpose. Each even/odd selection is one two-register
/// permute on AVX-512, against a scatter or gather per value for the element-wise copy.
@inline(__always)
func transpose16(_ row: (Int) -> SIMD16<Float>) -> Block16 {
    @inline(__always) func even(_ x: SIMD16<Float>, _ y: SIMD16<Float>) -> SIMD16<Float> { alternateLanes(x, y, from: 0) }
    @inline(__always) func odd(_ x: SIMD16<Float>, _ y: SIMD16<Float>) -> SIMD16<Float> { alternateLanes(x, y, from: 1) }
    var a: Block16 = (row(0), row(1), row(2), row(3), row(4), row(5), row(6), row(7),
                      row(8), row(9), row(10), row(11), row(12), row(13), row(14), row(15))
    for _ in 0..<4 {
        a = (even(a.0, a.1), even(a.2, a.3), even(a.4, a.5), even(a.6, a.7),
             even(a.8, a.9), even(a.10, a.11), even(a.12, a.13), even(a.14, a.15),
             odd(a.0, a.1), odd(a.2, a.3), odd(a.4, a.5), odd(a.6, a.7),
             odd(a.8, a.9), odd(a.10, a.11), odd(a.12, a.13), odd(a.14, a.15))
    }
    return a
}

/// Lanes first, first + 2, …, first + 14 of x, then the same lanes of y (first = 0: the even lanes,
/// 1: the odd ones). Spelled lane by lane: with `first` a constant the compiler turns it into one
/// two-register permute, while the standard library's SIMD32.evenHalf/oddHalf stayed out-of-line
/// generic calls.
@inline(__always)
func alternateLanes(_ x: SIMD16<Float>, _ y: SIMD16<Float>, from f: Int) -> SIMD16<Float> {
    SIMD16<Float>(x[f], x[f + 2], x[f + 4], x[f + 6], x[f + 8], x[f + 10], x[f + 12], x[f + 14],
                  y[f], y[f + 2], y[f + 4], y[f + 6], y[f + 8], y[f + 10], y[f + 12], y[f + 14])
}

/// x_h y_h x_(h+1) y_(h+1) … x_(h+7) y_(h+7): the lanes of one half of x and y (h = 0 or 8),
/// interleaved. One permute when h is a constant, as `alternateLanes`.
@inline(__always)
func interleavedLanes(_ x: SIMD16<Float>, _ y: SIMD16<Float>, half h: Int) -> SIMD16<Float> {
    SIMD16<Float>(x[h], y[h], x[h + 1], y[h + 1], x[h + 2], y[h + 2], x[h + 3], y[h + 3],
                  x[h + 4], y[h + 4], x[h + 5], y[h + 5], x[h + 6], y[h + 6], x[h + 7], y[h + 7])
}
