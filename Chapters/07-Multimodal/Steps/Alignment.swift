import Datasets
import Engine
import Foundation
import Models

/// An image encoder and a text encoder that map into one space, with CLIP's learnable temperature.
public final class AlignmentModel: Module {
    /// Images → embeddings.
    public let image: ImageEncoder
    /// Captions → embeddings (and per-token vectors, for chapter 08).
    public let text: TextEncoder
    /// exp(logScale) multiplies the cosine similarities.
    public let scale: LogitScale

    /// The two towers with weights drawn from `seed`.
    public init(_ recipe: AlignmentRecipe) {
        var rng = RNG(seed: recipe.seed)
        image = ImageEncoder(recipe.imageConfig, rng: &rng)
        text = TextEncoder(recipe.textConfig, rng: &rng)
        scale = LogitScale(temperature: 0.07)
        super.init()
    }

    public override var children: [(name: String, module: Module)] {
        [("image", image), ("text", text), ("scale", scale)]
    }

    /// Normalised image embeddings of `images` in batches (no gradients).
    public func imageEmbeddings(_ images: ImageSet, batch: Int = 128) -> Tensor {
        Tensor.noGrad {
            var parts: [Tensor] = []
            var s = 0
            while s < images.count {
                let e = min(images.count, s + batch)
                parts.append(l2Normalized(image(images.tensor(s..<e))))
                s = e
            }
            return Tensor.concat(parts, axis: 0)
        }
    }

    /// Normalised text embeddings of `texts` (no gradients).
    public func textEmbeddings(_ texts: [String]) -> Tensor {
        Tensor.noGrad { l2Normalized(text(texts.map(encodeText))) }
    }
}

/// How the alignment model is built and trained; `key` names all of it for the cache.
public struct AlignmentRecipe: Sendable {
    /// The image tower.
    public var imageConfig: ImageEncoderConfig
    /// The text tower.
    public var textConfig: TextEncoderConfig
    /// Optimiser steps.
    public var steps: Int
    /// Matching pairs per batch.
    public var batch: Int
    /// Peak learning rate.
    public var learningRate: Float
    /// Seed of the weights and the batches.
    public var seed: UInt64
    /// Training scenes.
    public var trainCount: Int

    /// The chapter's recipe for `settings` and `seed`.
    public init(_ settings: MultimodalSettings, seed: UInt64) {
        imageConfig = ImageEncoderConfig(width: 32, embedDim: 64)
        textConfig = TextEncoderConfig(vocab: SceneVocabulary.standard.count, context: textContext, width: 64, heads: 4, layers: 2, embedDim: 64)
        steps = settings.alignSteps
        batch = settings.alignBatch
        learningRate = 5e-3
        self.seed = seed &+ 700
        trainCount = settings.trainCount
    }

    /// Everything that changes the trained weights.
    public var key: String {
        "align-\(imageConfig)-\(textConfig)-s\(steps)-b\(batch)-lr\(learningRate)-seed\(seed)-scenes\(trainCount)"
    }
}

/// A trained alignment model and its loss and temperature per step.
public struct TrainedAlignment {
    /// The recipe it was trained with.
    public let recipe: AlignmentRecipe
    /// The model.
    public let model: AlignmentModel
    /// Symmetric InfoNCE loss per step (nats).
    public let losses: [Float]
    /// exp(logScale) after each step.
    public let scales: [Float]
    /// Whether it came from the cache.
    public let cached: Bool
}

/// Trains the alignment model on `train` (each step: `batch` scenes, one of each scene's captions
/// chosen at random), or restores the identical run from `cache`.
public func trainAlignment(_ recipe: AlignmentRecipe, train: SceneSet, cache: TrainingCache,
                           progress: (Int) -> Void = { _ in }) -> TrainedAlignment {
    let model = AlignmentModel(recipe)
    if let s = cache.restore(model, key: recipe.key), let l = s["loss"], let sc = s["scale"], l.count == recipe.steps, sc.count == recipe.steps {
        return TrainedAlignment(recipe: recipe, model: model, losses: l, scales: sc, cached: true)
    }
    let captions = train.scenes.map { SceneCaptions.captions($0).map(encodeText) }
    var rng = RNG(seed: recipe.seed &+ 1)
    var scales: [Float] = []
    let losses = trainLoop(model, steps: recipe.steps, lr: recipe.learningRate, afterStep: {
        model.scale.clamp()
        scales.append(model.scale.scale)
    }) { step in
        let idx = batchIndices(train.count, batch: recipe.batch, rng: &rng)
        let ids = idx.map { captions[$0][rng.int(captions[$0].count)] }
        let loss = contrastiveLoss(image: model.image(train.images.tensor(indices: idx)), text: model.text(ids),
                                   logScale: model.scale.logScale)
        progress(step)
        return loss
    }
    cache.store(model, key: recipe.key, series: ["loss": losses, "scale": scales])
    return TrainedAlignment(recipe: recipe, model: model, losses: losses, scales: scales, cached: false)
}

/// The trained text and image encoders of chapter 07, for chapter 08 (text to image) and anyone
/// else who needs captions and images in one space.
///
/// It rebuilds the chapter's training scenes from `seed`, then restores the encoders from the
/// chapter's cache (`.cache/07-multimodal` by default, safetensors with the run's key in its
/// metadata). When the file is missing, or was written for other settings or by an engine with
/// different arithmetic, it prints a note through `note` and retrains (about as long as the
/// chapter's own training: seconds for `quick`, a few minutes for the full run).
///
///     let clip = loadChapter07Encoders(quick: nb.quick, seed: nb.seed) { nb.say($0) }
///     let words = clip.model.text.tokens(ids)   // [B, 24, 64] for cross-attention
public func loadChapter07Encoders(quick: Bool, seed: UInt64, cacheFolder: String = ".cache/07-multimodal",
                                  fresh: Bool = false, note: (String) -> Void = { print($0) }) -> TrainedAlignment {
    let settings = quick ? MultimodalSettings.quick : MultimodalSettings.full
    let recipe = AlignmentRecipe(settings, seed: seed)
    let cache = TrainingCache(folder: cacheFolder, fresh: fresh)
    let model = AlignmentModel(recipe)
    if !fresh, cache.restore(model, key: recipe.key) != nil {
        // The full restore (with the loss series) happens below; this only decides the note.
    } else {
        note("note: no cached chapter-07 encoders for this run in \(cacheFolder) (missing or stale); training them now (\(recipe.steps) steps)")
    }
    return trainAlignment(recipe, train: MultimodalData.trainingScenes(count: settings.trainCount, seed: seed), cache: cache)
}
