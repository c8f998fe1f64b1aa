import Ch06Latent
import Ch08TextToImage
import Datasets
import Diffusion
import Engine
import Models

/// The concept chapter 10 teaches the text-to-image model: a colour it never saw, bound to a word
/// its text encoder never read.
public enum NewConcept {
    /// The new word.
    public static let word = "purple"
    /// Its colour (red, green and blue in [0, 1]): far from the four training colours.
    public static let rgb: (Float, Float, Float) = (0.75, 0.2, 0.9)
    /// The palette colour names and values the measured colour is matched against.
    public static let palette: [(name: String, rgb: (Float, Float, Float))] =
        ShapeColor.allCases.map { ($0.name, $0.rgb) } + [(word, rgb)]
}

/// `scene` rendered with every object repainted in `rgb`. The renderer blends a shape's colour c
/// over the black background as −1 + 2·α·c per channel (α the pixel's coverage), so α is read
/// back from the channel where the original colour is brightest and the pixel is redrawn with the
/// new colour at the same coverage: anti-aliased edges stay as they were.
public func recoloured(_ scene: Scene, rgb: (Float, Float, Float)) -> [Float] {
    precondition(scene.objects.count == 1, "recoloured: one object per scene, got \(scene.objects.count)")
    let pixels = scene.render()
    let (r, g, b) = scene.objects[0].color.rgb
    let original = [r, g, b], target = [rgb.0, rgb.1, rgb.2]
    let strongest = original.indices.max { original[$0] < original[$1] }!
    let plane = scene.side * scene.side
    var out = pixels
    for p in 0..<plane {
        let alpha = (pixels[strongest * plane + p] + 1) / (2 * original[strongest])
        for c in 0..<3 { out[c * plane + p] = -1 + 2 * alpha * target[c] }
    }
    return out
}

/// The colour of the shape in image `i` of `x` [N, 3, H, W] in [-1, 1], named by the nearest
/// palette colour: the mean of the pixels lit above half brightness (edges, dimmed by coverage,
/// are left out), or nil when no pixel is that bright.
public func measuredColour(_ x: Tensor, _ i: Int) -> String? {
    guard let m = litColour(x, i) else { return nil }
    func d(_ q: (Float, Float, Float)) -> Float { (m.0 - q.0) * (m.0 - q.0) + (m.1 - q.1) * (m.1 - q.1) + (m.2 - q.2) * (m.2 - q.2) }
    return NewConcept.palette.min { d($0.rgb) < d($1.rgb) }!.name
}

/// The mean colour (red, green, blue in [0, 1]) of the pixels of image `i` lit above half
/// brightness, or nil when there are none.
public func litColour(_ x: Tensor, _ i: Int) -> (Float, Float, Float)? {
    let plane = x.shape[2] * x.shape[3]
    let v = x.values
    var sum: (Float, Float, Float) = (0, 0, 0)
    var count = 0
    for p in 0..<plane {
        let c = (0..<3).map { (v[(i * 3 + $0) * plane + p] + 1) / 2 }
        guard c.max()! >= 0.5 else { continue }
        sum.0 += c[0]; sum.1 += c[1]; sum.2 += c[2]
        count += 1
    }
    guard count > 0 else { return nil }
    return (sum.0 / Float(count), sum.1 / Float(count), sum.2 / Float(count))
}

/// A copy of `encoder` that also reads `word`: the text tower's token table gains one row, drawn
/// with the spread of the existing rows, and nothing else changes. The new row is never trained:
/// like the rare token DreamBooth binds a subject to, its vector means nothing until the U-Net's
/// adapters learn what to draw when they see it.
public func addingWord(_ word: String, to encoder: CaptionEncoder, seed: UInt64) -> CaptionEncoder {
    let old = encoder.text
    var config = old.config
    config.vocab += 1
    var rng = RNG(seed: seed)
    let text = TextEncoder(config, rng: &rng)
    let source = Dictionary(uniqueKeysWithValues: old.namedParameters().map { ($0.name, $0.tensor) })
    let table = old.tok.weight.values
    let mean = table.reduce(0, +) / Float(table.count)
    let std = (table.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Float(table.count)).squareRoot()
    for (name, t) in text.namedParameters() {
        let s = source[name]!
        t.storage.pointer.update(from: s.data, count: s.count)
        if name == "tok.weight" {
            for k in s.count..<t.count { t.storage.pointer[k] = std * rng.normal() }
        }
        t.requiresGrad = false
    }
    text.eval()
    return CaptionEncoder(text, vocabulary: SceneVocabulary(words: encoder.vocabulary.words + [word]))
}

/// How the concept is taught.
public struct ConceptTuning: Sendable {
    /// Adapter rank and α on every cross-attention projection of the U-Net.
    public var rank: Int, alpha: Float
    /// Optimizer steps, latents per step, Adam's learning rate.
    public var steps: Int, batch: Int, learningRate: Float
    /// Share of each batch from chapter 08's own training scenes (prior preservation).
    public var priorShare: Double

    public init(rank: Int, alpha: Float, steps: Int, batch: Int, learningRate: Float, priorShare: Double) {
        self.rank = rank; self.alpha = alpha; self.steps = steps; self.batch = batch
        self.learningRate = learningRate; self.priorShare = priorShare
    }

    var key: String { "concept-r\(rank)-a\(alpha)-s\(steps)-b\(batch)-lr\(learningRate)-prior\(priorShare)" }
}

/// Attaches adapters to every cross-attention projection of `unet` (freezing the rest) and trains
/// them on `concept` latents with their captions, mixed with `prior` latents and captions, by the
/// same denoising loss the U-Net was trained with. Restores the identical run from `cache`.
/// Returns the adapters' parameter count and the loss per step.
public func teachConcept(_ unet: TextConditionedUNet, _ plan: ConceptTuning, encoder: CaptionEncoder,
                         concept: Tensor, conceptCaptions: [[String]], prior: Tensor, priorCaptions: [[String]],
                         seed: UInt64, dataKey: String, cache: TrainingCache) throws -> (trainable: Int, losses: [Float], cached: Bool) {
    var rng = RNG(seed: seed)
    for p in unet.parameters { p.requiresGrad = false }
    var trainable: [Tensor] = []
    for block in unet.attentionBlocks {
        for layer in block.projections {
            let a = layer.attachAdapter(rank: plan.rank, alpha: plan.alpha, rng: &rng)
            trainable += [a.down, a.up]
        }
    }
    let count = trainable.reduce(0) { $0 + $1.count }
    let key = plan.key + "-" + dataKey + "-seed\(seed)"
    if let series = cache.restore(unet, key: key), let losses = series["loss"], losses.count == plan.steps {
        return (count, losses, true)
    }
    let optimizer = Adam(trainable, lr: plan.learningRate)
    let priorCount = Int((Double(plan.batch) * plan.priorShare).rounded())
    let losses = try trainingLoop(steps: plan.steps, optimizer: optimizer, clip: 1, lossName: "concept loss") { _ in
        let ci = batchIndices(concept.shape[0], batch: min(plan.batch - priorCount, concept.shape[0]), rng: &rng)
        let pi = batchIndices(prior.shape[0], batch: priorCount, rng: &rng)
        let captions = trainingCaptions(ci, captions: conceptCaptions, dropout: 0.1, rng: &rng)
            + trainingCaptions(pi, captions: priorCaptions, dropout: 0.1, rng: &rng)
        let text = encoder.encodeKnown(captions)
        let x0 = Tensor.concat([rows(concept, ci), rows(prior, pi)], axis: 0)
        return denoisingLoss(x0, schedule: chapterSchedule, rng: &rng) { unet($0, $1, text) }
    }
    cache.store(unet, key: key, series: ["loss": losses])
    return (count, losses, false)
}

/// Fine-tunes only the decoder of `vae` (encoder frozen, so every latent the U-Net learned keeps its
/// meaning) to redraw `concept` images from their latents, with half of every batch from `prior`
/// images so the old colours are kept: the autoencoder must be able to *draw* a colour before any
/// U-Net can ask for it. Mean squared error in pixels, Adam. Restores the identical run from `cache`.
public func tuneDecoder(_ vae: Autoencoder, concept: ImageSet, prior: ImageSet, steps: Int, batch: Int, learningRate: Float,
                        seed: UInt64, dataKey: String, cache: TrainingCache) throws -> (losses: [Float], cached: Bool) {
    let key = "decoder-s\(steps)-b\(batch)-lr\(learningRate)-\(dataKey)-seed\(seed)"
    if let series = cache.restore(vae, key: key), let losses = series["loss"], losses.count == steps { return (losses, true) }
    let conceptCodes = encodeAll(vae, concept), priorCodes = encodeAll(vae, prior)
    for p in vae.encoder.parameters { p.requiresGrad = false }
    let trainable = vae.decoder.parameters
    let optimizer = Adam(trainable, lr: learningRate)
    var rng = RNG(seed: seed)
    let losses = try trainingLoop(steps: steps, optimizer: optimizer, clip: 1, lossName: "decoder loss") { _ in
        let half = min(batch / 2, concept.count)
        let ci = batchIndices(concept.count, batch: half, rng: &rng)
        let pi = batchIndices(prior.count, batch: batch - half, rng: &rng)
        let z = Tensor.concat([rows(conceptCodes, ci), rows(priorCodes, pi)], axis: 0)
        let x = Tensor.concat([concept.tensor(indices: ci), prior.tensor(indices: pi)], axis: 0)
        let diff = vae.decode(z) - x
        return (diff * diff).mean()
    }
    cache.store(vae, key: key, series: ["loss": losses])
    return (losses, false)
}
