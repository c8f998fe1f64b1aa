import Ch02Attention
import Datasets
import Engine
import Foundation
import Models
import Testing
@testable import Ch10FineTuning

/// Tiny data and model: seconds, not minutes.
func tinyTuneData() -> TuneData {
    let recipes = RecipeCorpus(seed: 1).texts(0..<60)
    let stories = StoryCorpus(seed: 1).documents(0..<60).map(\.text)
    return TuneData(new: ByteCorpus(trainTexts: Array(recipes[..<50]), validationTexts: Array(recipes[50...])),
                    original: ByteCorpus(trainTexts: Array(stories[..<50]), validationTexts: Array(stories[50...])), key: "tiny")
}

func tinyBase() -> GPT { GPT(GPTConfig(vocab: 256, context: 16, width: 16, heads: 2, layers: 1), seed: 2) }

@Suite struct FineTuneTests {
    /// LoRA training moves only the adapters: every base weight is bit-identical afterwards, and
    /// the adapters did move (B left zero), and the loss fell.
    @Test func loraLeavesTheBaseUntouched() throws {
        let base = tinyBase()
        let plan = TunePlan(method: .lora(rank: 2), steps: 12, batch: 4, learningRate: 1e-2, alpha: 4, evaluations: 3, validationBatches: 1)
        let r = try fineTune(plan, base: base, baseKey: "tiny", data: tinyTuneData(), seed: 1, cache: TrainingCache(folder: nil, fresh: false))
        let tuned = r.model.namedParameters()
        for (name, t) in base.namedParameters() {
            let after = tuned.first { $0.name == name }!.tensor
            #expect(after.values == t.values, "\(name) changed")
        }
        let ups = tuned.filter { $0.name.hasSuffix("lora_B") }
        #expect(!ups.isEmpty && ups.allSatisfy { $0.tensor.values.contains { $0 != 0 } })
        #expect(r.trainable == GPT.loraParameterCount(base.config, rank: 2))
        #expect(r.finalNewBits < r.newBits[0])
    }

    /// Full fine-tuning moves every matrix; the base it started from is not modified (the run
    /// works on a copy).
    @Test func fullFineTuneWorksOnACopy() throws {
        let base = tinyBase()
        let before = base.parameters.map(\.values)
        let plan = TunePlan(method: .full, steps: 6, batch: 4, learningRate: 1e-2, evaluations: 2, validationBatches: 1)
        let r = try fineTune(plan, base: base, baseKey: "tiny", data: tinyTuneData(), seed: 1, cache: TrainingCache(folder: nil, fresh: false))
        #expect(base.parameters.map(\.values) == before)
        #expect(zip(r.model.parameters, before).allSatisfy { $0.values != $1 })
        #expect(r.trainable == base.parameterCount)
    }

    /// A run restored from the cache reports exactly the fresh run's numbers and weights, and a
    /// mixed run takes the stated number of story windows per batch.
    @Test func cachedRunEqualsFreshRun() throws {
        let folder = NSTemporaryDirectory() + "ch10-cache-\(ProcessInfo.processInfo.processIdentifier)"
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let plan = TunePlan(method: .lora(rank: 1), steps: 5, batch: 4, learningRate: 1e-2, alpha: 2, mixShare: 0.25,
                            evaluations: 3, validationBatches: 1)
        #expect(plan.originalWindows == 1)
        let cache = TrainingCache(folder: folder, fresh: false)
        let fresh = try fineTune(plan, base: tinyBase(), baseKey: "tiny", data: tinyTuneData(), seed: 3, cache: cache)
        let again = try fineTune(plan, base: tinyBase(), baseKey: "tiny", data: tinyTuneData(), seed: 3, cache: cache)
        #expect(!fresh.cached && again.cached)
        #expect(fresh.newBits == again.newBits && fresh.originalBits == again.originalBits)
        #expect(fresh.model.parameters.map(\.values) == again.model.parameters.map(\.values))
    }

    /// The stated-colour guess baseline: 1/2 for two facts, 1/3 for three.
    @Test func statedGuessBaseline() {
        let items = ColourQuestions(seed: 1).items(0..<200)
        let expected = items.reduce(0.0) { $0 + ($1.stated.count == 2 ? 0.5 : 1.0 / 3) } / 200
        #expect(abs(statedGuessAccuracy(items) - expected) < 1e-12)
        #expect(items.contains { $0.stated.count == 2 } && items.contains { $0.stated.count == 3 })
    }
}
