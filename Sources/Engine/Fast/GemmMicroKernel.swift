// The register tile: 14 rows × 32 columns of C live in 28 SIMD16 accumulators while k runs.
// With AVX-512 that is 28 of the 32 zmm registers, leaving two for the B row and one for the
// broadcast A value, so nothing spills. The rows are written out one per line on purpose:
// named locals are what the compiler keeps in registers.

import CPrefetch

extension Gemm {
    /// C tile [14 × 32] (+)= A sliver · B sliver over `kc` steps, with a packed A sliver: `a`
    /// holds kc groups of 14 row values. See `tileProduct`. Reference twin: the inner loop of
    /// `Reference.matmulForward`.
    @inline(never)
    static func microKernel(kc: Int, a: UnsafePointer<Float>, b: UnsafePointer<Float>, bStep: Int,
                            c: UnsafeMutablePointer<Float>, ldc: Int, add: Bool, addend: UnsafePointer<Float>? = nil) {
        tileProduct(kc: kc, a: a, aRow: 1, aStep: packRows, b: b, bStep: bStep, c: c, ldc: ldc, add: add, addend: addend)
    }

    /// `microKernel` reading A where it is stored: 14 row-major rows `lda` floats apart, `a` at
    /// the first row's first depth. See `readsAInPlace`.
    @inline(never)
    static func microKernelRowsInPlace(kc: Int, a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, bStep: Int,
                                       c: UnsafeMutablePointer<Float>, ldc: Int, add: Bool,
                                       addend: UnsafePointer<Float>? = nil) {
        tileProduct(kc: kc, a: a, aRow: lda, aStep: 1, b: b, bStep: bStep, c: c, ldc: ldc, add: add, addend: addend)
    }

    /// The register tile's loop, inlined into each kernel so that a packed A sliver's row offsets
    /// are constants folded into the loads.
    ///
    /// Row r's value at depth step p is `a[r·aRow + p·aStep]`, and the 32 B values of step p start
    /// at `b + p·bStep` (32 for a packed B sliver, a stored row when B is read in place). Each
    /// accumulator sums its products in k order with multiply-adds (see `multiplyAdd`), then is
    /// stored into C (or added to it when `add`, or to `addend`'s 32 values when given), so an
    /// element's value never depends on which tile or thread computed it, nor on where A's and
    /// B's values were read from.
    @inline(__always)
    static func tileProduct(kc: Int, a: UnsafePointer<Float>, aRow: Int, aStep: Int, b: UnsafePointer<Float>, bStep: Int,
                            c: UnsafeMutablePointer<Float>, ldc: Int, add: Bool, addend: UnsafePointer<Float>?) {
        typealias V = SIMD16<Float>
        var c0l = V(), c0h = V(), c1l = V(), c1h = V(), c2l = V(), c2h = V(), c3l = V(), c3h = V()
        var c4l = V(), c4h = V(), c5l = V(), c5h = V(), c6l = V(), c6h = V(), c7l = V(), c7h = V()
        var c8l = V(), c8h = V(), c9l = V(), c9h = V(), c10l = V(), c10h = V(), c11l = V(), c11h = V()
        var c12l = V(), c12h = V(), c13l = V(), c13h = V()
        var ap = a, bp = UnsafeRawPointer(b)
        let bBytes = bStep * MemoryLayout<Float>.stride, ahead = 24 * bBytes
        for _ in 0..<kc {
            // The B sliver streams from L2 (the A sliver stays in L1), and from L3 on the first
            // pass over a freshly packed depth block. Asking for it 24 steps (3 KiB packed) ahead
            // covers L3's latency too: gemm-1024 2–4% faster at 2 threads than 8 steps ahead
            // (which only covers L2's), others unchanged (in-process A/B of 8, 16, 24, 32 and 48
            // steps; for B read in place 6, 12 and 24 steps measured the same). Past the sliver's
            // end this touches the next one, or nothing: a prefetch never faults.
            engine_prefetch(bp + ahead)
            engine_prefetch(bp + ahead + 64)
            let bl = bp.loadUnaligned(as: V.self), bh = bp.loadUnaligned(fromByteOffset: 64, as: V.self)
            do { let x = V(repeating: ap[0 &* aRow]); multiplyAdd(&c0l, x, bl); multiplyAdd(&c0h, x, bh) }
            do { let x = V(repeating: ap[1 &* aRow]); multiplyAdd(&c1l, x, bl); multiplyAdd(&c1h, x, bh) }
            do { let x = V(repeating: ap[2 &* aRow]); multiplyAdd(&c2l, x, bl); multiplyAdd(&c2h, x, bh) }
            do { let x = V(repeating: ap[3 &* aRow]); multiplyAdd(&c3l, x, bl); multiplyAdd(&c3h, x, bh) }
            do { let x = V(repeating: ap[4 &* aRow]); multiplyAdd(&c4l, x, bl); multiplyAdd(&c4h, x, bh) }
            do { let x = V(repeating: ap[5 &* aRow]); multiplyAdd(&c5l, x, bl); multiplyAdd(&c5h, x, bh) }
            do { let x = V(repeating: ap[6 &* aRow]); multiplyAdd(&c6l, x, bl); multiplyAdd(&c6h, x, bh) }
            do { let x = V(repeating: ap[7 &* aRow]); multiplyAdd(&c7l, x, bl); multiplyAdd(&c7h, x, bh) }
            do { let x = V(repeating: ap[8 &* aRow]); multiplyAdd(&c8l, x, bl); multiplyAdd(&c8h, x, bh) }
            do { let x = V(repeating: ap[9 &* aRow]); multiplyAdd(&c9l, x, bl); multiplyAdd(&c9h, x, bh) }
            do { let x = V(repeating: ap[10 &* aRow]); multiplyAdd(&c10l, x, bl); multiplyAdd(&c10h, x, bh) }
            do { let x = V(repeating: ap[11 &* aRow]); multiplyAdd(&c11l, x, bl); multiplyAdd(&c11h, x, bh) }
            do { let x = V(repeating: ap[12 &* aRow]); multiplyAdd(&c12l, x, bl); multiplyAdd(&c12h, x, bh) }
            do { let x = V(repeating: ap[13 &* aRow]); multiplyAdd(&c13l, x, bl); multiplyAdd(&c13h, x, bh) }
            ap += aStep
            bp += bBytes
        }
        storeRow(c0l, c0h, c + 0 * ldc, add, addend)
        storeRow(c1l, c1h, c + 1 * ldc, add, addend)
        storeRow(c2l, c2h, c + 2 * ldc, add, addend)
        storeRow(c3l, c3h, c + 3 * ldc, add, addend)
        storeRow(c4l, c4h, c + 4 * ldc, add, addend)
        storeRow(c5l, c5h, c + 5 * ldc, add, addend)
        storeRow(c6l, c6h, c + 6 * ldc, add, addend)
        storeRow(c7l, c7h, c + 7 * ldc, add, addend)
        storeRow(c8l, c8h, c + 8 * ldc, add, addend)
        storeRow(c9l, c9h, c + 9 * ldc, add, addend)
        storeRow(c10l, c10h, c + 10 * ldc, add, addend)
        storeRow(c11l, c11h, c + 11 * ldc, add, addend)
        storeRow(c12l, c12h, c + 12 * ldc, add, addend)
        storeRow(c13l, c13h, c + 13 * ldc, add, addend)
    }

    /// Whether `multiplyAdd` fuses (one rounding), so tests can model the kernel's arithmetic.
    #if ENGINE_FMA || arch(arm64)
    static let usesFusedMultiplyAdd = true
    #else
    static let usesFusedMultiplyAdd = false
    #endif

    /// acc += x·y, fused (one rounding) where the build declares hardware FMA.
    ///
    /// Swift has no compile-time test for CPU features and never fuses `x * y + acc` by itself.
    /// Without FMA instructions `addProduct` becomes a libm `fmaf` call per lane (~100× slower),
    /// so fusing is opt-in: the `ENGINE_FMA` define (set with a matching `-target-cpu`), or arm64,
    /// where FMA is always present.
    @inline(__always)
    static func multiplyAdd(_ acc: inout SIMD16<Float>, _ x: SIMD16<Float>, _ y: SIMD16<Float>) {
        #if ENGINE_FMA || arch(arm64)
        acc.addProduct(x, y)
        #else
        acc = acc + x * y
        #endif
    }

    /// Writes 32 accumulated values to a C row (any alignment), adding the old values when `add`,
    /// or, when there is an `addend` (a bias row), its 32 values in their place: addend + sum,
    /// the very operation `add` does on a C row that holds the addend.
    @inline(__always)
    static func storeRow(_ lo: SIMD16<Float>, _ hi: SIMD16<Float>, _ row: UnsafeMutablePointer<Float>, _ add: Bool,
                         _ addend: UnsafePointer<Float>? = nil) {
        let raw = UnsafeMutableRawPointer(row)
        if let addend {
            let from = UnsafeRawPointer(addend)
            raw.storeBytes(of: from.loadUnaligned(as: SIMD16<Float>.self) + lo, as: SIMD16<Float>.self)
            raw.storeBytes(of: from.loadUnaligned(fromByteOffset: 64, as: SIMD16<Float>.self) + hi,
                           toByteOffset: 64, as: SIMD16<Float>.self)
        } else if add {
            raw.storeBytes(of: raw.loadUnaligned(as: SIMD16<Float>.self) + lo, as: SIMD16<Float>.self)
            raw.storeBytes(of: raw.loadUnaligned(fromByteOffset: 64, as: SIMD16<Float>.self) + hi,
                           toByteOffset: 64, as: SIMD16<Float>.self)
        } else {
            raw.storeBytes(of: lo, as: SIMD16<Float>.self)
            raw.storeBytes(of: hi, toByteOffset: 64, as: SIMD16<Float>.self)
        }
    }
}
