/// The reference path: plain loops a student can read in minutes, forward beside backward
/// (README.md in this folder). Every function works on flat row-major `[Float]` buffers whose
/// shapes are given in comments, and sums in `Double`, rounding once: the reference is the
/// yardstick its fast twin is tested against, so its own rounding must be negligible.
public enum Reference {}

extension Reference {
    /// C = A·B for each of `batch` products: a [batch, M, K], b [batch, K, N] (or [K, N] shared by
    /// every product when `sharedB`) → [batch, M, N]. Fast twin: `Tensor.matmul` (`Gemm.fast`).
    public static func matmulForward(_ a: [Float], _ b: [Float], batch: Int, m: Int, k: Int, n: Int,
                                     sharedB: Bool = false) -> [Float] {
        var out = [Float](repeating: 0, count: batch * m * n)
        for s in 0..<batch {
            let ao = s * m * k, bo = sharedB ? 0 : s * k * n, co = s * m * n
            for i in 0..<m {
                for j in 0..<n {
                    var sum = 0.0
                    for p in 0..<k { sum += Double(a[ao + i * k + p]) * Double(b[bo + p * n + j]) }
                    out[co + i * n + j] = Float(sum)
                }
            }
        }
        return out
    }

    /// Backward of `matmulForward`, dout [batch, M, N]: dA = dout·Bᵀ [batch, M, K] and
    /// dB = Aᵀ·dout [batch, K, N], or [K, N] summed over the batch when B is shared.
    public static func matmulBackward(_ dout: [Float], _ a: [Float], _ b: [Float], batch: Int, m: Int, k: Int, n: Int,
                                      sharedB: Bool = false) -> (da: [Float], db: [Float]) {
        var da = [Float](repeating: 0, count: batch * m * k)
        var db = [Double](repeating: 0, count: (sharedB ? 1 : batch) * k * n)
        for s in 0..<batch {
            let ao = s * m * k, bo = sharedB ? 0 : s * k * n, go = s * m * n
            for i in 0..<m {
                for p in 0..<k {
                    var sum = 0.0
                    for j in 0..<n { sum += Double(dout[go + i * n + j]) * Double(b[bo + p * n + j]) }
                    da[ao + i * k + p] = Float(sum)
                }
            }
            for p in 0..<k {
                for j in 0..<n {
                    for i in 0..<m { db[bo + p * n + j] += Double(a[ao + i * k + p]) * Double(dout[go + i * n + j]) }
                }
            }
        }
        return (da, db.map { Float($0) })
    }

    /// y = x·Wᵀ + b: x [rows, in], w [out, in] (PyTorch's layout), b [out] or nil → [rows, out].
    /// Fast twin: `linear` (`Gemm.fast` with the bias as the first row of C).
    public static func linearForward(_ x: [Float], _ w: [Float], _ b: [Float]?, rows: Int, inFeatures: Int,
                                     outFeatures: Int) -> [Float] {
        var out = [Float](repeating: 0, count: rows * outFeatures)
        for r in 0..<rows {
            for o in 0..<outFeatures {
                var sum = Double(b?[o] ?? 0)
                for i in 0..<inFeatures { sum += Double(x[r * inFeatures + i]) * Double(w[o * inFeatures + i]) }
                out[r * outFeatures + o] = Float(sum)
            }
        }
        return out
    }

    /// Backward of `linearForward`, dout [rows, out]: dx = dout·W [rows, in], dW = doutᵀ·x
    /// [out, in], db = Σ_rows dout [out].
    public static func linearBackward(_ dout: [Float], _ x: [Float], _ w: [Float], rows: Int, inFeatures: Int,
                                      outFeatures: Int) -> (dx: [Float], dw: [Float], db: [Float]) {
        var dx = [Double](repeating: 0, count: rows * inFeatures)
        var dw = [Double](repeating: 0, count: outFeatures * inFeatures)
        var db = [Double](repeating: 0, count: outFeatures)
        for r in 0..<rows {
            for o in 0..<outFeatures {
                let d = Double(dout[r * outFeatures + o])
                for i in 0..<inFeatures {
                    dx[r * inFeatures + i] += d * Double(w[o * inFeatures + i])
                    dw[o * inFeatures + i] += d * Double(x[r * inFeatures + i])
                }
                db[o] += d
            }
        }
        return (dx.map { Float($0) }, dw.map { Float($0) }, db.map { Float($0) })
    }

    /// The transpose of a [rows, cols] matrix, [cols, rows] (no arithmetic).
    public static func transpose(_ x: [Float], rows: Int, cols: Int) -> [Float] {
        var out = [Float](repeating: 0, count: rows * cols)
        for r in 0..<rows {
            for c in 0..<cols { out[c * rows + r] = x[r * cols + c] }
        }
        return out
    }
}
