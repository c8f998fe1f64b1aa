import Foundation
import Testing
import Engine
import Datasets
import Models
@testable import Ch03Data

/// The whole pipeline on a small crawl (a few seconds).
let smallRun: (pool: CrawlPool, result: CurationResult) = {
    var mix = CrawlMix.standard(scale: 0.05)
    mix.cleanStories = 120
    mix.copiedStories = 20
    mix.maxCopies = 40
    let pool = CrawlPool(mix: mix, seed: 4)
    let extracted = pool.documents.map { Extraction.extract($0.text) }
    let models = trainCurationModels(pool: pool, extracted: extracted, samples: 300, seed: 4)
    return (pool, curate(pool, extracted: extracted, models: models))
}()

@Test func funnelCountsAddUp() {
    let (pool, r) = smallRun
    let s = r.stages
    #expect(s[0].documentsOut == pool.documents.count)
    for k in 1..<s.count {
        #expect(s[k].documentsIn == s[k - 1].documentsOut)
        #expect(s[k].documentsOut == s[k].documentsIn - s[k].removed)
        #expect(s[k].removedTargets <= min(s[k].removed, s[k].targetsIn))
    }
    #expect(s.reduce(0) { $0 + $1.removed } + r.kept.count == pool.documents.count)
    #expect(r.kept.count == r.texts.count && r.kept == r.kept.sorted())
    // Until masking changes lengths, no stage adds tokens.
    for k in 1..<(s.count - 2) { #expect(s[k].tokensOut <= s[k - 1].tokensOut) }
}

@Test func pipelineRemovesWhatItShould() {
    let (pool, r) = smallRun
    let kept = r.kept.map { pool.documents[$0].kind }
    for bad in [CrawlKind.foreign, .boilerplate, .spam] { #expect(!kept.contains(bad), "\(bad)") }
    // Harmful text hidden in a story can slip through the classifier now and then.
    #expect(kept.filter { $0 == .harmful }.count <= 1)
    // Each story survives about once: at most 2% of kept stories are a second copy (MinHash
    // misses a pair now and then, as its S-curve says).
    let groups = r.kept.compactMap { pool.documents[$0].group }
    #expect(groups.count - Set(groups).count <= max(1, groups.count / 50))
    // Most distinct stories survive (the classifier is tuned to drop about 2% of good pages).
    #expect(Double(Set(groups).count) / 120 >= 0.75)
    // Masking replaced exactly the planted personal data and no lookalike.
    #expect(r.masked == r.plantedInKept && r.lookalikesMasked == 0)
    // Nothing the curated set holds still carries an "@".
    #expect(!r.texts.contains { $0.contains("@") })
}

@Test func cachedTrainingRunIsBitIdentical() throws {
    let dir = NSTemporaryDirectory() + "ch03-cache-\(UInt32.random(in: 0...UInt32.max))"
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let corpus = StoryCorpus(seed: 1)
    let data = ByteCorpus(trainTexts: corpus.documents(0..<40).map(\.text), validationTexts: corpus.documents(40..<50).map(\.text))
    var config = Ch03Data.ChapterRun.pretraining(quick: true)
    config.model = GPTConfig(vocab: 256, context: 16, width: 16, heads: 2, layers: 1)
    config.steps = 20
    config.evaluateAt = [0, 20]
    config.validationBatches = 1
    let cache = TrainingCache(folder: dir, fresh: false)
    let fresh = try trainGPT(config, data: data, seed: 3, name: "test", cache: cache)
    let again = try trainGPT(config, data: data, seed: 3, name: "test", cache: cache)
    #expect(!fresh.cached && again.cached)
    #expect(fresh.validationBits == again.validationBits)
    #expect(fresh.model.parameters.map { $0.values } == again.model.parameters.map { $0.values })
    // Training did something: the loss is below the uniform 8 bits per byte.
    #expect(fresh.validationBits < 7.5)
}

@Test func contaminationDetectorsOnHandMadeSamples() {
    let id = LanguageID(english: referenceStories(200, seed: 1), other: veltishSamples(characters: 70_000, seed: 1))
    #expect(!Contamination("Tom went to the park with his red ball and was happy.", language: id).any)
    #expect(Contamination("BUY CHEAP PILLS NOW at www.deals.example", language: id).spam)
    #expect(Contamination("Tom wrote to tom.fox1@mail.example today and was happy.", language: id).pii)
    #expect(Contamination("Kvaaze ta zunkoth vo qyxaa ke thaanuuk zhoe.", language: id).otherLanguage)
    #expect(Contamination("the red fox the red fox the red fox the red fox the red fox the red fox", language: id).garbage)
}
