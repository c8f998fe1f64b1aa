import Datasets
import Engine
import Models

/// How one autoencoder or VAE is trained.
public struct AutoencoderTraining: Sendable {
    /// The network.
    public var config: AutoencoderConfig
    /// β: weight of the KL term (nats per image against squared error per image); ignored by a plain autoencoder.
    public var klWeight: Float
    /// Optimiser steps.
    public var steps: Int
    /// Images per step.
    public var batch: Int
    /// Adam's learning rate (constant after a short warm-up, cosine-decayed to a tenth at the end).
    public var learningRate: Float
    /// Seed for the initial weights, the minibatches and the reparameterisation noise.
    public var seed: UInt64

    /// A training recipe.
    public init(config: AutoencoderConfig, klWeight: Float = 0, steps: Int, batch: Int, learningRate: Float = 2e-3, seed: UInt64) {
        self.config = config
        self.klWeight = klWeight
        self.steps = steps
        self.batch = batch
        self.learningRate = learningRate
        self.seed = seed
    }

    /// A cache key naming everything that changes the result (the data is named by the caller).
    public var key: String { "\(config)-beta\(klWeight)-s\(steps)-b\(batch)-lr\(learningRate)-seed\(seed)" }
}

extension TrainedAutoencoder {
    /// The cache key this run is stored under when it was trained on the images `dataKey` names.
    public func cacheKey(dataKey: String) -> String { recipe.key + "-" + dataKey }
}

/// A trained autoencoder with its loss history.
public struct TrainedAutoencoder {
    /// The recipe.
    public let recipe: AutoencoderTraining
    /// The trained network.
    public let model: Autoencoder
    /// Reconstruction error (mean squared error per pixel value) at every step.
    public let reconstruction: [Float]
    /// KL in nats per image at every step (zeros for a plain autoencoder).
    public let kl: [Float]
}

/// Trains an autoencoder or VAE on `images` with Adam, or restores the identical run from `cache`.
/// `dataKey` names the training images in the cache key. With `start` (a trained model of the same
/// configuration and the cache key it was stored under), training begins from its weights instead
/// of fresh ones: fine-tuning, as chapter 08 does to teach chapter 06's VAE smaller shapes.
public func trainAutoencoder(_ recipe: AutoencoderTraining, images: ImageSet, dataKey: String,
                             cache: TrainingCache = TrainingCache(folder: nil, fresh: false),
                             startingFrom start: (model: Autoencoder, key: String)? = nil,
                             progress: (Int) -> Void = { _ in }) -> TrainedAutoencoder {
    var rng = RNG(seed: recipe.seed)
    let model = Autoencoder(recipe.config, rng: &rng)
    var key = recipe.key + "-" + dataKey
    if let start {
        precondition(start.model.config == recipe.config, "trainAutoencoder: cannot start a \(recipe.config) from a \(start.model.config)")
        for (p, q) in zip(model.parameters, start.model.parameters) { p.storage.pointer.update(from: q.data, count: p.count) }
        key += "-from-" + start.key
    }
    if let series = cache.restore(model, key: key),
       let rec = series["reconstruction"], let kl = series["kl"], rec.count == recipe.steps, kl.count == recipe.steps {
        return TrainedAutoencoder(recipe: recipe, model: model, reconstruction: rec, kl: kl)
    }
    let optimizer = Adam(model.parameters, lr: recipe.learningRate)
    let schedule = LRSchedule.warmupCosine(base: recipe.learningRate, warmup: max(1, recipe.steps / 20),
                                           total: recipe.steps, minLR: recipe.learningRate / 10)
    var reconstruction: [Float] = [], kl: [Float] = []
    for step in 0..<recipe.steps {
        let x = images.tensor(indices: batchIndices(images.count, batch: recipe.batch, rng: &rng))
        let loss = model.loss(x, klWeight: recipe.klWeight, rng: &rng)
        optimizer.zeroGrad()
        loss.total.backward()
        optimizer.learningRate = schedule.lr(at: step)
        optimizer.step()
        reconstruction.append(loss.reconstruction.item())
        kl.append(loss.kl.item())
        progress(step)
    }
    cache.store(model, key: key, series: ["reconstruction": reconstruction, "kl": kl])
    return TrainedAutoencoder(recipe: recipe, model: model, reconstruction: reconstruction, kl: kl)
}

/// Mean squared error per pixel value of the model's reconstructions (decoding the mean) of `images`,
/// computed in batches of `batch`.
public func reconstructionError(_ model: Autoencoder, images: ImageSet, batch: Int = 100) -> Double {
    var total = 0.0
    var start = 0
    while start < images.count {
        let end = min(images.count, start + batch)
        let x = images.tensor(start..<end)
        let y = model.reconstruct(x)
        // Scoped: both are temporaries, freed after their last use.
        x.withUnsafeValues { xp in
            y.withUnsafeValues { yp in for i in 0..<x.count { let d = Double(xp[i] - yp[i]); total += d * d } }
        }
        start = end
    }
    return total / Double(images.count * images.imageSize)
}

/// The error of the best constant guess: every image replaced by the training mean image. A model
/// that has learned nothing about individual images cannot beat it.
public func meanImageError(train: ImageSet, test: ImageSet) -> Double {
    let d = train.imageSize
    var mean = [Double](repeating: 0, count: d)
    for i in 0..<train.count { for (j, v) in train.image(i).enumerated() { mean[j] += Double(v) } }
    for j in 0..<d { mean[j] /= Double(train.count) }
    var total = 0.0
    for i in 0..<test.count { for (j, v) in test.image(i).enumerated() { let e = Double(v) - mean[j]; total += e * e } }
    return total / Double(test.count * d)
}
