import Testing
@testable import Engine

/// The fused causal softmax against the three ops it replaces, bit for bit, and against finite
/// differences.
@Suite("CausalSoftmaxTests")
struct CausalSoftmaxTests {
    @Test("causalSoftmax equals scaled → maskedFill(−∞) → softmax, forward and backward, for 1 and 2 threads",
          arguments: [[1, 1], [2, 3, 7, 7], [1, 2, 33, 33], [127, 127]])
    func matchesUnfused(shape: [Int]) throws {
        let t = shape.last!, scale: Float = 0.37
        let upstream = randomTensor(shape, seed: 41, requiresGrad: false)
        var runs: [[UInt32]] = []
        for threads in [1, 2] {
            let x = randomTensor(shape, seed: 40, std: 4)
            let fused = withThreads(threads) { x.causalSoftmax(scale: scale) }
            withThreads(threads) { fused.backward(upstream) }
            let dFused = try #require(x.grad).values
            x.grad = nil
            let plain = x.scaled(scale).maskedFill(MultiHeadSelfAttention.causalMask(t), -Float.infinity).softmax()
            plain.backward(upstream)
            let dPlain = try #require(x.grad).values
            #expect(fused.values.map(\.bitPattern) == plain.values.map(\.bitPattern))
            #expect(dFused.map(\.bitPattern) == dPlain.map(\.bitPattern))
            // Row i has exactly i + 1 visible weights, summing to 1.
            let y = fused.values
            for row in 0..<(x.count / t) {
                let i = row % t
                #expect(y[(row * t + i + 1)..<(row * t + t)].allSatisfy { $0 == 0 })
                #expect(abs(y[(row * t)...(row * t + i)].reduce(0, +) - 1) < 1e-5)
            }
            runs.append((y + dFused).map(\.bitPattern))
        }
        #expect(runs[0] == runs[1])
    }

    @Test func gradientCheck() {
        let x = randomTensor([2, 5, 5], seed: 42)
        // Weight the outputs so the gradient is not the trivially zero one of Σ softmax = 1.
        let w = randomTensor([2, 5, 5], seed: 43, requiresGrad: false)
        expectGradients([x], depth: 8) { ($0[0].causalSoftmax(scale: 0.5) * w).sum() }
    }
}
