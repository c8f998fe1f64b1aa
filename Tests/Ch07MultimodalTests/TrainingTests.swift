import Datasets
import Engine
import Foundation
import Testing
@testable import Ch07Multimodal

/// Short training runs with fixed seeds: each model learns, and cached runs come back identical.
@Suite(.serialized) struct TrainingTests {
    func tempDir() throws -> String {
        let d = FileManager.default.temporaryDirectory.appendingPathComponent("ch07-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: d, withIntermediateDirectories: true)
        return d
    }

    /// The quick run's alignment model retrieves held-out captions far above chance: image → text
    /// recall@5 at least 3× the rate of a random ranking. (A model whose towers ignore their input
    /// scores the chance rate; one trained on shuffled pairs as well.)
    @Test func quickAlignmentRetrievesAboveChance() {
        let s = MultimodalSettings.quick
        let data = MultimodalData(s, seed: 0)
        let a = trainAlignment(AlignmentRecipe(s, seed: 0), train: data.train, cache: TrainingCache(folder: nil, fresh: false))
        let caps = data.test.scenes.map(SceneCaptions.canonical)
        let r = retrievalScores(imageEmbeddings: a.model.imageEmbeddings(data.test.images), captions: caps,
                                textEmbeddings: a.model.textEmbeddings(caps))
        #expect(r.imageToText.at5 > 3 * r.chance.at5, "recall@5 \(r.imageToText.at5), chance \(r.chance.at5)")
        let first: Float = a.losses.prefix(10).reduce(0, +) / 10
        let last: Float = a.losses.suffix(10).reduce(0, +) / 10
        #expect(last < first - 0.5)
    }

    /// A cached alignment run restores the same weights and loss curve as the fresh one, and the
    /// chapter-08 loader finds it (no retraining note).
    @Test func alignmentCacheRoundTripsAndLoaderFindsIt() throws {
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var s = MultimodalSettings.quick
        s.alignSteps = 3
        s.trainCount = 100
        let recipe = AlignmentRecipe(s, seed: 2)
        let train = MultimodalData.trainingScenes(count: s.trainCount, seed: 2)
        let fresh = trainAlignment(recipe, train: train, cache: TrainingCache(folder: dir, fresh: false))
        let again = trainAlignment(recipe, train: train, cache: TrainingCache(folder: dir, fresh: false))
        #expect(!fresh.cached && again.cached)
        #expect(fresh.losses == again.losses && fresh.scales == again.scales)
        let x = train.images.tensor(0..<4)
        #expect(fresh.model.image(x).values == again.model.image(x).values)
        let ids = [try SceneVocabulary.standard.encode("a red circle", length: textContext)]
        #expect(fresh.model.text.tokens(ids).values == again.model.text.tokens(ids).values)
        // A recipe with other settings is a different key: the loader must retrain, and says so.
        var notes: [String] = []
        let other = loadChapter07Encoders(quick: true, seed: 99, cacheFolder: dir + "/empty", note: { notes.append($0) })
        #expect(notes.count == 1 && notes[0].contains("training them now"))
        #expect(other.cached == false)
    }

    /// A few captioning steps on a small set lower the loss well below the uniform guess ln V
    /// (even on the features of an untrained encoder: the grammar alone is most of the loss).
    @Test func captionerLearnsTheGrammar() {
        var s = MultimodalSettings.quick
        s.captionSteps = 30
        s.captionBatch = 16
        let train = SceneSet(count: 200, seed: 5)
        var a = s
        a.alignSteps = 1
        let clip = AlignmentModel(AlignmentRecipe(a, seed: 1))
        let c = trainCaptioner(s, train: train, features: FrozenFeatures(clip, train), featureKey: "untrained", seed: 1,
                               cache: TrainingCache(folder: nil, fresh: false))
        #expect(c.losses.first! > 3)
        #expect(c.losses.suffix(5).reduce(0, +) / 5 < 2.0)
    }
}
