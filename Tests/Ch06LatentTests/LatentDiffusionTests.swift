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
    @Test func latentDiffusionLossFalls() throws {
        let data = ShapesData(trainCount: 256, testCount: 8, seed: 4)
        let vae = Autoencoder(AutoencoderConfig(width: 8, latentChannels: 4, variational: true), seed: 3)
        let latents = LatentDataset(model: vae, images: data.train.images)
        let recipe = DiffusionTraining(unet: UNetConfig(inChannels: 4, outChannels: 4, baseChannels: 8, channelMultipliers: [1, 2],
                                                        groups: 4, timeDim: 16),
                                       steps: 120, batch: 16, learningRate: 3e-3, seed: 5)
        let run = try trainDiffusion(recipe, data: latents.latents, dataKey: "test")
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

    @Test func channelExtremesAreEachChannelsSmallestAndLargest() {
        // [2 images, 2 channels, 2 values]: channel 0 holds 1, -2, 5, 0; channel 1 holds 3, 4, -1, 7.
        let x = Tensor(shape: [2, 2, 2], values: [1, -2, 3, 4, 5, 0, -1, 7])
        #expect(channelExtremes(x) == [-2...5, -1...7])
    }

    @Test func latentChannelRangesHoldEveryLatent() {
        let data = ShapesData(trainCount: 40, testCount: 8, seed: 2)
        let vae = Autoencoder(AutoencoderConfig(width: 4, latentChannels: 4, variational: true), seed: 5)
        let set = LatentDataset(model: vae, images: data.train.images)
        #expect(set.channelRanges.count == 4)
        let plane = 64
        for (i, v) in set.latents.values.enumerated() { #expect(set.channelRanges[(i / plane) % 4].contains(v)) }
        // Each channel's range is no wider than the one symmetric limit, and the limit is attained.
        #expect(set.channelRanges.allSatisfy { $0.lowerBound >= -set.limit && $0.upperBound <= set.limit })
        #expect(set.channelRanges.contains { $0.lowerBound == -set.limit || $0.upperBound == set.limit })
    }

    /// The joint class packs kind and colour so that both come back out.
    @Test func jointLabelPacksKindAndColour() {
        var seen = Set<Int>()
        for kind in ShapeKind.allCases {
            for color in ShapeColor.allCases {
                let l = ShapeJudge.jointLabel(ShapeAttributes(kind: kind, color: color, size: 6, x: 16, y: 16))
                #expect(l / ShapeColor.allCases.count == kind.rawValue && l % ShapeColor.allCases.count == color.rawValue)
                seen.insert(l)
            }
        }
        #expect(seen == Set(0..<12))
    }

    /// A briefly trained judge reads kind and colour off real held-out images far above chance
    /// (a third and a quarter), and precision and recall separate real images from noise.
    @Test func shortJudgeSeesKindAndColour() {
        let data = ShapesData(trainCount: 600, testCount: 120, seed: 6)
        let judge = ShapeJudge(shapes: data.train, steps: 250, width: 8, seed: 3, dataKey: "test")
        let acc = judge.attributeAccuracy(data.test.images.tensor(0..<120), attributes: data.test.attributes)
        #expect(acc.color > 0.8, "colour accuracy \(acc.color)")
        #expect(acc.kind > 0.6, "kind accuracy \(acc.kind)")
        #expect(acc.perKind.count == 3)
        var rng = RNG(seed: 1)
        let noise = Tensor.uniform([60, 3, 32, 32], -1, 1, rng: &rng)
        let real = judge.quality(data.test.images.tensor(60..<120), reference: data.test.images.tensor(0..<60))
        let fake = judge.quality(noise, reference: data.test.images.tensor(0..<60))
        #expect(real.precision > 0.6 && fake.precision < 0.1, "precision real \(real.precision), noise \(fake.precision)")
        #expect(real.frechet < fake.frechet)
        #expect(real.kindCounts.reduce(0, +) == 60)
    }

    @Test func equalComputeStepsUsesTheMACRatio() {
        let p = UNetConfig(inChannels: 3, outChannels: 3, baseChannels: 8, channelMultipliers: [1, 2], groups: 4, timeDim: 8)
        let l = UNetConfig(inChannels: 3, outChannels: 3, baseChannels: 8, channelMultipliers: [1, 2], groups: 4, timeDim: 8)
        // Same network, 4× the positions: about 4× the steps (the time MLP makes it slightly less).
        let steps = equalComputeSteps(pixelSteps: 100, pixel: p, latent: l, imageSide: 16, latentSide: 8)
        #expect(steps > 390 && steps <= 400)
    }
}

/// The judge's softening keeps flat regions and the image's total where no border is involved,
/// and never leaves the range between the original and its blur.
@Suite struct SofteningTests {
    @Test func softeningMixesAnImageWithItsBlur() {
        // A single bright pixel in the middle of a 5×5 image: its blur spreads 4/16 to itself,
        // 2/16 to each edge neighbour and 1/16 to each corner neighbour.
        var values = [Float](repeating: 0, count: 25)
        values[12] = 16
        let x = Tensor(shape: [1, 1, 5, 5], values: values)
        var rng = RNG(seed: 3)
        var probe = rng
        let a = probe.uniform()
        let y = softenedAtRandom(x, rng: &rng).values
        #expect(abs(y[12] - ((1 - a) * 16 + a * 4)) < 1e-5)
        #expect(abs(y[7] - a * 2) < 1e-5 && abs(y[6] - a * 1) < 1e-5)
        #expect(abs(y.reduce(0, +) - 16) < 1e-4)  // no mass reaches the border, so the total stays
        // A constant image is unchanged whatever the mix.
        let flat = Tensor(shape: [2, 3, 4, 4], values: [Float](repeating: -0.5, count: 96))
        #expect(softenedAtRandom(flat, rng: &rng).values.allSatisfy { abs($0 + 0.5) < 1e-6 })
    }
}
