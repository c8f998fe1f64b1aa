import Dispatch
import Foundation
import Testing
@testable import Engine

/// Runs `body` with kernels limited to `n` threads (`Parallel.withThreads`: local to this test,
/// so tests running side by side do not race on a global setting).
func withThreads<T>(_ n: Int, _ body: () -> T) -> T { Parallel.withThreads(n, body) }

@Suite("ParallelTests")
struct ParallelTests {
    /// Every index must be visited exactly once: a missed chunk or a chunk run twice (a worker
    /// picking up a stale job) shows up as a count other than 1.
    @Test("forRanges visits every index exactly once", arguments: [1, 7, 33, 127, 1000, 100_003])
    func coversOnce(count: Int) {
        for threads in [1, 2, 3, 8] {
            var hits = [Int32](repeating: 0, count: count)
            hits.withUnsafeMutableBufferPointer { h in
                withThreads(threads) {
                    for _ in 0..<20 {
                        Parallel.forRanges(count) { r in for i in r { h[i] += 1 } }
                    }
                }
            }
            #expect(hits.allSatisfy { $0 == 20 }, "count \(count), threads \(threads)")
        }
    }

    @Test("a forRanges (fixed or guided) inside a running body completes (it runs on the caller)",
          arguments: [false, true])
    func nested(guided: Bool) {
        let split: (Int, (Range<Int>) -> Void) -> Void = { count, body in
            if guided { Parallel.forRangesGuided(count, grain: 1, body) } else { Parallel.forRanges(count, body) }
        }
        let outer = 9, inner = 33
        var hits = [Int32](repeating: 0, count: outer * inner)
        hits.withUnsafeMutableBufferPointer { h in
            withThreads(2) {
                split(outer) { r in
                    for i in r { split(inner) { q in for j in q { h[i * inner + j] += 1 } } }
                }
            }
        }
        #expect(hits.allSatisfy { $0 == 1 })
    }

    /// Several threads calling at once: one gets the pool, the others run their calls serially.
    /// A job handed to the wrong caller's chunks, or a chunk lost between callers, breaks a count.
    @Test("concurrent callers from several threads each get every index exactly once")
    func concurrentCallers() {
        let callers = 4, rounds = 500, count = 257
        var hits = [Int32](repeating: 0, count: callers * count)
        hits.withUnsafeMutableBufferPointer { h in
            let base = h.baseAddress!
            withThreads(2) {
                DispatchQueue.concurrentPerform(iterations: callers) { caller in
                    for _ in 0..<rounds {
                        Parallel.forRanges(count) { r in for i in r { base[caller * count + i] += 1 } }
                    }
                }
            }
        }
        #expect(hits.allSatisfy { $0 == Int32(rounds) })
    }

    @Test("forRangesGuided visits every index exactly once", arguments: [1, 7, 33, 127, 1000, 70_001])
    func guidedCoversOnce(count: Int) {
        for threads in [1, 2, 3, 8] {
            for grain in [1, 3] {
                var hits = [Int32](repeating: 0, count: count)
                hits.withUnsafeMutableBufferPointer { h in
                    withThreads(threads) {
                        for _ in 0..<20 {
                            Parallel.forRangesGuided(count, grain: grain) { r in for i in r { h[i] += 1 } }
                        }
                    }
                }
                #expect(hits.allSatisfy { $0 == 20 }, "count \(count), threads \(threads), grain \(grain)")
            }
        }
    }

    /// A guided claim starting at item `next` takes max(grain, remaining / (2·workers)) items, or
    /// the rest: so the ranges, in order, are a fixed sequence whichever threads took them. With
    /// 2 workers and 1000 items: 250, 187, 140, … down to the grain.
    @Test("guided claims shrink from remaining/(2·workers) down to the grain", arguments: [1, 4])
    func guidedClaimSizes(grain: Int) throws {
        guard #available(macOS 15.0, *) else { return }
        let count = 1000, workers = 2
        let lock = NSLock()
        var claims: [Range<Int>] = []
        // Tests run concurrently and the pool takes one job at a time: retry until it is free.
        // A retry waits a millisecond: 10 000 retries back to back took well under one other
        // test's job on a busy machine, and the test failed without having run.
        var ran = false
        let deadline = Date().addingTimeInterval(120)
        while !ran && Date() < deadline {
            ran = WorkerPool.shared.run(items: count, workers: workers, grain: grain) { r in
                lock.withLock { claims.append(r) }
            }
            if !ran { usleep(1000) }
        }
        try #require(ran, "the worker pool stayed busy")
        var expected: [Range<Int>] = [], next = 0
        while next < count {
            let size = min(count - next, max(grain, (count - next) / (2 * workers)))
            expected.append(next..<next + size)
            next += size
        }
        #expect(expected.first == 0..<250)
        #expect(claims.sorted { $0.lowerBound < $1.lowerBound } == expected)
    }

    @Test("many back-to-back tiny jobs complete and sum correctly")
    func manySmallJobs() {
        var total = 0
        var slots = [Int](repeating: 0, count: 4)
        withThreads(2) {
            for round in 0..<5000 {
                slots.withUnsafeMutableBufferPointer { s in
                    Parallel.forRanges(4) { r in for i in r { s[i] = round + i } }
                }
                total += slots.reduce(0, +) - 4 * round
            }
        }
        #expect(total == 5000 * 6)
    }
}

@Suite("BatchedMatMulTests")
struct BatchedMatMulTests {
    /// Shapes [batch, m, k, n], including 1s and odd sizes around the 14×32 register tile.
    static let shapes: [[Int]] = [[2, 1, 1, 1], [3, 7, 33, 5], [4, 33, 7, 127], [5, 127, 16, 33], [8, 64, 32, 64], [2, 17, 1, 40]]

    /// The batched product must be, entry by entry, exactly the single-product kernel on that
    /// entry's slices (for the forward and both backward products), whatever the thread count.
    @Test("batched matmul equals one Gemm.fast per batch entry, bit for bit", arguments: shapes)
    func matchesPerEntryKernel(shape: [Int]) throws {
        let (batch, m, k, n) = (shape[0], shape[1], shape[2], shape[3])
        let a = randomTensor([batch, m, k], seed: UInt64(batch * 1000 + m)), b = randomTensor([batch, k, n], seed: UInt64(n * 7 + k))
        let seed = randomTensor([batch, m, n], seed: 99, requiresGrad: false)
        var runs: [[[Float]]] = []
        for threads in [1, 2] {
            a.grad = nil; b.grad = nil
            let out = withThreads(threads) { () -> Tensor in
                let c = a.matmul(b)
                c.backward(seed)
                return c
            }
            runs.append([out.values, try #require(a.grad).values, try #require(b.grad).values])
        }
        #expect(runs[0].map { $0.map(\.bitPattern) } == runs[1].map { $0.map(\.bitPattern) })

        // The same three products, one entry at a time.
        let c = Tensor.zeros([batch, m, n]), da = Tensor.zeros([batch, m, k]), db = Tensor.zeros([batch, k, n])
        for i in 0..<batch {
            Gemm.fast(transA: false, transB: false, m: m, n: n, k: k, a: a.data + i * m * k, lda: k,
                      b: b.data + i * k * n, ldb: n, c: c.mutableData + i * m * n, ldc: n, accumulate: false, threads: 1)
            Gemm.fast(transA: false, transB: true, m: m, n: k, k: n, a: seed.data + i * m * n, lda: n,
                      b: b.data + i * k * n, ldb: n, c: da.mutableData + i * m * k, ldc: k, accumulate: false, threads: 1)
            Gemm.fast(transA: true, transB: false, m: k, n: n, k: m, a: a.data + i * m * k, lda: k,
                      b: seed.data + i * m * n, ldb: n, c: db.mutableData + i * k * n, ldc: n, accumulate: false, threads: 1)
        }
        #expect(runs[0][0].map(\.bitPattern) == c.values.map(\.bitPattern))
        #expect(runs[0][1].map(\.bitPattern) == da.values.map(\.bitPattern))
        #expect(runs[0][2].map(\.bitPattern) == db.values.map(\.bitPattern))
    }
}
