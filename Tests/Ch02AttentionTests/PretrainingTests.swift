import Ch02Attention
import Datasets
import Engine
import Foundation
import Models
import Testing

/// Step 6: the quick pre-training run must learn more than byte pairs.
@Suite struct PretrainingTests {
    @Test func quickRunBeatsTheBigramBaseline() throws {
        let corpus = StoryCorpus(seed: 0)
        let docs = ChapterRun.documents(quick: true)
        let data = ByteCorpus(corpus: corpus, trainDocuments: docs.train, validationDocuments: docs.validation)
        let baselines = Baselines(data: data, corpus: corpus, entropyDocuments: 200)
        let config = ChapterRun.pretraining(quick: true)
        let result = try pretrain(config, data: data, samplePrompt: "Once", sampleLength: 8, seed: 0)
        // The bigram model is ≈ 3.2 bits/char and the byte frequencies ≈ 4.5; a model whose
        // attention, mask or optimizer were broken would sit near one of them or above. A working
        // one uses the context and must be clearly below the bigram line.
        #expect(baselines.bigram > 3.0 && baselines.bigram < 3.4)
        #expect(result.final.validationBits < baselines.bigram - 0.25)
        #expect(result.curve.first!.validationBits > 7)   // untrained: ≈ log2(256) = 8 bits or worse
        #expect(result.final.relativeWeightChange > 0.01)
        #expect(result.samples.map(\.step) == config.sampleAt)
    }

    @Test func aCachedRunIsExactlyTheFreshRun() throws {
        let corpus = StoryCorpus(seed: 0)
        let data = ByteCorpus(corpus: corpus, trainDocuments: 60, validationDocuments: 20)
        let config = PretrainConfig(model: GPTConfig(vocab: 256, context: 16, width: 16, heads: 2, layers: 1),
                                    batch: 4, steps: 12, learningRate: 1e-2, warmup: 2, minLR: 1e-3,
                                    evaluations: 4, validationBatches: 1)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ch02-cache-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let cache = TrainingCache(folder: folder, fresh: false)
        let fresh = try pretrain(config, data: data, samplePrompt: "Once", sampleLength: 6, seed: 7, cache: cache, dataKey: "t")
        var steps = 0
        let again = try pretrain(config, data: data, samplePrompt: "Once", sampleLength: 6, seed: 7, cache: cache, dataKey: "t") { _ in steps += 1 }
        #expect(!fresh.cached && again.cached && steps == 0)
        #expect(again.curve.map(\.validationBits) == fresh.curve.map(\.validationBits))
        #expect(again.curve.map(\.trainBits) == fresh.curve.map(\.trainBits))
        #expect(again.curve.map(\.relativeWeightChange) == fresh.curve.map(\.relativeWeightChange))
        #expect(again.samples.map(\.text) == fresh.samples.map(\.text))
        #expect(zip(again.model.parameters, fresh.model.parameters).allSatisfy { $0.values == $1.values })
        // A different seed is a different run: not restored.
        let other = try pretrain(config, data: data, samplePrompt: "Once", sampleLength: 6, seed: 8, cache: cache, dataKey: "t")
        #expect(!other.cached)
    }

    @Test func splitIsByDocumentAndBatchesShiftByOne() {
        let corpus = StoryCorpus(seed: 0)
        let data = ByteCorpus(corpus: corpus, trainDocuments: 5, validationDocuments: 2)
        #expect(data.train == Array(corpus.text(documents: 5).utf8))
        #expect(data.validation == Array((corpus.document(5).text + "\n\n" + corpus.document(6).text).utf8))
        var rng = RNG(seed: 1)
        let b = data.trainingBatch(batch: 3, length: 10, rng: &rng)
        for (x, y) in zip(b.inputs, b.targets) { #expect(Array(x.dropFirst()) == Array(y.dropLast())) }
        #expect(logSpacedSteps(1000, count: 5) == [0, 1, 10, 100, 1000])
    }
}
