import Ch02Attention
import Engine
import Models
import Testing

/// The GPT as the chapter uses it: causal, cache-consistent, able to memorise, reproducible.
@Suite struct GPTBehaviourTests {
    let config = GPTConfig(vocab: 256, context: 32, width: 32, heads: 4, layers: 2)

    @Test func laterTokensDoNotChangeEarlierLogits() {
        let model = GPT(config, seed: 21)
        let a = byteIDs("Mia gave Tom a red cup.")
        var b = a
        b[b.count - 1] = Int(UInt8(ascii: "!"))
        b[b.count - 2] = Int(UInt8(ascii: "X"))
        let (la, lb) = Tensor.noGrad { (model([a]), model([b])) }
        let v = config.vocab, t = a.count
        // Rows before the first changed position: the mask gives the changed keys weight exactly
        // 0 and every other op works row by row, so nothing may differ at all.
        var earlier: Float = 0, later: Float = 0
        for i in 0..<((t - 2) * v) { earlier = max(earlier, abs(la.data[i] - lb.data[i])) }
        for i in ((t - 2) * v)..<(t * v) { later = max(later, abs(la.data[i] - lb.data[i])) }
        #expect(earlier == 0)
        #expect(later > 1e-3)  // the changed positions themselves do see the change
    }

    @Test func cachedGenerationMatchesFullRecomputation() {
        let model = GPT(config, seed: 22)
        let c = compareCachedGeneration(model, prompt: byteIDs("Once"), count: 24,
                                        rule: .sample(temperature: 1, topK: nil), seed: 5)
        #expect(c.cachedTokens == c.uncachedTokens)
        #expect(c.cachedTokens.count == 28)
        // The cache computes the same sums in a different order (a plain loop over the head
        // width instead of the matrix kernel). Float32 rounds each sum of n terms by at most
        // ~n·2⁻²⁴ of its magnitude; with n ≤ 4·width = 128 that is ~1e-5 per product, and a few
        // products chain through two layers and the head, so 1e-4 of the logit scale bounds
        // rounding, while a wrong position or a missing key changes logits by O(0.1).
        #expect(c.maxLogitDifference <= 1e-4 * max(1, c.maxLogit))
        #expect(c.cachedPositions == 27 && c.uncachedPositions == (4..<28).reduce(0, +))
    }

    @Test func smallGPTMemorisesAShortText() throws {
        let text = byteIDs("Lily gave Mia a yellow cup. Tom laughed.")
        let inputs = [Array(text.dropLast())], targets = [Array(text.dropFirst())]
        let model = GPT(GPTConfig(vocab: 256, context: 48, width: 32, heads: 2, layers: 2), seed: 23)
        let opt = AdamW(model.parameters, lr: 1e-2, weightDecay: 0)
        var first: Float = 0, last: Float = 0
        for step in 0..<150 {
            let loss = model.loss(inputs, targets)
            if step == 0 { first = loss.item() }
            last = loss.item()
            opt.zeroGrad()
            loss.backward()
            opt.step()
        }
        #expect(first > 5)        // ≈ ln 256 = 5.55 nats at initialisation
        #expect(last < 0.05)      // every byte predicted with probability ≳ 0.95
    }

    @Test func samplingWithASeedIsReproducible() {
        let model = GPT(config, seed: 24)
        let rule = SamplingRule.sample(temperature: 1, topK: 20)
        var r1 = RNG(seed: 9), r2 = RNG(seed: 9), r3 = RNG(seed: 10)
        let a = sampleText(model, prompt: "The", count: 20, rule: rule, rng: &r1)
        let b = sampleText(model, prompt: "The", count: 20, rule: rule, rng: &r2)
        let c = sampleText(model, prompt: "The", count: 20, rule: rule, rng: &r3)
        #expect(a == b)
        #expect(a != c)
        // Longer than the context: the sliding-window generator, also reproducible.
        var r4 = RNG(seed: 9), r5 = RNG(seed: 9)
        #expect(sampleText(model, prompt: "The", count: 50, rule: rule, rng: &r4)
                == sampleText(model, prompt: "The", count: 50, rule: rule, rng: &r5))
    }

    @Test func samplingFollowsTheStatedDistribution() {
        let logits: [Float] = [2, 1, 0.5, 0, -1]
        let p = samplingDistribution(logits, temperature: 0.5, topK: 3)
        #expect(p[3] == 0 && p[4] == 0)
        #expect(abs(p.reduce(0, +) - 1) < 1e-6)
        var rng = RNG(seed: 25)
        var counts = [Int](repeating: 0, count: 5)
        let n = 20_000
        for _ in 0..<n { counts[SamplingRule.sample(temperature: 0.5, topK: 3).pick(logits, rng: &rng)] += 1 }
        for i in 0..<5 {
            let f = Double(counts[i]) / Double(n), pi = Double(p[i])
            // Five binomial standard errors: a wrong temperature or cut would be far outside.
            #expect(abs(f - pi) <= 5 * (pi * (1 - pi) / Double(n)).squareRoot() + 1e-9)
        }
        // Low temperature approaches greedy; high temperature approaches uniform over the top k.
        #expect(samplingDistribution(logits, temperature: 0.05, topK: nil)[0] > 0.99)
        let flat = samplingDistribution(logits, temperature: 100, topK: 3)
        #expect(abs(flat[0] - 1.0 / 3) < 0.01 && abs(flat[2] - 1.0 / 3) < 0.01)
    }
}
