import Ch04Scaling
import Foundation
import Testing

/// Steps 2–3 on the quick plan: real training runs, tiny.
@Suite struct TrainingTests {
    /// In quick mode the largest model must end below the smallest after the same tokens. The
    /// quick sizes differ 29× in N; in the chapter's quick runs the gap is several tenths of a bit,
    /// while seed noise is a few hundredths, so a margin of 0.05 bits separates "bigger is better"
    /// from a tie (a broken model, a shared seed bug or swapped sizes would fail it).
    @Test func largestBeatsSmallestAtEqualTokens() {
        let plan = ScalingPlan.chapter(quick: true)
        let data = ScalingData(trainDocuments: plan.trainDocuments, validationDocuments: plan.validationDocuments, context: plan.context)
        let small = train(plan.run(plan.sizes.first!, seed: 1), data: data)
        let large = train(plan.run(plan.sizes.last!, seed: 1), data: data)
        #expect(small.checkpoints.last!.tokens == large.checkpoints.last!.tokens)
        #expect(large.finalBits! < small.finalBits! - 0.05)
        // The loss per position covers the whole window and is finite; in quick mode the models
        // are still near the bigram plateau, so no claim about its shape is tested here.
        #expect(large.positionBits.count == plan.context && large.positionBits.allSatisfy(\.isFinite))
    }

    /// A cached run reads back equal to the one stored; a corrupt file is ignored (nil), and
    /// `fresh` ignores a good one.
    @Test func cacheRoundTripAndCorruption() throws {
        let dir = NSTemporaryDirectory() + "ch04-cache-test-\(getpid())"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let plan = ScalingPlan.chapter(quick: true)
        var config = plan.run(plan.sizes[0], seed: 5)
        config.steps = 6
        config.checkpoints = [3, 6]
        let data = ScalingData(trainDocuments: plan.trainDocuments, validationDocuments: plan.validationDocuments, context: plan.context)
        let cache = RunCache(directory: dir, fresh: false)
        let (first, cached1) = try cache.result(for: config) { train(config, data: data) }
        #expect(!cached1)
        let (second, cached2) = try cache.result(for: config) { Issue.record("should have been cached"); return first }
        #expect(cached2)
        #expect(second == first)
        #expect(second.checkpoints.map(\.bits) == first.checkpoints.map(\.bits))   // bit-exact through JSON
        // Training is deterministic, so a fresh run equals the cached one.
        #expect(train(config, data: data) == first)
        #expect(RunCache(directory: dir, fresh: true).load(config) == nil)
        // A different configuration does not match the file.
        var other = config
        other.seed = 6
        #expect(cache.load(other) == nil)
        try Data("{ not json".utf8).write(to: URL(fileURLWithPath: cache.path(for: config)))
        #expect(cache.load(config) == nil)
    }

    /// Interpolation on a learning curve is linear in log(tokens) and refuses to extrapolate.
    @Test func curveInterpolation() throws {
        let curve = LossCurve(parameters: 1000, flopsPerToken: 10, tokens: [100, 10_000], bits: [3, 1])
        #expect(abs(try #require(curve.bits(atTokens: 1000)) - 2) < 1e-12)
        #expect(curve.bits(atTokens: 50) == nil && curve.bits(atTokens: 20_000) == nil)
        #expect(abs(try #require(curve.bits(atFLOPs: 10_000)) - 2) < 1e-12)
        #expect(abs(try #require(curve.tokens(toReach: 2)) - 1000) < 1e-6)
    }
}
