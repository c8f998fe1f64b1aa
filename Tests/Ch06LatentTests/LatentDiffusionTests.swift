import Ch06Latent
import Datasets
import Diffusion
import Engine
import Models
import Testing

/// Section 5 and 6: latent diffusion learns, the latents are scaled as claimed, and the cost
/// counts follow the U-Net's architecture.
@Suite struct LatentDiffusionTests {
    /// The U-Net's last conv starts at zero, so before training it predicts ε̂ = 0 and its loss is
    /// E[ε²] = 1. Learning anything about the noise levels takes it clearly below that.
    @Test func latentDiffusionLossFalls() {
        let data = ShapesData(trainCount: 256, testCount: 8, seed: 4)
        let vae = Autoencoder(AutoencoderConfig(width: 8, latentChannels: 4, variational: true), seed: 3)
        let latents = LatentDataset(model: vae, images: data.train.images)
        let recipe = DiffusionTraining(unet: UNetConfig(inChannels: 4, outChannels: 4, baseChannels: 8, channelMultipliers: [1, 2],
                                                        groups: 4, timeDim: 16),
                                       steps: 120, batch: 16, learningRate: 3e-3, seed: 5)
        let run = trainDiffusion(recipe, data: latents.latents, dataKey: "test")
        let first = run.losses.prefix(5).reduce(0, +) / 5
        let last = run.losses.suffix(30).reduce(0, +) / 30
        #expect(abs(first - 1) < 0.35, "initial loss \(first) should be near 1")
        #expect(last < 0.75, "final loss \(last)")
        #expect(last < 0.8 * first)
    }

    @Test func latentsAreScaledToUnitVariance() {
        let data = ShapesData(trainCount: 50, testCount: 8, seed: 1)
        let vae = Autoencoder(AutoencoderConfig(width: 4, latentChannels: 4, variational: true), seed: 2)
        let set = LatentDataset(model: vae, images: data.train.images)
        let stats = codeStatistics(set.latents)
        #expect(set.latents.shape == [50, 4, 8, 8])
        #expect(abs(stats.std - 1) < 1e-4)
        // Undoing the scale gives back the encoder's means.
        let raw = encodeAll(vae, data.train.images)
        let back = set.latents.values.map { $0 * set.scale }
        for (a, b) in zip(back, raw.values) { #expect(abs(a - b) <= 1e-5 * max(1, abs(b))) }
    }

    /// Multiply-accumulates counted by hand for base 8, levels [1, 2], 4 channels in and out, 8×8,
    /// time width 8 (see the comments for each layer).
    @Test func unetCostMatchesAHandCount() {
        let c = UNetConfig(inChannels: 4, outChannels: 4, baseChannels: 8, channelMultipliers: [1, 2], groups: 4, timeDim: 8)
        let parts = [
            2 * 8 * 8,                                            // time MLP
            4 * 8 * 9 * 64,                                       // input conv at 8×8
            2 * 8 * 8 * 9 * 64 + 8 * 8,                           // level-0 block 8→8
            8 * 8 * 9 * 16,                                       // stride-2 conv to 4×4
            8 * 16 * 9 * 16 + 16 * 16 * 9 * 16 + 8 * 16 + 8 * 16 * 16,   // level-1 block 8→16 with shortcut
            2 * 16 * 16 * 9 * 16 + 8 * 16,                        // middle block
            32 * 16 * 9 * 16 + 16 * 16 * 9 * 16 + 8 * 16 + 32 * 16 * 16, // up block 32→16
            16 * 16 * 9 * 64,                                     // conv after upsampling to 8×8
            24 * 8 * 9 * 64 + 8 * 8 * 9 * 64 + 8 * 8 + 24 * 8 * 64,      // up block 24→8
            8 * 4 * 9 * 64,                                       // output conv
        ]
        #expect(UNetCost.forwardMACs(c, height: 8, width: 8) == parts.reduce(0, +))
        #expect(UNetCost.trainingFLOPs(c, height: 8, width: 8, batch: 2) == 12 * Double(UNetCost.forwardMACs(c, height: 8, width: 8)))
    }

    @Test func rowsCopiesTheChosenExamples() {
        let x = Tensor(shape: [3, 2], values: [0, 1, 2, 3, 4, 5])
        #expect(rows(x, [2, 0]).values == [4, 5, 0, 1])
        #expect(rows(x, [2, 0]).shape == [2, 2])
    }

    @Test func spreadIsOneForEvenAndZeroForOneClass() {
        #expect(abs(SampleQuality(confidentShare: 1, classCounts: [5, 5, 5], frechet: 0).spread - 1) < 1e-12)
        #expect(SampleQuality(confidentShare: 1, classCounts: [0, 9, 0], frechet: 0).spread == 0)
    }

    @Test func equalComputeStepsUsesTheMACRatio() {
        let p = UNetConfig(inChannels: 3, outChannels: 3, baseChannels: 8, channelMultipliers: [1, 2], groups: 4, timeDim: 8)
        let l = UNetConfig(inChannels: 3, outChannels: 3, baseChannels: 8, channelMultipliers: [1, 2], groups: 4, timeDim: 8)
        // Same network, 4× the positions: about 4× the steps (the time MLP makes it slightly less).
        let steps = equalComputeSteps(pixelSteps: 100, pixel: p, latent: l, imageSide: 16, latentSide: 8)
        #expect(steps > 390 && steps <= 400)
    }
}
