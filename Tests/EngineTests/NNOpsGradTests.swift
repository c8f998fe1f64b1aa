import Testing
@testable import Engine
import Foundation

/// Softmax family, losses, normalisation, embedding, masking, dropout.
@Suite struct NNOpsGradTests {
    @Test func softmaxValuesAndStability() {
        let x = Tensor(shape: [2, 3], values: [1, 2, 3, 1000, 1000, 1000])
        let y = x.softmax().values
        let e1 = Float(1 / (1 + M_E + M_E * M_E))
        #expect(abs(y[0] - e1) < 1e-6)
        #expect(y[3...].allSatisfy { abs($0 - 1.0 / 3) < 1e-6 })  // no overflow at 1000
        let ls = x.logSoftmax().values
        #expect(abs(ls[0] - Float(log(Double(e1)))) < 1e-5)
    }

    @Test func softmaxFamilyGradients() {
        let x = randomTensor([3, 5], seed: 30)
        expectGradients([x]) { $0[0].softmax() }
        expectGradients([x]) { $0[0].logSoftmax() }
    }

    @Test func crossEntropyValueAndGradient() {
        let logits = randomTensor([4, 6], seed: 31)
        let targets = [0, 5, 2, 3]
        // Value: mean of −log softmax at the target.
        let ls = logits.logSoftmax()
        var expected: Float = 0
        for (r, t) in targets.enumerated() { expected -= ls[r, t] }
        expected /= 4
        #expect(abs(crossEntropy(logits, targets).item() - expected) < 1e-5)
        expectGradients([logits]) { crossEntropy($0[0], targets) }
    }

    @Test func crossEntropyIgnoreIndex() {
        let logits = randomTensor([3, 4], seed: 32)
        let full = crossEntropy(logits.slice(axis: 0, 0..<2), [1, 2]).item()
        let masked = crossEntropy(logits, [1, 2, -100], ignoreIndex: -100)
        #expect(abs(masked.item() - full) < 1e-6)
        masked.backward()
        #expect(logits.grad!.values[8..<12].allSatisfy { $0 == 0 })
        expectGradients([logits]) { crossEntropy($0[0], [1, -100, 3], ignoreIndex: -100) }
    }

    @Test func mseValueAndGradient() {
        let a = Tensor([1, 2, 3], requiresGrad: true), b = Tensor([1, 0, 6], requiresGrad: true)
        #expect(mseLoss(a, b).item() == Float(0 + 4 + 9) / 3)
        expectGradients([randomTensor([2, 3], seed: 33), randomTensor([2, 3], seed: 34)]) { mseLoss($0[0], $0[1]) }
    }

    @Test func layerNormValuesAndGradients() {
        let x = randomTensor([2, 3, 8], seed: 35)
        let y = x.layerNorm(weight: nil, bias: nil)
        for r in 0..<6 {
            let row = Array(y.values[(r * 8)..<(r * 8 + 8)])
            let m = row.reduce(0, +) / 8
            let v = row.map { ($0 - m) * ($0 - m) }.reduce(0, +) / 8
            #expect(abs(m) < 1e-6)
            #expect(abs(v - 1) < 1e-3)  // eps = 1e-5 shrinks the variance by ~1e-5 / σ²
        }
        let w = randomTensor([8], seed: 36), b = randomTensor([8], seed: 37)
        expectGradients([x, w, b], depth: 64) { $0[0].layerNorm(weight: $0[1], bias: $0[2]) }
        // 37 columns: two full 16-lane blocks and a 5-lane tail whose padding must not count.
        let wide = randomTensor([3, 37], seed: 135, std: 3)
        let yw = wide.layerNorm(weight: nil, bias: nil).values
        for r in 0..<3 {
            let row = yw[(r * 37)..<(r * 37 + 37)].map(Double.init)
            let m = row.reduce(0, +) / 37
            #expect(abs(m) < 1e-6)
            #expect(abs(row.map { ($0 - m) * ($0 - m) }.reduce(0, +) / 37 - 1) < 1e-5)
        }
        let ww = randomTensor([37], seed: 136), bw = randomTensor([37], seed: 137)
        expectGradients([wide, ww, bw], depth: 64) { $0[0].layerNorm(weight: $0[1], bias: $0[2]) }
    }

    @Test func groupNormGradients() {
        let x = randomTensor([2, 4, 3, 3], seed: 38)
        let w = randomTensor([4], seed: 39), b = randomTensor([4], seed: 40)
        expectGradients([x, w, b], depth: 64) { $0[0].groupNorm(groups: 2, weight: $0[1], bias: $0[2]) }
    }

    @Test func embeddingGatherAndScatter() {
        let table = randomTensor([5, 3], seed: 41)
        let ids = [4, 0, 4, 2]
        let y = embedding(table, ids: ids, shape: [2, 2])
        #expect(y.shape == [2, 2, 3])
        #expect(Array(y.values[0..<3]) == Array(table.values[12..<15]))
        expectGradients([table]) { embedding($0[0], ids: ids, shape: [2, 2]) }
    }

    @Test func maskedFillStopsGradient() {
        let x = randomTensor([2, 3], seed: 42)
        let mask = Tensor(shape: [1, 3], values: [0, 1, 0])
        let y = x.maskedFill(mask, -1e9)
        #expect(y[1, 1] == -1e9 && y[1, 0] == x[1, 0])
        expectGradients([x]) { $0[0].maskedFill(mask, 0) }
    }

    @Test func dropoutIsSeededAndUnbiased() {
        let x = Tensor.ones([10_000], requiresGrad: true)
        var r1 = RNG(seed: 5), r2 = RNG(seed: 5)
        let a = x.dropout(0.25, training: true, rng: &r1), b = x.dropout(0.25, training: true, rng: &r2)
        #expect(a.values == b.values)
        let kept = a.values.filter { $0 != 0 }.count
        // Binomial(10000, 0.75): sd ≈ 43, so ±5 sd is ±217.
        #expect(abs(kept - 7500) < 217)
        #expect(a.values.allSatisfy { $0 == 0 || abs($0 - 4.0 / 3) < 1e-6 })
        var r3 = RNG(seed: 5)
        #expect(x.dropout(0.25, training: false, rng: &r3) === x)
    }
}
