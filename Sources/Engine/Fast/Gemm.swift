/// Single-precision matrix multiply, C = A·B (+ C when `accumulate`), on raw row-major buffers.
///
/// `transA`/`transB` read A or B transposed without copying, which is how backward rules get
/// Aᵀ·G and G·Bᵀ. Work is split over rows of C, and every C element is a sum over k in order,
/// so the result is the same for any thread count.
///
/// `reference` is the plain three-loop kernel (`Gemm.fast` falls back to it for tiny products);
/// `Gemm.fast` (GemmFast.swift) is the tuned one. Reference twin of both, in Double:
/// `Reference.matmulForward`.
public enum Gemm {
    /// Reference SGEMM: C[M×N] (+)= op(A)[M×K] · op(B)[K×N].
    /// Leading dimensions are the row lengths of A, B, C as stored.
    public static func reference(
        transA: Bool, transB: Bool, m: Int, n: Int, k: Int,
        a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
        c: UnsafeMutablePointer<Float>, ldc: Int, accumulate: Bool, threads: Int? = nil
    ) {
        let body: (Range<Int>) -> Void = { rows in
            for i in rows {
                let crow = c + i * ldc
                if !accumulate { crow.initialize(repeating: 0, count: n) }
                for p in 0..<k {
                    let aip = transA ? a[p * lda + i] : a[i * lda + p]
                    if transB {
                        for j in 0..<n { crow[j] += aip * b[j * ldb + p] }
                    } else {
                        let brow = b + p * ldb
                        for j in 0..<n { crow[j] += aip * brow[j] }
                    }
                }
            }
        }
        if threads == 1 { body(0..<m) } else { Parallel.forRanges(m, minChunk: max(1, 65_536 / max(1, n * k)), body) }
    }

    /// The SGEMM the ops call: the packed, register-tiled `fast` kernel (GemmFast.swift). With
    /// `rowBias`, C starts as that row (n values) in every row. Reference twin:
    /// `Reference.matmulForward` (`Reference.linearForward` with a bias).
    @inlinable
    public static func multiply(
        transA: Bool, transB: Bool, m: Int, n: Int, k: Int,
        a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
        c: UnsafeMutablePointer<Float>, ldc: Int, accumulate: Bool, rowBias: UnsafePointer<Float>? = nil
    ) {
        fast(transA: transA, transB: transB, m: m, n: n, k: k, a: a, lda: lda, b: b, ldb: ldb,
             c: c, ldc: ldc, accumulate: accumulate, rowBias: rowBias)
    }
}
