import Ch06Latent
import Datasets
import Diffusion
import Engine
import Models

/// The trained text-to-image pipeline exactly as chapter 08 builds it, each part restored from
/// the chapters' caches (or trained there): chapter 06's VAE fine-tuned on the scenes, chapter
/// 07's frozen text encoder, the cross-attention U-Net and the judge. Chapter 10 fine-tunes it;
/// the settings, seeds and cache keys below must stay those of chapter 08's `main.swift`.
public struct TextToImagePipeline {
    /// The run's sizes.
    public let settings: TextToImageSettings
    /// Chapter 06's VAE and chapter 07's encoders.
    public let parts: ReusedParts
    /// The training scenes and every true caption of each.
    public let train: SceneSet
    public let captions: [[String]]
    /// The VAE fine-tuned on the scenes.
    public let vae: Autoencoder
    /// The training scenes' latents, their scale and per-channel ranges.
    public let latents: LatentDataset
    /// The cross-attention U-Net.
    public let model: TrainedTextToImage
    /// The kind-and-colour judge.
    public let judge: SceneJudge

    /// The caption encoder the U-Net was trained with.
    public var encoder: CaptionEncoder { parts.captions }
    /// Shape of one latent, e.g. [4, 8, 8].
    public var latentShape: [Int] { Array(latents.latents.shape.dropFirst()) }

    /// Loads (or trains) every part; `cacheRoot` holds the chapters' cache folders. Throws if a
    /// training run diverges.
    public init(quick: Bool, seed: UInt64, cacheRoot: String, note: (String) -> Void) throws {
        let s = quick ? TextToImageSettings.quick : TextToImageSettings.full
        settings = s
        let cache = TrainingCache(folder: cacheRoot + "/08-text-to-image", fresh: false)
        parts = ReusedParts(quick: quick, seed: seed, cacheRoot: cacheRoot, note: note)
        train = SceneSet(count: s.trainCount, seed: seed &* 8 &+ 1)
        captions = train.scenes.map(SceneCaptions.captions)
        let sceneKey = "scenes\(train.count)-seed\(seed)"
        let tuned = parts.sceneVAE(scenes: train, steps: s.vaeSteps, batch: 32, klWeight: s.vaeKLWeight, learningRate: 2e-3,
                                   seed: seed &+ 820, dataKey: sceneKey, cache: cache)
        vae = tuned.model
        latents = LatentDataset(model: vae, images: train.images)
        let shape = Array(latents.latents.shape.dropFirst())
        let text = parts.captions.text.config
        let unet = UNetConfig(inChannels: shape[0], outChannels: shape[0], baseChannels: s.baseChannels,
                              channelMultipliers: [1, 2], groups: 8, timeDim: 128)
        let config = TextUNetConfig(unet: unet, contextDim: text.width, pooledDim: text.embedDim, heads: 4, mode: .crossAttention)
        let recipe = TextToImageRecipe(config: config, steps: s.steps, batch: s.batch, learningRate: 2e-3, dropout: s.dropout, seed: seed &+ 810)
        let dataKey = sceneKey + "-vae\(parts.baseVAE.recipe.steps)+\(tuned.recipe.steps)-clip\(parts.alignment.recipe.steps)"
        model = try trainTextToImage(recipe, latents: latents.latents, captions: captions, encoder: parts.captions, dataKey: dataKey, cache: cache)
        let judgeSet = SceneSet(count: s.judgeCount, seed: seed &* 8 &+ 40, objectCounts: 1...1, heldOut: .any)
        judge = SceneJudge(scenes: judgeSet, steps: s.judgeSteps, seed: seed &+ 800, dataKey: "singles\(judgeSet.count)-seed\(seed)", cache: cache)
    }
}
