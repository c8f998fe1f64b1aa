import Datasets
import Engine
import Models

extension LatentSettings {
    /// The recipe of the chapter's VAE (β = `mainKLWeight`), the one its latent diffusion runs on and
    /// chapter 08 reuses: one definition, so the two chapters cannot drift apart.
    public func chapterVAERecipe(seed: UInt64) -> AutoencoderTraining {
        AutoencoderTraining(config: AutoencoderConfig(width: autoencoderWidth, latentChannels: 4, variational: true),
                            klWeight: mainKLWeight, steps: autoencoderSteps, batch: autoencoderBatch,
                            learningRate: 3e-3, seed: seed &+ 210)
    }

    /// The recipe of the wider VAE (`latentVAEWidth`) that section 5's latent diffusion runs on: the
    /// chapter VAE's recipe with a wider network and its own seed.
    public func latentVAERecipe(seed: UInt64) -> AutoencoderTraining {
        var recipe = chapterVAERecipe(seed: seed)
        recipe.config.width = latentVAEWidth
        recipe.seed = seed &+ 220
        return recipe
    }

    /// The cache name of the chapter's training images for `seed`.
    public func trainingDataKey(seed: UInt64) -> String { "shapes\(trainCount)-seed\(seed)" }
}

/// Chapter 06's VAE, for chapter 08 (text to image), which runs its diffusion in this latent space.
///
/// It rebuilds the chapter's training images from `seed` and restores the VAE from the chapter's
/// cache (`.cache/06-latent` by default). When the file is missing or stale it says so through
/// `note` and retrains it (seconds for `quick`, a few minutes for the full run), bit for bit the
/// run chapter 06 would make.
public func loadChapter06VAE(quick: Bool, seed: UInt64, cacheFolder: String = ".cache/06-latent",
                             fresh: Bool = false, note: (String) -> Void = { print($0) }) -> TrainedAutoencoder {
    let settings = quick ? LatentSettings.quick : LatentSettings.full
    let recipe = settings.chapterVAERecipe(seed: seed)
    let cache = TrainingCache(folder: cacheFolder, fresh: fresh)
    let dataKey = settings.trainingDataKey(seed: seed)
    var probe = RNG(seed: recipe.seed)
    if fresh || cache.restore(Autoencoder(recipe.config, rng: &probe), key: recipe.key + "-" + dataKey) == nil {
        note("note: no cached chapter-06 VAE for this run in \(cacheFolder) (missing or stale); training it now (\(recipe.steps) steps)")
    }
    let data = ShapesData(trainCount: settings.trainCount, testCount: settings.testCount, seed: seed)
    return trainAutoencoder(recipe, images: data.train.images, dataKey: dataKey, cache: cache)
}
