// Packing: copy the blocks the micro-kernel reads into the exact order it reads them, so its
// inner loop walks two contiguous, aligned streams whatever the layout of A and B.
// Index arithmetic in the copy loops wraps (&*, &+): the offsets are bounded by the buffer sizes,
// and without overflow checks the loops vectorise.

extension Gemm {
    /// Copies op(A) rows `i0..<i0+rows`, depth `p0..<p0+kc` into slivers of `packRows` rows.
    ///
    /// Sliver s holds, for each p, the `packRows` values op(A)[i0+s·packRows+r, p0+p]; rows past
    /// the matrix are zeros, so an edge tile runs the same kernel (its extra rows are discarded).
    static func packA(transA: Bool, a: UnsafePointer<Float>, lda: Int, i0: Int, rows: Int,
                      p0: Int, kc: Int, into dst: UnsafeMutablePointer<Float>) {
        let mr = packRows
        var s = 0
        while s * mr < rows {
            let r0 = s * mr, live = min(mr, rows - r0)
            let out = dst + s * mr * kc
            if transA {
                // op(A)[i, p] = a[p·lda + i]: each p step reads `live` neighbours.
                for p in 0..<kc {
                    let src = a + (p0 + p) * lda + i0 + r0, o = out + p * mr
                    for r in 0..<live { o[r] = src[r] }
                    for r in live..<mr { o[r] = 0 }
                }
            } else {
                // op(A)[i, p] = a[i·lda + p]: read each row forwards, write it with stride mr.
                for r in 0..<live {
                    let src = a + (i0 + r0 + r) * lda + p0
                    for p in 0..<kc { out[p &* mr &+ r] = src[p] }
                }
                for r in live..<mr {
                    for p in 0..<kc { out[p &* mr &+ r] = 0 }
                }
            }
            s += 1
        }
    }

    /// Copies B sliver `s` (columns `j0 + s·packCols ..<`, at most `cols - s·packCols` of them) over
    /// depth `p0..<p0+kc`: for each p, `packCols` values op(B)[p0+p, j]; missing columns are zeros.
    static func packBSliver(transB: Bool, b: UnsafePointer<Float>, ldb: Int, p0: Int, kc: Int,
                            j0: Int, cols: Int, sliver s: Int, into dst: UnsafeMutablePointer<Float>) {
        let nr = packCols
        let c0 = s * nr, live = min(nr, cols - c0)
        let out = dst + s * nr * kc
        if transB {
            // op(B)[p, j] = b[j·ldb + p]: read each stored row forwards, write it with stride nr.
            for j in 0..<live {
                let src = b + (j0 + c0 + j) * ldb + p0
                for p in 0..<kc { out[p &* nr &+ j] = src[p] }
            }
            for j in live..<nr {
                for p in 0..<kc { out[p &* nr &+ j] = 0 }
            }
        } else if live == nr {
            // op(B)[p, j] = b[p·ldb + j]: each p step is one contiguous run of nr floats.
            for p in 0..<kc {
                let src = UnsafeRawPointer(b + (p0 + p) * ldb + j0 + c0)
                let o = UnsafeMutableRawPointer(out + p * nr)
                o.storeBytes(of: src.loadUnaligned(as: SIMD16<Float>.self), as: SIMD16<Float>.self)
                o.storeBytes(of: src.loadUnaligned(fromByteOffset: 64, as: SIMD16<Float>.self),
                             toByteOffset: 64, as: SIMD16<Float>.self)
            }
        } else {
            for p in 0..<kc {
                let src = b + (p0 + p) * ldb + j0 + c0, o = out + p * nr
                for j in 0..<live { o[j] = src[j] }
                for j in live..<nr { o[j] = 0 }
            }
        }
    }
}
