import Ch04Scaling
import Models
import Testing

/// Step 1: the cost model.
@Suite struct FLOPCountTests {
    /// Width 32, 2 layers, context 64, by hand. Per block: attention qkv 32·96 + 96 and proj
    /// 32·32 + 32 = 4224; MLP 32·128 + 128 and 128·32 + 32 = 8352; two layer norms 128; so 12704.
    /// N = 2·12704 + 64 (final norm) = 25472. Forward: 2·(25472 + 32·256) = 67328 for the weights
    /// and head, plus 2 layers × 4·64·32 = 16384 for attention: 83712. Training = 3 × = 251136.
    @Test func handCountForOneConfiguration() {
        let size = ModelSize(width: 32, layers: 2, heads: 2)
        #expect(size.parameters == 25472)
        let config = size.config(context: 64)
        #expect(trainingFLOPsPerToken(config) == 251_136)
        // And the parameters the model really allocates, minus embeddings and head, agree.
        let model = GPT(config, seed: 0)
        #expect(model.parameterCount - 256 * 32 - 64 * 32 - 32 * 256 == 25472)
    }

    /// The family spans at least 30× in N, smallest first, as the issue asks.
    @Test func familySpansThirtyFold() {
        let sizes = ScalingPlan.chapter(quick: false).sizes
        #expect(sizes.count >= 6)
        #expect(zip(sizes, sizes.dropFirst()).allSatisfy { $0.parameters < $1.parameters })
        #expect(Double(sizes.last!.parameters) / Double(sizes.first!.parameters) >= 30)
    }
}
