// The register tile for the last rows of a matrix whose height is not a multiple of 14.
//
// A packed A sliver always holds 14 rows, padded with zeros, and the full tile multiplies all of
// them. When only a few are live — 32 rows end in a sliver of 4, 64 in one of 8, 128 and 1024 in
// one of 2 — most of that edge tile's work is thrown away: a 32-row product does 42 rows of
// multiply-adds. This kernel computes only the first `rows` (≤ 8) rows of the tile, so an edge
// tile costs roughly what its live rows need.
//
// Each accumulator runs the very multiply-add chain `microKernel` runs for the same element (same
// products, same k order, starting from zero) and is stored with the same single add, so the bits
// are those of the full tile.

extension Gemm {
    /// Rows this kernel can compute; taller edge tiles use the full 14-row `microKernel`.
    static let shortTileRows = 8

    /// C[rows × 32] (+)= the first `rows` rows of a packed A sliver · a B sliver, over `kc`.
    /// Reference twin: the inner loop of `Reference.matmulForward`.
    ///
    /// `a` is a packed A sliver (14 values per depth step, of which the first `rows` are read),
    /// `b` and `bStep` a B sliver as `microKernel` reads it, `rows` in 1...8. The row tests are
    /// the same on every step, so the branch predictor takes them for free.
    @inline(never)
    static func shortTileKernel(kc: Int, a: UnsafePointer<Float>, b: UnsafePointer<Float>, bStep: Int,
                                c: UnsafeMutablePointer<Float>, ldc: Int, add: Bool, rows: Int,
                                addend: UnsafePointer<Float>? = nil) {
        typealias V = SIMD16<Float>
        precondition(rows >= 1 && rows <= shortTileRows, "short tile needs 1...\(shortTileRows) rows, got \(rows)")
        var c0l = V(), c0h = V(), c1l = V(), c1h = V(), c2l = V(), c2h = V(), c3l = V(), c3h = V()
        var c4l = V(), c4h = V(), c5l = V(), c5h = V(), c6l = V(), c6h = V(), c7l = V(), c7h = V()
        var ap = a, bp = UnsafeRawPointer(b)
        let bBytes = bStep * MemoryLayout<Float>.stride
        for _ in 0..<kc {
            let bl = bp.loadUnaligned(as: V.self), bh = bp.loadUnaligned(fromByteOffset: 64, as: V.self)
            do { let x = V(repeating: ap[0]); multiplyAdd(&c0l, x, bl); multiplyAdd(&c0h, x, bh) }
            if rows > 1 { let x = V(repeating: ap[1]); multiplyAdd(&c1l, x, bl); multiplyAdd(&c1h, x, bh) }
            if rows > 2 { let x = V(repeating: ap[2]); multiplyAdd(&c2l, x, bl); multiplyAdd(&c2h, x, bh) }
            if rows > 3 { let x = V(repeating: ap[3]); multiplyAdd(&c3l, x, bl); multiplyAdd(&c3h, x, bh) }
            if rows > 4 { let x = V(repeating: ap[4]); multiplyAdd(&c4l, x, bl); multiplyAdd(&c4h, x, bh) }
            if rows > 5 { let x = V(repeating: ap[5]); multiplyAdd(&c5l, x, bl); multiplyAdd(&c5h, x, bh) }
            if rows > 6 { let x = V(repeating: ap[6]); multiplyAdd(&c6l, x, bl); multiplyAdd(&c6h, x, bh) }
            if rows > 7 { let x = V(repeating: ap[7]); multiplyAdd(&c7l, x, bl); multiplyAdd(&c7h, x, bh) }
            ap += packRows
            bp += bBytes
        }
        storeRow(c0l, c0h, c, add, addend)
        if rows > 1 { storeRow(c1l, c1h, c + 1 * ldc, add, addend) }
        if rows > 2 { storeRow(c2l, c2h, c + 2 * ldc, add, addend) }
        if rows > 3 { storeRow(c3l, c3h, c + 3 * ldc, add, addend) }
        if rows > 4 { storeRow(c4l, c4h, c + 4 * ldc, add, addend) }
        if rows > 5 { storeRow(c5l, c5h, c + 5 * ldc, add, addend) }
        if rows > 6 { storeRow(c6l, c6h, c + 6 * ldc, add, addend) }
        if rows > 7 { storeRow(c7l, c7h, c + 7 * ldc, add, addend) }
    }
}
