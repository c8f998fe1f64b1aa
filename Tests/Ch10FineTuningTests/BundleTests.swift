import Ch08TextToImage
import Datasets
import Diffusion
import Engine
import Foundation
import Models
import Testing

@Suite struct TextToImageBundleTests {
    func tinyBundle() -> TextToImageBundle {
        var rng = RNG(seed: 7)
        let text = TextEncoder(TextEncoderConfig(vocab: SceneVocabulary.standard.count, context: 12, width: 8, heads: 2, layers: 1, embedDim: 8), rng: &rng)
        let unet = TextConditionedUNet(TextUNetConfig(unet: UNetConfig(inChannels: 4, outChannels: 4, baseChannels: 8, channelMultipliers: [1, 2],
                                                                       groups: 4, timeDim: 16), contextDim: 8, pooledDim: 8, heads: 2), rng: &rng)
        for block in unet.attentionBlocks { for layer in block.projections { layer.attachAdapter(rank: 2, alpha: 3, rng: &rng) } }
        // Perturb everything (adapters' B included) so every tensor matters to the images.
        for p in unet.parameters { for i in 0..<p.count { p.storage.pointer[i] += 0.1 * rng.normal() } }
        let vae = Autoencoder(AutoencoderConfig(width: 8), rng: &rng)
        return TextToImageBundle(unet: unet, vae: vae, encoder: CaptionEncoder(text), scale: 1.7,
                                 channelRanges: [-2...2, -1.5...1, -3...3, -1...1], eta: 1)
    }

    func path(_ name: String) -> String { NSTemporaryDirectory() + "bundle-\(ProcessInfo.processInfo.processIdentifier)-\(name).safetensors" }

    /// Saved and loaded, the bundle draws exactly the same images for the same seed.
    @Test func roundTripDrawsTheSameImages() throws {
        let bundle = tinyBundle()
        let file = path("roundtrip")
        defer { try? FileManager.default.removeItem(atPath: file) }
        try bundle.save(to: file)
        let loaded = try TextToImageBundle.load(from: file)
        #expect(loaded.scale == bundle.scale && loaded.channelRanges == bundle.channelRanges && loaded.eta == bundle.eta)
        let a = try bundle.images(prompt: "a red circle", count: 2, steps: 3, guidance: 2, seed: 5).values
        let b = try loaded.images(prompt: "a red circle", count: 2, steps: 3, guidance: 2, seed: 5).values
        #expect(a == b)
        let c = try loaded.images(prompt: "a red circle", count: 2, steps: 3, guidance: 2, seed: 6).values
        #expect(a != c)
        #expect(throws: SceneTextError.self) { try loaded.images(prompt: "a pink circle", count: 1, steps: 2, guidance: 1, seed: 0) }
    }

    /// A GPT checkpoint, a damaged field and a stray tensor are refused with errors naming them.
    @Test func badBundlesNameTheProblem() throws {
        let file = path("bad")
        defer { try? FileManager.default.removeItem(atPath: file) }
        try GPT(GPTConfig(vocab: 17, context: 8, width: 12, heads: 3, layers: 1), seed: 1).saveCheckpoint(to: file)
        #expect(throws: TextToImageBundleError.notABundle(file: file, format: "course-gpt-v1")) { try TextToImageBundle.load(from: file) }

        try tinyBundle().save(to: file)
        let good = try SafetensorsFile.read(from: file)
        var meta = good.metadata
        meta["text.heads"] = "3"
        try SafetensorsFile(arrays: good.arrays, metadata: meta).write(to: file)
        #expect(throws: TextToImageBundleError.invalidField(file: file, field: "text.heads", value: "3", expected: "a divisor of text.width 8")) {
            try TextToImageBundle.load(from: file)
        }
        meta = good.metadata
        meta["channel_ranges"] = "0:1"
        try SafetensorsFile(arrays: good.arrays, metadata: meta).write(to: file)
        #expect(throws: TextToImageBundleError.self) { try TextToImageBundle.load(from: file) }
        try SafetensorsFile(arrays: good.arrays + [try NamedArray(name: "extra", shape: [1], values: [0])], metadata: good.metadata).write(to: file)
        #expect(throws: CheckpointError.unexpectedParameter(file: file, name: "extra")) { try TextToImageBundle.load(from: file) }
    }
}
