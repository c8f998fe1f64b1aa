import Datasets
import Diffusion
import Engine

/// Part A: a noise predictor for points in the plane, its training and its samples.

/// Everything that determines a 2-D training run (and so its cache key).
public struct PointTrainingConfig: Sendable, Equatable {
    /// Hidden width of the MLP.
    public var width = 128
    /// Number of hidden layers.
    public var depth = 4
    /// Size of the sinusoidal time embedding.
    public var timeDim = 32
    /// Optimiser steps.
    public var steps = 4000
    /// Points per batch.
    public var batch = 256
    /// Peak learning rate (AdamW, cosine decay after a short warm-up).
    public var learningRate: Float = 3e-3
    /// Size of the fixed training set drawn from the distribution.
    public var trainingPoints = 20_000

    /// The defaults: the full chapter's run.
    public init() {}

    /// A key naming this configuration for the model cache.
    public func key(data: String, schedule: NoiseSchedule, seed: UInt64) -> String {
        "points-\(data)-\(schedule.kind.rawValue)\(schedule.steps)-w\(width)-d\(depth)-te\(timeDim)-s\(steps)-b\(batch)-lr\(learningRate)-n\(trainingPoints)-seed\(seed)"
    }
}

/// The 2-D data sets of the chapter, by name.
public enum PointData: String, CaseIterable, Sendable {
    /// A ring of 8 Gaussians (radius 2, σ 0.05).
    case ring
    /// A 5×5 grid of 25 Gaussians (spacing 1, σ 0.05).
    case grid
    /// Two interleaving half moons.
    case moons
    /// A two-armed spiral.
    case spiral

    /// `n` points drawn with a generator seeded by `seed`.
    public func points(_ n: Int, seed: UInt64) -> PointSet {
        var rng = RNG(seed: seed)
        switch self {
        case .ring: return Points2D.ring(n, rng: &rng)
        case .grid: return Points2D.grid(n, rng: &rng)
        case .moons: return Points2D.twoMoons(n, rng: &rng)
        case .spiral: return Points2D.spiral(n, rng: &rng)
        }
    }

    /// A readable title.
    public var title: String {
        switch self {
        case .ring: return "8 Gaussians on a ring"
        case .grid: return "25 Gaussians on a grid"
        case .moons: return "two moons"
        case .spiral: return "spiral"
        }
    }
}

/// Trains a `PointDenoiser` on the simplified objective (predict the added noise) and returns the
/// loss of every step. All randomness (initial weights, batches, t, ε) comes from `seed`.
public func trainPointDenoiser(_ model: PointDenoiser, data: PointSet, schedule: NoiseSchedule,
                               config: PointTrainingConfig, seed: UInt64,
                               progress: ((Int) -> Void)? = nil) -> [Float] {
    var rng = RNG(seed: seed ^ 0x5EED_0002)
    let opt = AdamW(model.parameters, lr: config.learningRate, weightDecay: 0)
    let lr = LRSchedule.warmupCosine(base: config.learningRate, warmup: min(100, config.steps / 10),
                                     total: config.steps, minLR: config.learningRate / 20)
    var losses: [Float] = []
    losses.reserveCapacity(config.steps)
    let n = data.count
    for step in 0..<config.steps {
        var values = [Float]()
        values.reserveCapacity(2 * config.batch)
        for _ in 0..<config.batch {
            let i = rng.int(n)
            values += [data.coordinates[2 * i], data.coordinates[2 * i + 1]]
        }
        let x0 = Tensor(shape: [config.batch, 2], values: values)
        opt.learningRate = lr.lr(at: step)
        opt.zeroGrad()
        let loss = denoisingLoss(x0, schedule: schedule, rng: &rng) { model($0, $1) }
        loss.backward()
        opt.step()
        losses.append(loss.item())
        progress?(step)
    }
    return losses
}

/// A fresh denoiser of the configured size with weights from `seed`.
public func makePointDenoiser(_ config: PointTrainingConfig, seed: UInt64) -> PointDenoiser {
    var rng = RNG(seed: seed ^ 0x5EED_0001)
    return PointDenoiser(dimension: 2, width: config.width, depth: config.depth, timeDim: config.timeDim, rng: &rng)
}

/// Which reverse process draws the samples.
public enum PointSampler: Sendable, Equatable {
    /// Ancestral DDPM over every timestep.
    case ddpm
    /// Deterministic DDIM (η = 0) over this many evenly spaced steps.
    case ddim(Int)

    /// A label for tables and legends.
    public var label: String {
        switch self {
        case .ddpm: return "DDPM"
        case .ddim(let s): return "DDIM \(s)"
        }
    }

    /// Network evaluations per sample.
    public func evaluations(_ schedule: NoiseSchedule) -> Int {
        switch self {
        case .ddpm: return schedule.steps
        case .ddim(let s): return s
        }
    }
}

/// Draws `count` points ([count][2] flattened) from the trained model, starting from noise seeded
/// by `seed` (or from `start`, [count, 2]); `onStep` sees the sample after every step.
public func samplePoints(_ model: PointDenoiser, schedule: NoiseSchedule, sampler: PointSampler, count: Int,
                         seed: UInt64, start: Tensor? = nil, onStep: ((Int, Tensor) -> Void)? = nil) -> [Float] {
    var rng = RNG(seed: seed)
    let predictor: NoisePredictor = { x, t in Tensor.noGrad { model(x, t) } }
    let out: Tensor = Tensor.noGrad {
        switch sampler {
        case .ddpm:
            return DDPMSampler(schedule: schedule).sample(shape: [count, 2], start: start, rng: &rng, predictor: predictor, onStep: onStep)
        case .ddim(let steps):
            return DDIMSampler(schedule: schedule, steps: steps, eta: 0).sample(shape: [count, 2], start: start, rng: &rng, predictor: predictor, onStep: onStep)
        }
    }
    return out.values
}

/// The data noised to timestep `t` in closed form, with noise from `seed`.
public func noisedPoints(_ data: PointSet, schedule: NoiseSchedule, t: Int, seed: UInt64) -> [Float] {
    var rng = RNG(seed: seed)
    let eps = Tensor.randn([data.count, 2], std: 1, rng: &rng)
    return schedule.noised(data.tensor, t: [Int](repeating: t, count: data.count), noise: eps).values
}

/// True and predicted noise for `data` noised at timestep `t` (both [n][2] flattened), to show how
/// well the network reads the noise back.
public func noisePrediction(_ model: PointDenoiser, data: PointSet, schedule: NoiseSchedule, t: Int,
                            seed: UInt64) -> (truth: [Float], predicted: [Float]) {
    var rng = RNG(seed: seed)
    let eps = Tensor.randn([data.count, 2], std: 1, rng: &rng)
    let ts = [Int](repeating: t, count: data.count)
    let xt = schedule.noised(data.tensor, t: ts, noise: eps)
    let pred = Tensor.noGrad { model(xt, ts) }
    return (eps.values, pred.values)
}

/// Pearson correlation of two equally long lists.
public func correlation(_ a: [Float], _ b: [Float]) -> Double {
    let n = Double(a.count)
    let ma = a.reduce(0.0) { $0 + Double($1) } / n, mb = b.reduce(0.0) { $0 + Double($1) } / n
    var sab = 0.0, saa = 0.0, sbb = 0.0
    for (x, y) in zip(a, b) {
        let dx = Double(x) - ma, dy = Double(y) - mb
        sab += dx * dy; saa += dx * dx; sbb += dy * dy
    }
    return sab / (saa * sbb).squareRoot()
}
