/// One product per batch entry: C_b = op(A_b)·op(B_b), with B shared when `strideB` is 0.
///
/// Several products (attention heads) are split over the batch, each one on a single thread
/// through the packed kernel; a lone product lets the kernel split its own rows. `Gemm.fast`
/// gives the same bits for any thread count, so which way a product runs never changes it.
/// Reference twin: `Reference.matmulForward` with `batch`.
func batchedGemm(_ batch: Int, transA: Bool, transB: Bool, m: Int, n: Int, k: Int,
                 a: UnsafePointer<Float>, strideA: Int, b: UnsafePointer<Float>, strideB: Int,
                 c: UnsafeMutablePointer<Float>, accumulate: Bool) {
    let lda = transA ? m : k, ldb = transB ? k : n
    if batch == 1 {
        Gemm.multiply(transA: transA, transB: transB, m: m, n: n, k: k, a: a, lda: lda,
                      b: b, ldb: ldb, c: c, ldc: n, accumulate: accumulate)
    } else {
        Parallel.forRanges(batch, minChunk: max(1, 32_768 / max(1, m * n * k))) { r in
            for i in r {
                Gemm.fast(transA: transA, transB: transB, m: m, n: n, k: k, a: a + i * strideA, lda: lda,
                          b: b + i * strideB, ldb: ldb, c: c + i * m * n, ldc: n, accumulate: accumulate,
                          threads: 1)
            }
        }
    }
}
