import Engine
import Testing
@testable import Ch01Tokens

@Suite struct EmbeddingLookupTests {
    /// The gather and the one-hot product agree exactly, and so do their gradients; the gradient
    /// rows are the sums of the upstream rows of each id (a repeated id adds, unused rows are zero).
    @Test func lookupEqualsOneHotMatmulWithGradients() {
        var rng = RNG(seed: 11)
        let table = Tensor.randn([6, 3], rng: &rng)
        let ids = [4, 0, 4, 2]
        let seed = Tensor.randn([ids.count, 3], rng: &rng)
        let c = compareLookup(table: table, ids: ids, seed: seed)
        // Products with exact 0s and 1s add nothing but the chosen row, so equality is exact.
        #expect(c.outputDifference == 0)
        #expect(c.gradientDifference == 0)
        for (i, id) in ids.enumerated() {
            for j in 0..<3 { #expect(c.gathered[i, j] == table[id, j]) }
        }
        for j in 0..<3 {
            #expect(c.gatherGradient[4, j] == seed[0, j] + seed[2, j])
            #expect(c.gatherGradient[0, j] == seed[1, j])
            #expect(c.gatherGradient[2, j] == seed[3, j])
            for unused in [1, 3, 5] { #expect(c.gatherGradient[unused, j] == 0) }
        }
    }

    @Test func oneHotHasASingleOnePerRow() {
        let t = oneHot([2, 0], vocab: 3)
        #expect(t.shape == [2, 3])
        #expect(t.values == [0, 0, 1, 1, 0, 0])
    }
}
