import Ch05Diffusion
import Ch09Families
import Engine
import Foundation
import Testing

/// Every family trains at a tiny size without NaN and learns something, and a cached run is
/// bit-identical to a fresh one.
@Suite struct TrainingTests {
    /// A tiny setup: width 16, 600 diffusion steps of 64 points and their FLOP-matched steps for
    /// the others (about 340 for a GAN), 3 checkpoints of 100 samples, 200 final samples (DDIM 10).
    static func tiny() -> PointSetup {
        var s = PointSetup()
        s.width = 16; s.depth = 2; s.batch = 64; s.diffusionSteps = 600; s.trainingPoints = 2000
        s.checkpoints = 3; s.checkpointSamples = 100; s.finalSamples = 200; s.finalSampler = .ddim(10); s.checkpointDDIMSteps = 5
        return s
    }

    /// Each family on the ring: finite losses, no divergence, the promised number of checkpoints
    /// and samples. Learning is checked where a fixed objective makes it checkable: the diffusion
    /// loss starts near E[ε²] = 1 and must fall below 0.8, the VAE's −ELBO must fall by more than
    /// a third of its start (an untrained decoder's error at s = 0.05 is hundreds of nats), and a
    /// GAN's generator must move its samples' mean radius from near its initial value (~0.1–0.5)
    /// towards the ring's 2.
    @Test(arguments: Family.allCases) func trainsWithoutNaN(_ family: Family) {
        let setup = Self.tiny()
        let r = pointRun(PointRun(family: family, data: .ring, learningRate: 3e-3, seed: 5, vaeBeta: 0.1), setup: setup,
                         cache: TrainingCache(folder: nil, fresh: true))
        #expect(!r.diverged && r.losses.allSatisfy(\.isFinite) && r.generatorLosses.allSatisfy(\.isFinite))
        #expect(r.losses.count == setup.steps(family) && r.checkpointModes.count == 3 && r.samples.count == 400)
        let head = r.losses.prefix(10).reduce(0, +) / 10, tail = r.losses.suffix(10).reduce(0, +) / 10
        switch family {
        case .diffusion: #expect(tail < 0.8, "noise MSE \(head) → \(tail)")
        case .vae: #expect(tail < head - abs(head) / 3, "−ELBO \(head) → \(tail)")
        case .gan, .ganSN:
            let radius = (0..<200).map { i in Double(hypot(r.samples[2 * i], r.samples[2 * i + 1])) }.reduce(0, +) / 200
            #expect(radius > 1, "mean radius of GAN samples \(radius)")
        }
    }

    /// Matched compute: each family's steps × its FLOPs per step equals diffusion's budget to
    /// within one step's cost; a GAN step costs the most (the discriminator runs three batches).
    @Test func budgetsAreMatched() {
        let s = PointSetup()
        for fam in Family.allCases {
            #expect(abs(Double(s.steps(fam)) * s.stepFLOPs(fam) - s.budgetFLOPs) <= s.stepFLOPs(fam) / 2 + 1)
        }
        #expect(s.stepFLOPs(.gan) > s.stepFLOPs(.vae) && s.stepFLOPs(.vae) > s.stepFLOPs(.diffusion))
    }

    /// Train, store, restore: the restored result has the same losses, curves and samples, bit for bit.
    @Test(arguments: [Family.ganSN, .diffusion]) func cachedRunEqualsFreshRun(_ family: Family) throws {
        let folder = NSTemporaryDirectory() + "ch09-cache-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: folder) }
        var setup = Self.tiny()
        setup.diffusionSteps = 40
        let run = PointRun(family: family, data: .grid, learningRate: 1e-3, seed: 9)
        let cache = TrainingCache(folder: folder, fresh: false)
        let fresh = pointRun(run, setup: setup, cache: cache)
        let again = pointRun(run, setup: setup, cache: cache)
        #expect(!fresh.cached && again.cached)
        #expect(fresh.losses == again.losses && fresh.generatorLosses == again.generatorLosses && fresh.samples == again.samples)
        #expect(fresh.checkpointModes == again.checkpointModes && fresh.checkpointHighQuality == again.checkpointHighQuality)
        #expect(fresh.report == again.report)
    }
}
