import Dispatch
import Testing
@testable import Engine

/// One SGEMM problem with its own padded storage, so leading dimensions exceed the logical sizes.
private struct Problem {
    let transA: Bool, transB: Bool, m: Int, n: Int, k: Int, accumulate: Bool
    let lda: Int, ldb: Int, ldc: Int
    let a: [Float], b: [Float]
    var c0: [Float]

    init(_ m: Int, _ n: Int, _ k: Int, transA: Bool, transB: Bool, accumulate: Bool, pad: Int, seed: UInt64) {
        (self.m, self.n, self.k, self.transA, self.transB, self.accumulate) = (m, n, k, transA, transB, accumulate)
        // Stored shapes: A is [m, k] or [k, m]; B is [k, n] or [n, k]; rows padded by `pad`.
        let aRows = transA ? k : m, bRows = transB ? n : k
        lda = (transA ? m : k) + pad
        ldb = (transB ? k : n) + pad
        ldc = n + pad
        var rng = RNG(seed: seed)
        a = (0..<(aRows * lda)).map { _ in rng.normal() }
        b = (0..<(bRows * ldb)).map { _ in rng.normal() }
        c0 = (0..<(m * ldc)).map { _ in rng.normal() }
    }

    /// The same problem starting from another C (same padding).
    static func with(_ p: Problem, c: [Float]) -> Problem {
        var q = p
        q.c0 = c
        return q
    }

    func opA(_ i: Int, _ p: Int) -> Float { transA ? a[p * lda + i] : a[i * lda + p] }
    func opB(_ p: Int, _ j: Int) -> Float { transB ? b[j * ldb + p] : b[p * ldb + j] }

    /// Runs one kernel on a copy of the starting C.
    func run(_ kernel: Kernel) -> [Float] {
        var c = c0
        a.withUnsafeBufferPointer { ap in
            b.withUnsafeBufferPointer { bp in
                c.withUnsafeMutableBufferPointer { cp in
                    kernel(transA, transB, m, n, k, ap.baseAddress!, lda, bp.baseAddress!, ldb,
                           cp.baseAddress!, ldc, accumulate)
                }
            }
        }
        return c
    }

    /// The fast kernel's arithmetic written out plainly: per depth block, one multiply-add chain
    /// from zero in k order (fused when the build is, as in `Gemm.multiplyAdd`), then a single add
    /// into C (or a store for the first block).
    func blockedFMA() -> [Float] {
        var c = c0
        for i in 0..<m {
            for j in 0..<n {
                for p0 in stride(from: 0, to: k, by: Gemm.depthBlock) {
                    var s: Float = 0
                    for p in p0..<min(k, p0 + Gemm.depthBlock) {
                        s = Gemm.usesFusedMultiplyAdd ? s.addingProduct(opA(i, p), opB(p, j)) : s + opA(i, p) * opB(p, j)
                    }
                    c[i * ldc + j] = (p0 == 0 && !accumulate) ? s : c[i * ldc + j] + s
                }
            }
        }
        return c
    }

    /// Per element, Σ_p |op(A)[i,p]·op(B)[p,j]| (+ |C₀| when accumulating): the scale of the
    /// rounding error any summation order can make.
    func magnitudes() -> [Double] {
        var out = [Double](repeating: 0, count: m * ldc)
        for i in 0..<m {
            for j in 0..<n {
                var s = accumulate ? Double(abs(c0[i * ldc + j])) : 0
                for p in 0..<k { s += Double(abs(opA(i, p) * opB(p, j))) }
                out[i * ldc + j] = s
            }
        }
        return out
    }
}

private typealias Kernel = (Bool, Bool, Int, Int, Int, UnsafePointer<Float>, Int, UnsafePointer<Float>, Int,
                            UnsafeMutablePointer<Float>, Int, Bool) -> Void

private func fastKernel(threads: Int?) -> Kernel {
    { ta, tb, m, n, k, a, lda, b, ldb, c, ldc, acc in
        Gemm.fast(transA: ta, transB: tb, m: m, n: n, k: k, a: a, lda: lda, b: b, ldb: ldb, c: c, ldc: ldc,
                  accumulate: acc, threads: threads)
    }
}

private let referenceKernel: Kernel = { ta, tb, m, n, k, a, lda, b, ldb, c, ldc, acc in
    Gemm.reference(transA: ta, transB: tb, m: m, n: n, k: k, a: a, lda: lda, b: b, ldb: ldb, c: c, ldc: ldc,
                   accumulate: acc, threads: 1)
}

/// Awkward sizes around the 14×32 tile, the 256 depth block and one-element edges. The heights
/// leave every kind of last row sliver: 1 to 8 live rows (the short-tile kernel), 12 (the full
/// kernel into scratch) and 14. Row-major B is read in place while its stored rows are at most 512
/// floats long and packed beyond: the last two shapes pack it, and the very last splits it into
/// two column blocks (at depth 2100 the packed-B buffer holds 1984 columns).
private let shapes: [(Int, Int, Int)] = [
    (1, 1, 1), (7, 33, 127), (33, 7, 300), (127, 129, 128), (128, 128, 128), (129, 300, 7),
    (300, 127, 33), (1, 300, 129), (300, 1, 257), (33, 65, 600), (15, 16, 17),
    (40, 45, 70), (64, 96, 300), (32, 64, 20), (42, 32, 40), (20, 600, 300), (3, 2001, 2100),
]
private let layouts = [(false, false), (false, true), (true, false), (true, true)]

@Suite("GemmTests")
struct GemmTests {
    @Test("fast kernel matches its blocked multiply-add model bit for bit", arguments: shapes)
    func bitwiseModel(shape: (Int, Int, Int)) {
        let (m, n, k) = shape
        for (index, (ta, tb)) in layouts.enumerated() {
            for accumulate in [false, true] {
                let p = Problem(m, n, k, transA: ta, transB: tb, accumulate: accumulate, pad: 3,
                                seed: UInt64(m * 1_000_003 + n * 1009 + k * 7 + index * 2 + (accumulate ? 1 : 0)))
                let got = p.run(fastKernel(threads: 1))
                // Tiny products take the reference path (plain multiply then add, one k chain).
                let want = m * n * k <= Gemm.smallWork ? p.run(referenceKernel) : p.blockedFMA()
                let mismatches = zip(got, want).filter { $0.0.bitPattern != $0.1.bitPattern }.count
                #expect(mismatches == 0, "\(m)×\(n)×\(k) transA \(ta) transB \(tb) accumulate \(accumulate)")
                // Padding between rows of C must be left untouched.
                for i in 0..<m { for j in n..<p.ldc { #expect(got[i * p.ldc + j] == p.c0[i * p.ldc + j]) } }
            }
        }
    }

    /// Both kernels round each of their ≤ k+1 additions (and each product) once, so each lies within
    /// (k+2)·u·Σ|a·b| of the exact sum (u = 2⁻²⁴, first order); their difference within twice that.
    @Test("fast kernel agrees with the reference within the float32 rounding bound", arguments: shapes)
    func matchesReference(shape: (Int, Int, Int)) {
        let (m, n, k) = shape
        let u = Double(Float.ulpOfOne) / 2
        for (index, (ta, tb)) in layouts.enumerated() {
            for accumulate in [false, true] {
                let p = Problem(m, n, k, transA: ta, transB: tb, accumulate: accumulate, pad: 5,
                                seed: UInt64(7 + m * 31 + n * 17 + k * 3 + index * 2 + (accumulate ? 1 : 0)))
                let fast = p.run(fastKernel(threads: nil)), ref = p.run(referenceKernel)
                let scale = p.magnitudes()
                var worst = 0.0
                for i in 0..<m {
                    for j in 0..<n {
                        let e = i * p.ldc + j
                        let bound = 2 * Double(k + 2) * u * scale[e]
                        worst = max(worst, abs(Double(fast[e]) - Double(ref[e])) / max(bound, .leastNonzeroMagnitude))
                    }
                }
                #expect(worst <= 1, "\(m)×\(n)×\(k) transA \(ta) transB \(tb) accumulate \(accumulate): \(worst)× bound")
            }
        }
    }

    @Test("one thread and all threads give identical bits")
    func threadCountInvariance() {
        for (m, n, k) in [(300, 127, 600), (1000, 70, 300), (20, 700, 260), (129, 300, 7)] {
            for (ta, tb) in layouts {
                let p = Problem(m, n, k, transA: ta, transB: tb, accumulate: true, pad: 1, seed: UInt64(m + n + k))
                let one = p.run(fastKernel(threads: 1)), all = p.run(fastKernel(threads: nil))
                #expect(one.map(\.bitPattern) == all.map(\.bitPattern), "\(m)×\(n)×\(k) \(ta) \(tb)")
            }
        }
    }

    /// Threads own disjoint tiles, so thread-count independence rests on an element's value not
    /// depending on where its tile starts. Computing a sub-block of C on its own (shifted
    /// pointers, same leading dimensions) must reproduce those entries of the full product.
    @Test("a sub-block computed alone equals the same entries of the full product")
    func tilePositionInvariance() {
        let (m, n, k) = (200, 150, 300)
        let p = Problem(m, n, k, transA: false, transB: false, accumulate: false, pad: 0, seed: 42)
        let full = p.run(fastKernel(threads: 1))
        let (i0, rows, j0, cols) = (5, 101, 3, 77)
        var part = [Float](repeating: .nan, count: rows * cols)
        p.a.withUnsafeBufferPointer { a in
            p.b.withUnsafeBufferPointer { b in
                part.withUnsafeMutableBufferPointer { c in
                    Gemm.fast(transA: false, transB: false, m: rows, n: cols, k: k, a: a.baseAddress! + i0 * p.lda,
                              lda: p.lda, b: b.baseAddress! + j0, ldb: p.ldb, c: c.baseAddress!, ldc: cols,
                              accumulate: false, threads: 1)
                }
            }
        }
        var mismatches = 0
        for i in 0..<rows {
            for j in 0..<cols where part[i * cols + j].bitPattern != full[(i0 + i) * n + j0 + j].bitPattern {
                mismatches += 1
            }
        }
        #expect(mismatches == 0)
    }

    /// `rowBias` must give the bits of filling every row of C with the bias and accumulating:
    /// full, edge and short tiles, a second depth block, a tiny product (the reference path),
    /// k = 0, and 1 or all threads.
    @Test("a bias row passed to the GEMM equals C filled with it, then accumulated, bit for bit")
    func rowBiasEqualsFilledC() {
        for (m, n, k) in [(70, 100, 300), (33, 32, 64), (5, 7, 3), (9, 40, 0), (128, 384, 128)] {
            for (ta, tb) in layouts {
                let p = Problem(m, n, k, transA: ta, transB: tb, accumulate: true, pad: 3, seed: UInt64(m * 7 + n + k))
                var rng = RNG(seed: UInt64(m + 2 * n))
                let bias = (0..<n).map { _ in rng.normal() }
                // The old way: C's rows start as the bias, the GEMM accumulates onto them.
                var filled = p.c0
                for i in 0..<m { for j in 0..<n { filled[i * p.ldc + j] = bias[j] } }
                let want = Problem.with(p, c: filled).run(fastKernel(threads: 1))
                for threads in [1, nil] as [Int?] {
                    let got = p.run { ta, tb, m, n, k, a, lda, b, ldb, c, ldc, _ in
                        bias.withUnsafeBufferPointer { bp in
                            Gemm.fast(transA: ta, transB: tb, m: m, n: n, k: k, a: a, lda: lda, b: b, ldb: ldb, c: c,
                                      ldc: ldc, accumulate: false, rowBias: bp.baseAddress!, threads: threads)
                        }
                    }
                    let mismatches = zip(got, want).filter { $0.0.bitPattern != $0.1.bitPattern }.count
                    #expect(mismatches == 0, "\(m)×\(n)×\(k) transA \(ta) transB \(tb) threads \(String(describing: threads))")
                }
            }
        }
    }

    /// Each thread packs into its own buffers (`GemmScratch`), kept from call to call. Products
    /// run at once on several threads, each after one of another shape, must keep the bits they
    /// have when run alone: buffers shared between threads would mix one product's packed
    /// operands into another's.
    @Test("products running at once on several threads give the bits they give alone")
    func concurrentCallers() {
        // Every shape packs both operands (rows longer than the in-place limits) with edge slivers.
        let problems = (0..<8).map { i in
            Problem(100 + 13 * i, 530 + 7 * i, 300 + 11 * i, transA: i % 2 == 1, transB: i % 4 >= 2,
                    accumulate: i % 3 == 0, pad: 1, seed: UInt64(500 + i))
        }
        let alone = problems.map { $0.run(fastKernel(threads: 1)).map(\.bitPattern) }
        let rounds = 3
        let results = UnsafeMutableBufferPointer<[UInt32]>.allocate(capacity: problems.count * rounds)
        results.initialize(repeating: [])
        defer { _ = results.deinitialize(); results.deallocate() }
        DispatchQueue.concurrentPerform(iterations: problems.count) { caller in
            for round in 0..<rounds {
                // A different product on each round, so each thread's buffers hold another's leftovers.
                let index = (caller + round) % problems.count
                results[caller * rounds + round] = problems[index].run(fastKernel(threads: 1)).map(\.bitPattern)
            }
        }
        for caller in 0..<problems.count {
            for round in 0..<rounds {
                let index = (caller + round) % problems.count
                let mismatches = zip(results[caller * rounds + round], alone[index]).filter { $0 != $1 }.count
                #expect(mismatches == 0, "caller \(caller), round \(round), problem \(index)")
            }
        }
    }

    @Test("k = 0 leaves an accumulated C alone and zeroes an overwritten one")
    func emptyDepth() {
        for accumulate in [false, true] {
            let p = Problem(9, 40, 0, transA: false, transB: false, accumulate: accumulate, pad: 2, seed: 3)
            let got = p.run(fastKernel(threads: nil))
            for i in 0..<9 {
                for j in 0..<40 { #expect(got[i * p.ldc + j] == (accumulate ? p.c0[i * p.ldc + j] : 0)) }
            }
        }
    }

    @Test("Gemm.multiply runs the fast kernel")
    func multiplyDispatch() {
        let p = Problem(64, 64, 64, transA: false, transB: true, accumulate: false, pad: 0, seed: 9)
        let viaMultiply = p.run { ta, tb, m, n, k, a, lda, b, ldb, c, ldc, acc in
            Gemm.multiply(transA: ta, transB: tb, m: m, n: n, k: k, a: a, lda: lda, b: b, ldb: ldb, c: c, ldc: ldc,
                          accumulate: acc)
        }
        #expect(viaMultiply.map(\.bitPattern) == p.blockedFMA().map(\.bitPattern))
    }
}
