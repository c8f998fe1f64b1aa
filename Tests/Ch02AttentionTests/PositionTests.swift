import Ch02Attention
import Engine
import Models
import Testing

/// Step 4 and 5: positions and the parameter breakdown.
@Suite struct PositionTests {
    @Test func attentionWithoutPositionsIsPermutationEquivariant() {
        var rng = RNG(seed: 31)
        let attention = MultiHeadSelfAttention(dim: 16, heads: 4, causal: false, rng: &rng)
        let t = 10
        let x = Tensor.randn([t, 16], std: 1, rng: &rng)
        let permutation = rng.permutation(t)
        // Same sums, terms in another order: float32 rounding only (outputs are O(1)).
        #expect(permutationGap(attention, x, permutation: permutation) < 1e-5)
        let positions = Tensor(shape: [t, 16], values: sinusoidalPositions(count: t, dim: 16).flatMap { $0 })
        #expect(permutationGapWithPositions(attention, x, positions: positions, permutation: permutation) > 1e-2)
    }

    @Test func sinusoidalTableHasTheClosedForm() {
        let pe = sinusoidalPositions(count: 50, dim: 8)
        #expect(pe[0] == [0, 1, 0, 1, 0, 1, 0, 1])
        #expect(abs(pe[3][0] - Float(sin(3.0))) < 1e-6)
        #expect(abs(pe[7][3] - Float(cos(7.0 * 0.1))) < 1e-6)   // ω₁ = 10000^(−2/8) = 0.1
        // The dot product of two positions depends only on their distance: Σ cos(k·ωᵢ).
        func dot(_ a: [Float], _ b: [Float]) -> Float { zip(a, b).reduce(0) { $0 + $1.0 * $1.1 } }
        #expect(abs(dot(pe[2], pe[7]) - dot(pe[30], pe[35])) < 1e-5)
    }

    @Test func parameterBreakdownAddsUpToTheFormula() {
        let config = GPTConfig(vocab: 256, context: 64, width: 32, heads: 4, layers: 3)
        let parts = parameterBreakdown(GPT(config, seed: 32))
        #expect(parts.reduce(0) { $0 + $1.count } == config.totalParameters)
        let d = 32
        #expect(parts.first { $0.part == "block 2 attention" }?.count == 4 * d * d + 4 * d)
        #expect(parts.first { $0.part == "block 3 MLP" }?.count == 8 * d * d + 5 * d)
        #expect(parts.first { $0.part == "token embedding" }?.count == 256 * d)
        #expect(parts.first { $0.part == "output head" }?.count == d * 256)
        #expect(parts.count == 2 + 3 * 3 + 2)   // embeddings, 3 × (attention, MLP, norms), final norm and head
    }

    @Test func headPatternsPointWhereTheyShould() {
        let ids = byteIDs("the cat sat")
        #expect(AttentionPattern.previous.targets(ids, 5) == [4])
        #expect(AttentionPattern.wordStart.targets(ids, 6) == [4])      // "t" of "cat" → "c"
        #expect(AttentionPattern.wordStart.targets(ids, 4) == [])       // a word's first letter has no earlier start
        #expect(AttentionPattern.lastSpace.targets(ids, 9) == [7])
        #expect(AttentionPattern.capitals.targets(byteIDs("Mia and Tom"), 10) == [0, 8])
    }

    @Test func uniformHeadsScoreAtChance() {
        // Zero queries and keys make every score 0, so every head spreads its attention evenly:
        // its measured weight must equal the chance level, whose closed form is mean of 1/(t+1).
        let model = GPT(GPTConfig(vocab: 256, context: 16, width: 8, heads: 2, layers: 1), seed: 33)
        let w = model.blocks[0].attn.qkv.weight, b = model.blocks[0].attn.qkv.bias!
        for i in 0..<(16 * 8) { w.storage.pointer[i] = 0 }       // q and k rows → scores all 0 → uniform weights
        for i in 0..<16 { b.storage.pointer[i] = 0 }
        let ids = byteIDs("abcdefgh")
        let scores = measureHeads(model, sequences: [ids])
        for h in 0..<2 {
            let same = scores[0][h][1]                 // patterns: previous, same, …
            #expect(abs(same.weight - same.uniform) < 1e-6)
            #expect(abs(same.uniform - (1...8).reduce(0.0) { $0 + 1 / Double($1) } / 8) < 1e-9)
        }
    }
}
