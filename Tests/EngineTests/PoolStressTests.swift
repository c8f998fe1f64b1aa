import Foundation
import Testing
@testable import Engine

/// Chapter-sized training steps from several threads at once, all through the one worker pool.
///
/// The pool serves one caller at a time and runs everyone else's calls serially on their own
/// thread, and the GEMM keeps packing buffers per thread. A job that picked up another caller's
/// chunks, a scratch buffer shared between threads, or a thread count leaking from one caller to
/// another would change some caller's numbers; here every concurrent result must equal, bit for
/// bit, the same step run alone.
@Suite("Worker pool under concurrent chapter-sized work")
struct PoolStressTests {
    /// One training step of a small conv + attention + MLP model on seeded data: the loss and
    /// every gradient, as bit patterns. Sizes take the fast paths: Winograd (8 channels, 16 wide),
    /// the register-tiled GEMM and the fused attention.
    static func step(seed: UInt64) -> [UInt32] {
        var rng = RNG(seed: seed)
        let x = Tensor.randn([2, 8, 16, 16], rng: &rng)
        let w1 = Tensor.randn([8, 8, 3, 3], std: 0.2, rng: &rng, requiresGrad: true)
        let b1 = Tensor.randn([8], std: 0.1, rng: &rng, requiresGrad: true)
        let wq = Tensor.randn([32, 96], std: 0.1, rng: &rng, requiresGrad: true)
        let wo = Tensor.randn([32, 10], std: 0.1, rng: &rng, requiresGrad: true)
        // [2, 8, 16, 16] → 2 × 64 tokens of width 32 → attention → 10 classes per token.
        let h = conv2d(x, w1, b1, padding: 1).gelu().reshape([2, 64, 32])
        let att = h.matmul(wq).fusedSelfAttention(heads: 4, causal: true).output
        let logits = att.matmul(wo).reshape([128, 10])
        let targets = (0..<128).map { ($0 * 7 + Int(seed)) % 10 }
        let loss = crossEntropy(logits, targets)
        loss.backward()
        var bits = loss.values.map(\.bitPattern)
        for p in [w1, b1, wq, wo] { bits += p.grad!.values.map(\.bitPattern) }
        return bits
    }

    @Test("concurrent training steps on the pool equal the same steps run alone")
    func concurrentStepsMatchSerial() {
        let callers = 4, rounds = 6
        // Alone first: one thread for the whole program, then two pool threads.
        let alone = (0..<callers).map { c in Parallel.withThreads(1) { Self.step(seed: UInt64(c)) } }
        let aloneTwo = (0..<callers).map { c in Parallel.withThreads(2) { Self.step(seed: UInt64(c)) } }
        #expect(alone == aloneTwo, "a step's result depends on the thread count")
        let results = UnsafeMutablePointer<[UInt32]>.allocate(capacity: callers * rounds)
        results.initialize(repeating: [], count: callers * rounds)
        defer { results.deinitialize(count: callers * rounds); results.deallocate() }
        DispatchQueue.concurrentPerform(iterations: callers) { c in
            // Callers ask for different thread counts, so a count leaking between them would show.
            Parallel.withThreads(1 + c % 2) {
                for r in 0..<rounds { results[c * rounds + r] = Self.step(seed: UInt64(c)) }
            }
        }
        for c in 0..<callers {
            for r in 0..<rounds {
                #expect(results[c * rounds + r] == alone[c], "caller \(c), round \(r) differs from its step run alone")
            }
        }
    }
}
