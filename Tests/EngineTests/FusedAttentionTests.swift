import Testing
@testable import Engine

/// The fused attention against the composed ops it replaces (reshape, permute, split, kᵀ,
/// two batched products, softmax, permute back), bit for bit, and against finite differences.
@Suite("FusedAttentionTests")
struct FusedAttentionTests {
    /// The composed path exactly as the attention layer used to run it.
    static func composed(_ qkv: Tensor, heads: Int, causal: Bool) -> (Tensor, Tensor) {
        let b = qkv.shape[0], t = qkv.shape[1], c = qkv.shape[2] / 3, d = c / heads
        let parts = qkv.reshape([b, t, 3, heads, d]).permute([2, 0, 3, 1, 4]).split(axis: 0, sizes: [1, 1, 1])
        let q = parts[0].reshape([b, heads, t, d]), k = parts[1].reshape([b, heads, t, d])
        let v = parts[2].reshape([b, heads, t, d])
        let scores = q.matmul(k.transpose())
        let scale = 1 / Float(d).squareRoot()
        let weights = causal ? scores.causalSoftmax(scale: scale) : scores.scaled(scale).softmax()
        return (weights.matmul(v).permute([0, 2, 1, 3]).reshape([b, t, c]), weights)
    }

    /// [B, T, heads, D]: sizes around the 14×32 register tile, a single position, a single head.
    @Test("fused attention equals the composed ops, forward and backward, for 1 and 2 threads",
          arguments: [[2, 7, 2, 3], [1, 1, 1, 4], [3, 33, 4, 16], [1, 127, 2, 5], [2, 64, 4, 16]])
    func matchesComposed(shape: [Int]) throws {
        let (b, t, heads, d) = (shape[0], shape[1], shape[2], shape[3])
        let c = heads * d
        for causal in [true, false] {
            let upstream = randomTensor([b, t, c], seed: 7, requiresGrad: false)
            var runs: [[UInt32]] = []
            for threads in [1, 2] {
                let qkv = randomTensor([b, t, 3 * c], seed: UInt64(t * 10 + d), std: 2)
                let (out, weights) = withThreads(threads) { qkv.fusedSelfAttention(heads: heads, causal: causal) }
                withThreads(threads) { out.backward(upstream) }
                let dFused = try #require(qkv.grad).values
                qkv.grad = nil
                let (plainOut, plainWeights) = Self.composed(qkv, heads: heads, causal: causal)
                plainOut.backward(upstream)
                let dPlain = try #require(qkv.grad).values
                #expect(out.values.map(\.bitPattern) == plainOut.values.map(\.bitPattern), "causal \(causal)")
                #expect(weights.values.map(\.bitPattern) == plainWeights.values.map(\.bitPattern), "causal \(causal)")
                #expect(dFused.map(\.bitPattern) == dPlain.map(\.bitPattern), "causal \(causal)")
                runs.append((out.values + dFused).map(\.bitPattern))
            }
            #expect(runs[0] == runs[1])
        }
    }

    /// Position 0 sees only itself under the causal mask, so its output is exactly its own v.
    @Test func firstPositionCopiesItsValue() {
        let qkv = randomTensor([2, 5, 3 * 8], seed: 3, requiresGrad: false)
        let (out, _) = qkv.fusedSelfAttention(heads: 2, causal: true)
        for s in 0..<2 {
            for j in 0..<8 {
                #expect(out.values[s * 5 * 8 + j] == qkv.values[s * 5 * 24 + 16 + j])
            }
        }
    }

    @Test func gradientCheck() {
        let qkv = randomTensor([2, 4, 3 * 6], seed: 11)
        let w = randomTensor([2, 4, 6], seed: 12, requiresGrad: false)
        for causal in [true, false] {
            expectGradients([qkv], depth: 8) { ($0[0].fusedSelfAttention(heads: 2, causal: causal).output * w).sum() }
        }
    }
}
