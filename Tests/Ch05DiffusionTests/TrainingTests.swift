import Datasets
import Diffusion
import Engine
import Foundation
import Testing
@testable import Ch05Diffusion

@Suite struct TrainingTests {
    /// The chapter's quick-mode 2-D run (2,000 steps of 256 points on the 8-Gaussian ring) covers at
    /// least 6 of the 8 modes with DDIM-50 samples. A model that ignores t or learns the wrong
    /// target puts its samples near the centre or spreads them out and covers none.
    @Test func quickRingModelCoversModes() {
        var config = PointTrainingConfig()
        config.steps = 2000
        config.batch = 256
        let schedule = NoiseSchedule.linear()
        let data = PointData.ring.points(config.trainingPoints, seed: 42)
        let model = makePointDenoiser(config, seed: 7)
        let losses = trainPointDenoiser(model, data: data, schedule: schedule, config: config, seed: 7)
        let late: Float = losses.suffix(100).reduce(0, +) / 100, early: Float = losses.prefix(20).reduce(0, +) / 20
        #expect(late < early)
        let xy = samplePoints(model, schedule: schedule, sampler: .ddim(50), count: 500, seed: 9)
        let r = modeReport(samples: xy, modes: data.modes, std: data.modeStd)
        #expect(r.covered >= 6, "covered \(r.covered) of 8, per mode \(r.perMode)")
        #expect(r.highQualityShare > 0.15)
    }

    /// A tiny U-Net on 8×8 glyphs: the noise-prediction loss falls well below its starting value
    /// (≈ 1, the variance of ε) in 60 steps, unconditioned and with the low-resolution channel.
    @Test func tinyUNetLossFalls() throws {
        let images = GlyphDigits.generate(count: 200, size: 8, seed: 5)
        var config = ImageTrainingConfig()
        config.baseChannels = 8
        config.steps = 60
        config.batch = 16
        config.learningRate = 3e-3
        let schedule = NoiseSchedule.cosine()
        for conditioned in [false, true] {
            let model = makeUNet(config, inChannels: conditioned ? 2 : 1, seed: 3)
            let losses = try trainImageDenoiser(model, images: images, schedule: schedule, config: config,
                                            conditioned: conditioned, seed: 3)
            let first: Float = losses.prefix(10).reduce(0, +) / 10, last: Float = losses.suffix(10).reduce(0, +) / 10
            #expect(last < 0.7 * first, "conditioned \(conditioned): \(first) → \(last)")
        }
    }

    /// A cached model loads the same weights and loss curve a fresh run produced; `fresh` retrains.
    @Test func modelCacheRoundTrip() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ch05-cache-test-\(ProcessInfo.processInfo.processIdentifier)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var config = PointTrainingConfig()
        config.width = 16; config.depth = 1; config.steps = 5; config.batch = 8
        let data = PointData.ring.points(100, seed: 1)
        let schedule = NoiseSchedule.linear(steps: 50)
        let a = makePointDenoiser(config, seed: 2)
        var trainedRuns = 0
        let train = { () -> [Float] in
            trainedRuns += 1
            return trainPointDenoiser(a, data: data, schedule: schedule, config: config, seed: 2)
        }
        let first = TrainingCache(folder: dir, fresh: false).trained(a, key: "k", train: train)
        #expect(!first.cached && trainedRuns == 1)
        let b = makePointDenoiser(config, seed: 99)
        let second = TrainingCache(folder: dir, fresh: false).trained(b, key: "k") { Issue.record("retrained"); return [] }
        #expect(second.cached && second.losses == first.losses)
        #expect(zip(a.parameters, b.parameters).allSatisfy { $0.values == $1.values })
        _ = TrainingCache(folder: dir, fresh: true).trained(a, key: "k", train: train)
        #expect(trainedRuns == 2)
    }
}
