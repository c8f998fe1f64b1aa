import Ch05Diffusion
import Datasets
import Diffusion
import Engine
import Foundation
import Models

/// One training run of one family on one 2-D data set, and what it produced.
public struct PointRun: Sendable, Equatable {
    /// Which family.
    public var family: Family
    /// Which data set (the ring or the grid).
    public var data: PointData
    /// Peak learning rate.
    public var learningRate: Float
    /// Seed of everything random in the run (weights, batches, noise).
    public var seed: UInt64
    /// KL weight of the VAE (ignored by the other families).
    public var vaeBeta: Float = 1

    /// A run.
    public init(family: Family, data: PointData, learningRate: Float, seed: UInt64, vaeBeta: Float = 1) {
        self.family = family
        self.data = data
        self.learningRate = learningRate
        self.seed = seed
        self.vaeBeta = vaeBeta
    }

    /// The cache key: the run and the setup.
    public func key(_ setup: PointSetup) -> String {
        "\(family.rawValue)-\(data.rawValue)-lr\(learningRate)" + (family == .vae ? "-beta\(vaeBeta)" : "") + "-seed\(seed)-\(setup.key)"
    }
}

/// What a run produced: loss curves, modes covered over training, and the final samples scored.
public struct PointRunResult {
    /// The main loss per step (noise MSE, −ELBO per point, or the discriminator's loss).
    public var losses: [Float]
    /// The generator's loss per step (GANs only).
    public var generatorLosses: [Float]
    /// Optimiser steps at which modes were counted.
    public var checkpointSteps: [Int]
    /// Modes covered at each checkpoint.
    public var checkpointModes: [Int]
    /// High-quality share at each checkpoint.
    public var checkpointHighQuality: [Double]
    /// The final samples, [n][2] flattened (empty when the run diverged).
    public var samples: [Float]
    /// The final samples scored against the data's modes.
    public var report: ModeReport
    /// Whether a loss became NaN or infinite (training stopped there; the run counts as failed).
    public var diverged: Bool
    /// Whether the result came from the cache.
    public var cached: Bool
    /// The trained noise predictor (diffusion runs only), to sample again with other samplers.
    public var denoiser: PointDenoiser? = nil
}

/// The networks of a run under one parent, so one cache file holds them all.
final class RunModules: Module {
    let parts: [(name: String, module: Module)]
    init(_ parts: [(name: String, module: Module)]) {
        self.parts = parts
        super.init()
    }
    override var children: [(name: String, module: Module)] { parts }
}

/// The per-run random streams, derived from the run's seed.
private func stream(_ seed: UInt64, _ k: UInt64) -> RNG { RNG(seed: seed ^ (0x09FA_0000 &+ k)) }

/// Trains and scores one run, or restores it from `cache`.
public func pointRun(_ run: PointRun, setup: PointSetup, cache: TrainingCache) -> PointRunResult {
    let schedule = NoiseSchedule.linear()
    let data = run.data.points(setup.trainingPoints, seed: 9000 &+ UInt64(PointData.allCases.firstIndex(of: run.data)!))
    var initRNG = stream(run.seed, 1)
    // The networks and a sampler for each family.
    let modules: [(name: String, module: Module)]
    let sampler: (Int, UInt64, Bool) -> [Float]   // (count, seed, final?) → samples
    var denoiser: PointDenoiser?, generator: MLP?, discriminator: Module?, vae: MLPVAE?
    switch run.family {
    case .diffusion:
        let d = PointDenoiser(dimension: 2, width: setup.width, depth: setup.depth, timeDim: setup.timeDim, rng: &initRNG)
        denoiser = d
        modules = [("denoiser", d)]
        sampler = { n, s, final in
            samplePoints(d, schedule: schedule, sampler: final ? setup.finalSampler : .ddim(setup.checkpointDDIMSteps), count: n, seed: s)
        }
    case .vae:
        let v = MLPVAE(data: 2, latent: setup.vaeLatent, hidden: setup.hidden, rng: &initRNG)
        vae = v
        modules = [("vae", v)]
        sampler = { n, s, _ in var r = RNG(seed: s); return v.sample(n, rng: &r).values }
    case .gan, .ganSN:
        let g = MLP(setup.generatorSizes, activation: .silu, rng: &initRNG)
        let d: Module = run.family == .ganSN
            ? SpectralMLP(setup.discriminatorSizes, activation: .silu, rng: &initRNG)
            : MLP(setup.discriminatorSizes, activation: .silu, rng: &initRNG)
        generator = g
        discriminator = d
        modules = [("generator", g), ("discriminator", d)]
        sampler = { n, s, _ in
            var r = RNG(seed: s)
            let z = Tensor.randn([n, setup.ganLatent], rng: &r)
            return Tensor.noGrad { g(z) }.values
        }
    }
    let holder = RunModules(modules)
    let key = run.key(setup)
    let score = { (xy: [Float]) in modeReport(samples: xy, modes: data.modes, std: data.modeStd) }
    let finalSeed = run.seed ^ 0xF1A1, checkpointSeed = run.seed ^ 0xC4EC

    if let series = cache.restore(holder, key: key), let losses = series["loss"], let samples = series["samples"],
       let steps = series["checkpoint_steps"], let modes = series["checkpoint_modes"], let hq = series["checkpoint_hq"] {
        let diverged = series["diverged"]?.first == 1
        return PointRunResult(losses: losses, generatorLosses: series["generator_loss"] ?? [], checkpointSteps: steps.map { Int($0) },
                              checkpointModes: modes.map { Int($0) }, checkpointHighQuality: hq.map(Double.init), samples: samples,
                              report: score(samples), diverged: diverged, cached: true, denoiser: denoiser)
    }

    let totalSteps = setup.steps(run.family)
    let marks = Set((1...setup.checkpoints).map { ($0 * totalSteps) / setup.checkpoints - 1 })
    var steps: [Int] = [], modes: [Int] = [], hq: [Double] = []
    var diverged = false
    let onStep: (Int) -> Void = { step in
        guard marks.contains(step) else { return }
        let r = score(sampler(setup.checkpointSamples, checkpointSeed, false))
        steps.append(step + 1); modes.append(r.covered); hq.append(r.highQualityShare)
    }
    var losses: [Float] = [], generatorLosses: [Float] = []
    switch run.family {
    case .diffusion:
        var config = PointTrainingConfig()
        config.width = setup.width; config.depth = setup.depth; config.timeDim = setup.timeDim
        config.steps = totalSteps; config.batch = setup.batch; config.learningRate = run.learningRate
        config.trainingPoints = setup.trainingPoints
        // Chapter 05's trainer; a non-finite loss cannot stop it, so divergence is read off after.
        losses = trainPointDenoiser(denoiser!, data: data, schedule: schedule, config: config, seed: run.seed, progress: onStep)
        diverged = losses.contains { !$0.isFinite }
    case .vae:
        (losses, diverged) = trainPointVAE(vae!, data: data, steps: totalSteps, setup: setup, learningRate: run.learningRate,
                                           beta: run.vaeBeta, rng: stream(run.seed, 2), onStep: onStep)
    case .gan, .ganSN:
        (losses, generatorLosses, diverged) = trainPointGAN(generator: generator!, discriminator: discriminator!, data: data,
                                                            steps: totalSteps, setup: setup, learningRate: run.learningRate,
                                                            rng: stream(run.seed, 3), onStep: onStep)
    }
    // A diverged run scores nothing from the step it broke on: its remaining checkpoints count 0 modes.
    while steps.count < setup.checkpoints {
        steps.append(((steps.count + 1) * totalSteps) / setup.checkpoints); modes.append(0); hq.append(0)
    }
    let samples = diverged ? [] : sampler(setup.finalSamples, finalSeed, true).map { $0.isFinite ? $0 : Float.greatestFiniteMagnitude }
    var series: [String: [Float]] = ["loss": losses, "samples": samples, "checkpoint_steps": steps.map(Float.init),
                                     "checkpoint_modes": modes.map(Float.init), "checkpoint_hq": hq.map(Float.init),
                                     "diverged": [diverged ? 1 : 0]]
    if !generatorLosses.isEmpty { series["generator_loss"] = generatorLosses }
    cache.store(holder, key: key, series: series)
    // Round the shares through Float as the cache does, so a fresh run and a cached one agree.
    return PointRunResult(losses: losses, generatorLosses: generatorLosses, checkpointSteps: steps, checkpointModes: modes,
                          checkpointHighQuality: hq.map { Double(Float($0)) }, samples: samples, report: score(samples),
                          diverged: diverged, cached: false, denoiser: denoiser)
}

/// The learning rate of step `step`: the warm-up and cosine decay chapter 05's trainer uses, so
/// every family sees the same schedule.
func scheduledRate(_ base: Float, step: Int, total: Int) -> Float {
    LRSchedule.warmupCosine(base: base, warmup: min(100, total / 10), total: total, minLR: base / 20).lr(at: step)
}

/// A batch of `batch` training points drawn with replacement.
func pointBatch(_ data: PointSet, batch: Int, rng: inout RNG) -> Tensor {
    var values = [Float]()
    values.reserveCapacity(2 * batch)
    for _ in 0..<batch {
        let i = rng.int(data.count)
        values += [data.coordinates[2 * i], data.coordinates[2 * i + 1]]
    }
    return Tensor(shape: [batch, 2], values: values)
}

/// Trains the VAE on −ELBO with KL weight `beta`; returns the loss per step and whether it diverged.
public func trainPointVAE(_ vae: MLPVAE, data: PointSet, steps: Int, setup: PointSetup, learningRate: Float, beta: Float,
                          rng: RNG, onStep: (Int) -> Void = { _ in }) -> (losses: [Float], diverged: Bool) {
    trainVAE(vae, batch: { pointBatch(data, batch: setup.batch, rng: &$0) }, batchSize: setup.batch, steps: steps,
             learningRate: learningRate, beta: beta, decoderStd: setup.vaeDecoderStd, rng: rng, onStep: onStep)
}

/// Trains a VAE on batches from `batch` (x first, then the reparameterisation noise, from the same
/// generator); returns the loss per step and whether it became non-finite (training stops there).
public func trainVAE(_ vae: MLPVAE, batch: (inout RNG) -> Tensor, batchSize: Int, steps: Int, learningRate: Float, beta: Float,
                     decoderStd: Float, rng: RNG, onStep: (Int) -> Void = { _ in }) -> (losses: [Float], diverged: Bool) {
    var rng = rng
    let opt = AdamW(vae.parameters, lr: learningRate, weightDecay: 0)
    var losses: [Float] = []
    for step in 0..<steps {
        let x = batch(&rng)
        let noise = Tensor.randn([batchSize, vae.latent], rng: &rng)
        opt.learningRate = scheduledRate(learningRate, step: step, total: steps)
        opt.zeroGrad()
        let loss = vae.loss(x, noise: noise, decoderStd: decoderStd, beta: beta).total
        let value = loss.item()
        losses.append(value)
        guard value.isFinite else { return (losses, true) }
        loss.backward()
        opt.step()
        onStep(step)
    }
    return (losses, false)
}

/// Trains a 2-D GAN (see `trainGAN`).
public func trainPointGAN(generator: MLP, discriminator: Module, data: PointSet, steps: Int, setup: PointSetup,
                          learningRate: Float, rng: RNG, onStep: (Int) -> Void = { _ in })
    -> (discriminatorLosses: [Float], generatorLosses: [Float], diverged: Bool) {
    trainGAN(generatorParameters: generator.parameters, generate: { generator($0) }, discriminator: discriminator,
             latent: setup.ganLatent, batchSize: setup.batch, realBatch: { pointBatch(data, batch: setup.batch, rng: &$0) },
             steps: steps, learningRate: learningRate, rng: rng, onStep: onStep)
}

/// Trains a GAN with the non-saturating generator loss, one discriminator step per generator
/// step, Adam with β₁ = 0.5 for both (the usual GAN setting: less momentum to overshoot with
/// while the opponent moves). `discriminator` is an `MLP` or a `SpectralMLP`. Per step the
/// generator draws a real batch, then z for the discriminator's fake batch, then z for the
/// generator's step. Returns both losses per step and whether they diverged.
public func trainGAN(generatorParameters: [Tensor], generate: (Tensor) -> Tensor, discriminator: Module, latent: Int, batchSize b: Int,
                     realBatch: (inout RNG) -> Tensor, steps: Int, learningRate: Float, rng: RNG, onStep: (Int) -> Void = { _ in })
    -> (discriminatorLosses: [Float], generatorLosses: [Float], diverged: Bool) {
    var rng = rng
    let dParams = (discriminator as? SpectralMLP)?.trainable ?? discriminator.parameters
    let judge: (Tensor) -> Tensor = { x in
        if let d = discriminator as? SpectralMLP { return d(x) }
        return (discriminator as! MLP)(x)
    }
    let optD = AdamW(dParams, lr: learningRate, betas: (0.5, 0.999), weightDecay: 0)
    let optG = AdamW(generatorParameters, lr: learningRate, betas: (0.5, 0.999), weightDecay: 0)
    var dLosses: [Float] = [], gLosses: [Float] = []
    for step in 0..<steps {
        let rate = scheduledRate(learningRate, step: step, total: steps)
        optD.learningRate = rate
        optG.learningRate = rate
        // Discriminator: real data → "real", generated data (no gradient to G) → "fake".
        let real = realBatch(&rng)
        let fake = Tensor.noGrad { generate(Tensor.randn([b, latent], rng: &rng)) }
        discriminator.zeroGrad()
        let logits = judge(Tensor.concat([real, fake], axis: 0))
        let parts = logits.split(axis: 0, sizes: [b, b])
        let dLoss = GANLoss.discriminator(realLogits: parts[0], fakeLogits: parts[1])
        dLoss.backward()
        optD.step()
        // Generator: make the (just updated) discriminator call fresh samples real.
        for p in generatorParameters { p.grad = nil }
        let gLoss = GANLoss.generatorNonSaturating(fakeLogits: judge(generate(Tensor.randn([b, latent], rng: &rng))))
        gLoss.backward()
        optG.step()
        let dv = dLoss.item(), gv = gLoss.item()
        dLosses.append(dv); gLosses.append(gv)
        guard dv.isFinite && gv.isFinite else { return (dLosses, gLosses, true) }
        onStep(step)
    }
    return (dLosses, gLosses, false)
}
