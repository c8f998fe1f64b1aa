import Ch06Latent
import Ch08TextToImage
import Datasets
import Diffusion
import Engine
import Foundation
import Models
import Testing
@testable import Ch10FineTuning

@Suite struct ConceptTests {
    let scenes = SceneSet(count: 24, seed: 5, objectCounts: 1...1, heldOut: .any)

    /// Repainting a shape in its own colour gives back the rendered image (coverage is read back
    /// exactly up to float rounding: one division and one multiplication, |pixel| ≤ 1 → 1e-6).
    /// Repainting in purple keeps the background black and puts purple where the shape was.
    @Test func recolouringKeepsCoverage() {
        for scene in scenes.scenes {
            let original = scene.render()
            let same = recoloured(scene, rgb: scene.objects[0].color.rgb)
            #expect(zip(original, same).allSatisfy { abs($0 - $1) < 1e-5 })
            let purple = recoloured(scene, rgb: NewConcept.rgb)
            let plane = 32 * 32
            for p in 0..<plane where original[p] == -1 && original[plane + p] == -1 && original[2 * plane + p] == -1 {
                #expect(purple[p] == -1 && purple[plane + p] == -1 && purple[2 * plane + p] == -1)
            }
            // A fully covered pixel carries exactly the new colour.
            let x = Tensor(shape: [1, 3, 32, 32], values: purple)
            #expect(measuredColour(x, 0) == NewConcept.word)
        }
    }

    /// The pixel colour reader names every real scene's colour, and finds nothing in a black image.
    @Test func measuredColourReadsRealImages() {
        let x = scenes.images.tensor(0..<scenes.count)
        for (i, scene) in scenes.scenes.enumerated() {
            #expect(measuredColour(x, i) == scene.objects[0].color.name)
        }
        #expect(measuredColour(Tensor(shape: [1, 3, 8, 8], values: [Float](repeating: -1, count: 192)), 0) == nil)
    }

    func tinyEncoder() -> CaptionEncoder {
        var rng = RNG(seed: 1)
        let config = TextEncoderConfig(vocab: SceneVocabulary.standard.count, context: 12, width: 8, heads: 2, layers: 1, embedDim: 8)
        return CaptionEncoder(TextEncoder(config, rng: &rng))
    }

    /// A new word leaves every old caption's vectors bit-identical and gets a token of its own.
    @Test func addingAWordKeepsOldCaptions() throws {
        let base = tinyEncoder()
        let extended = addingWord(NewConcept.word, to: base, seed: 2)
        #expect(extended.vocabulary.count == base.vocabulary.count + 1)
        let old = ["a red circle", "a small blue square at the top", ""]
        #expect(try extended.encode(old).tokens.values == base.encode(old).tokens.values)
        let purple = try extended.encode(["a purple circle"]).tokens.values
        let red = try extended.encode(["a red circle"]).tokens.values
        #expect(purple != red)
        #expect(throws: SceneTextError.self) { try base.encode(["a purple circle"]) }
    }

    /// Teaching the concept changes only the adapters, and a U-Net whose adapters are fresh
    /// (B = 0) predicts exactly what it predicted before.
    @Test func teachingChangesOnlyTheAdapters() throws {
        var rng = RNG(seed: 3)
        let encoder = addingWord(NewConcept.word, to: tinyEncoder(), seed: 2)
        let unet = TextConditionedUNet(TextUNetConfig(unet: UNetConfig(inChannels: 4, outChannels: 4, baseChannels: 8, channelMultipliers: [1, 2],
                                                                       groups: 4, timeDim: 16),
                                                      contextDim: 8, pooledDim: 8, heads: 2), rng: &rng)
        // A fresh U-Net zero-initialises its output layer and the attention blocks' output
        // projections (it starts as the identity); perturb every weight so gradients reach the adapters.
        for p in unet.parameters { for i in 0..<p.count { p.storage.pointer[i] += 0.1 * rng.normal() } }
        let before = unet.namedParameters().map { ($0.name, $0.tensor.values) }
        let x = Tensor.randn([2, 4, 8, 8], rng: &rng)
        let text = encoder.encodeKnown(["a purple circle", "a red square"])
        let predictedBefore = Tensor.noGrad { unet(x, [10, 500], text).values }
        let concept = Tensor.randn([4, 4, 8, 8], rng: &rng), prior = Tensor.randn([4, 4, 8, 8], rng: &rng)
        let plan = ConceptTuning(rank: 2, alpha: 2, steps: 3, batch: 4, learningRate: 1e-2, priorShare: 0.5)
        let r = try teachConcept(unet, plan, encoder: encoder, concept: concept, conceptCaptions: [[String]](repeating: ["a purple circle"], count: 4),
                             prior: prior, priorCaptions: [[String]](repeating: ["a red square"], count: 4), seed: 4, dataKey: "test",
                             cache: TrainingCache(folder: nil, fresh: false))
        #expect(r.losses.count == 3 && r.trainable == unet.attentionBlocks.reduce(0) { total, block in
            total + block.projections.reduce(0) { $0 + 2 * ($1.inFeatures + $1.outFeatures) }
        })
        let after = Dictionary(uniqueKeysWithValues: unet.namedParameters().map { ($0.name, $0.tensor.values) })
        for (name, values) in before { #expect(after[name] == values, "\(name) changed") }
        #expect(unet.namedParameters().filter { $0.name.hasSuffix("lora_B") }.contains { $0.tensor.values.contains { $0 != 0 } })
        // Fresh adapters on a copy: identical predictions.
        var copyRNG = RNG(seed: 3)
        let twin = TextConditionedUNet(unet.config, rng: &copyRNG)
        for (dst, src) in zip(twin.namedParameters(), unet.namedParameters().filter { !$0.name.contains("lora_") }) {
            dst.tensor.storage.pointer.update(from: src.tensor.data, count: src.tensor.count)
        }
        for block in twin.attentionBlocks { for layer in block.projections { layer.attachAdapter(rank: 2, alpha: 2, rng: &copyRNG) } }
        #expect(Tensor.noGrad { twin(x, [10, 500], text).values } == predictedBefore)
    }
}
