import Ch06Latent
import Ch07Multimodal
import Datasets
import Diffusion
import Engine
import Models

/// The frozen text side of the pipeline: chapter 07's text encoder turned into what the U-Net reads.
public struct CaptionEncoder {
    /// Chapter 07's trained text tower (never updated here).
    public let text: TextEncoder
    /// The words it reads (chapter 10 adds one for a new concept).
    public let vocabulary: SceneVocabulary

    /// Wraps a trained text encoder that reads `vocabulary`.
    public init(_ text: TextEncoder, vocabulary: SceneVocabulary = .standard) {
        precondition(text.config.vocab == vocabulary.count, "CaptionEncoder: the encoder has \(text.config.vocab) token ids, the vocabulary \(vocabulary.count) words")
        self.text = text
        self.vocabulary = vocabulary
    }

    /// Token vectors [N, 24, 64] and the pooled embedding [N, 64] of `captions`, without gradients.
    /// The empty string is the "no caption" of classifier-free guidance: only the start and end
    /// markers and padding. Throws when a word is not in the scene vocabulary, naming it.
    public func encode(_ captions: [String]) throws -> TextCondition {
        let ids = try captions.map { try vocabulary.encode($0, length: text.config.context) }
        return Tensor.noGrad {
            let tokens = text.tokens(ids)
            let first = tokens.slice(axis: 1, 0..<1).reshape([captions.count, text.config.width])
            return TextCondition(tokens: tokens, pooled: text.proj(first))
        }
    }

    /// `encode` for the course's own captions, which are always in the vocabulary (a failure is a
    /// bug in the chapter, reported with the text).
    public func encodeKnown(_ captions: [String]) -> TextCondition {
        do { return try encode(captions) } catch { fatalError("\(error)") }
    }
}

/// The pieces chapter 08 reuses, each loaded from its chapter's cache (or retrained there).
public struct ReusedParts {
    /// Chapter 06's VAE as that chapter trained it (single shapes of radius 5 to 11).
    public let baseVAE: TrainedAutoencoder
    /// The cache key `baseVAE` is stored under in chapter 06's cache.
    public let baseVAEKey: String
    /// Chapter 07's contrastive model; its text tower conditions the U-Net. Frozen.
    public let alignment: TrainedAlignment
    /// The text tower as the U-Net reads it.
    public var captions: CaptionEncoder { CaptionEncoder(alignment.model.text) }

    /// Loads both (chapter 06's cache under `root/06-latent`, chapter 07's under `root/07-multimodal`).
    public init(quick: Bool, seed: UInt64, cacheRoot: String, note: (String) -> Void) {
        baseVAE = loadChapter06VAE(quick: quick, seed: seed, cacheFolder: cacheRoot + "/06-latent", note: note)
        baseVAEKey = baseVAE.cacheKey(dataKey: (quick ? LatentSettings.quick : LatentSettings.full).trainingDataKey(seed: seed))
        alignment = loadChapter07Encoders(quick: quick, seed: seed, cacheFolder: cacheRoot + "/07-multimodal", note: note)
    }

    /// Chapter 06's VAE fine-tuned on `scenes` for `steps` steps (same β, a third of chapter 06's
    /// learning rate), or restored from `cache`: the scenes' shapes are smaller than any chapter 06
    /// trained on, and an autoencoder only keeps what its training images showed it.
    public func sceneVAE(scenes: SceneSet, steps: Int, batch: Int, klWeight: Float, learningRate: Float, seed: UInt64, dataKey: String,
                         cache: TrainingCache, progress: (Int) -> Void = { _ in }) -> TrainedAutoencoder {
        let recipe = AutoencoderTraining(config: baseVAE.recipe.config, klWeight: klWeight, steps: steps,
                                         batch: batch, learningRate: learningRate, seed: seed)
        return trainAutoencoder(recipe, images: scenes.images, dataKey: dataKey, cache: cache,
                                startingFrom: (baseVAE.model, baseVAEKey), progress: progress)
    }
}
