import Datasets
import Engine
import Models

/// An image captioner: the frozen feature grid of the alignment model's image encoder, pooled to
/// 4×4, becomes 16 *prefix tokens* in front of the caption, and a small causal transformer
/// (chapter 02's GPT block) continues the sequence word by word.
///
/// Prefix tokens rather than cross-attention: the decoder stays an ordinary GPT that attends to
/// image and words through the same causal self-attention, which is the whole change from chapter
/// 02 (as in ClipCap and LLaVA). Cross-attention (Flamingo, and chapter 08's U-Net) adds a second
/// attention per block whose keys are image tokens; it pays off when the image is long or the
/// language model is frozen, neither of which holds here.
public final class Captioner: Module {
    /// Grid features → decoder width.
    public let prefix: Linear
    /// One position vector per prefix token [16, width].
    public let prefixPosition: Tensor
    /// Word table and word positions.
    public let tok: Embedding
    public let pos: Embedding
    /// Causal transformer blocks.
    public let blocks: [TransformerBlock]
    /// Final normalisation and the word head.
    public let ln: LayerNorm
    public let head: Linear

    /// Prefix tokens per image.
    public static let prefixCount = 16

    /// A captioner for `featureWidth`-channel grids, of decoder width `width` with `layers`
    /// blocks, weights from `seed`.
    public init(featureWidth: Int, width: Int, layers: Int, seed: UInt64) {
        var rng = RNG(seed: seed)
        let vocab = SceneVocabulary.standard.count
        prefix = Linear(featureWidth, width, rng: &rng)
        prefixPosition = Init.normal([Self.prefixCount, width], std: 0.1, rng: &rng)
        prefixPosition.requiresGrad = true
        tok = Embedding(vocab, width, rng: &rng)
        pos = Embedding(textContext, width, rng: &rng)
        let config = GPTConfig(vocab: vocab, context: Self.prefixCount + textContext, width: width, heads: 4, layers: layers)
        blocks = (0..<layers).map { _ in TransformerBlock(config, rng: &rng) }
        ln = LayerNorm(width)
        head = Linear(width, vocab, bias: false, rng: &rng)
        super.init()
    }

    public override var localParameters: [(name: String, tensor: Tensor)] { [("prefix_position", prefixPosition)] }

    public override var children: [(name: String, module: Module)] {
        [("prefix", prefix), ("tok", tok), ("pos", pos)]
            + blocks.enumerated().map { ("blocks.\($0.offset)", $0.element as Module) } + [("ln", ln), ("head", head)]
    }

    /// The 16 prefix tokens of feature grids [B, C, 8, 8] → [B, 16, width].
    public func prefixTokens(_ grid: Tensor) -> Tensor {
        let f = grid.avgPool2d(kernel: 2)
        let b = f.shape[0], c = f.shape[1]
        return prefix(f.reshape([b, c, Self.prefixCount]).transpose(1, 2)) + prefixPosition
    }

    /// Next-word logits [B, L, vocab] for word ids [B][L] (L ≤ context) after the prefix `p`.
    public func logits(prefix p: Tensor, words: [[Int]]) -> Tensor {
        let b = words.count, l = words[0].count
        let w = tok(ids: words.flatMap { $0 }, shape: [b, l]) + pos(ids: Array(0..<l), shape: [l])
        var h = Tensor.concat([p, w], axis: 1)
        for block in blocks { h = block(h) }
        return head(ln(h.slice(axis: 1, Self.prefixCount..<(Self.prefixCount + l))))
    }

    /// Mean cross-entropy (nats per word) of the captions `ids` [B][context] given their images:
    /// the output after word t predicts word t+1; padding is not scored. `x` is the feature grids.
    public func loss(_ x: Tensor, _ ids: [[Int]]) -> Tensor {
        let inputs = ids.map { Array($0.dropLast()) }, targets = ids.flatMap { $0.dropFirst() }
        let out = logits(prefix: prefixTokens(x), words: inputs)
        return crossEntropy(out.reshape([-1, SceneVocabulary.standard.count]), targets, ignoreIndex: SceneVocabulary.pad)
    }

    /// Captions for the feature grids `x`, word by word with `rule`, until every caption has ended.
    public func caption(_ x: Tensor, rule: SamplingRule, rng: inout RNG) -> [String] {
        Tensor.noGrad {
            let p = prefixTokens(x)
            let b = x.shape[0], v = SceneVocabulary.standard.count
            var words = [[Int]](repeating: [SceneVocabulary.start], count: b)
            var done = [Bool](repeating: false, count: b)
            for _ in 1..<textContext where !done.allSatisfy({ $0 }) {
                let out = logits(prefix: p, words: words)
                let l = words[0].count
                for i in 0..<b {
                    let row = out.withUnsafeValues { Array(UnsafeBufferPointer(start: $0 + (i * l + l - 1) * v, count: v)) }
                    let next = done[i] ? SceneVocabulary.pad : rule.pick(row, rng: &rng)
                    words[i].append(next)
                    if next == SceneVocabulary.end { done[i] = true }
                }
            }
            return words.map { SceneVocabulary.standard.decode($0) }
        }
    }
}

/// Trains a captioner on the canonical captions of `train` over the frozen `features` of its
/// images (named by `featureKey` in the cache key), or restores the identical run.
public func trainCaptioner(_ settings: MultimodalSettings, train: SceneSet, features: FrozenFeatures, featureKey: String,
                           seed: UInt64, cache: TrainingCache,
                           progress: (Int) -> Void = { _ in }) -> (model: Captioner, losses: [Float], cached: Bool) {
    let model = Captioner(featureWidth: features.grid.shape[1], width: 64, layers: 2, seed: seed)
    let key = "caption-w64-l2-s\(settings.captionSteps)-b\(settings.captionBatch)-seed\(seed)-scenes\(train.count)-on-\(shortHash(featureKey))"
    let ids = train.scenes.map { encodeText(SceneCaptions.canonical($0)) }
    var rng = RNG(seed: seed &+ 1)
    let r = cache.trained(model, key: key) {
        trainLoop(model, steps: settings.captionSteps, lr: 2e-3) { step in
            let idx = batchIndices(train.count, batch: settings.captionBatch, rng: &rng)
            progress(step)
            return model.loss(features.rows(idx), idx.map { ids[$0] })
        }
    }
    return (model, r.losses, r.cached)
}

/// How well generated captions describe their scenes, by reading each caption back with the
/// grammar's parser and matching its shapes to the scene's.
public struct CaptionScores: Sendable {
    /// Share of the scenes' shapes whose colour / kind / size the caption gets right (a shape the
    /// caption leaves out counts as wrong), under the best matching of named to real shapes.
    public var color: Double
    public var kind: Double
    public var size: Double
    /// Share of captions naming the right number of shapes.
    public var count: Double
    /// Share of captions that parse.
    public var parsed: Double
    /// Share of captions that are entirely true of their scene and name every attribute of every shape.
    public var exact: Double
}

/// Scores `captions` against `scenes`.
public func scoreCaptions(_ captions: [String], scenes: [Scene]) -> CaptionScores {
    var color = 0, kind = 0, size = 0, objects = 0, count = 0, parsed = 0, exact = 0
    for (text, scene) in zip(captions, scenes) {
        objects += scene.objects.count
        guard let p = try? ParsedCaption(text) else { continue }
        parsed += 1
        if p.objects.count == scene.objects.count { count += 1 }
        // Best assignment of named shapes to real ones (at most 3! orderings of the real shapes).
        var best = (0, 0, 0)
        for perm in permutations(scene.objects.count) {
            var c = 0, k = 0, s = 0
            for (d, j) in zip(p.objects, perm) {
                let o = scene.objects[j]
                if d.color == o.color { c += 1 }
                if d.kind == o.kind { k += 1 }
                if d.size == o.size { s += 1 }
            }
            if c + k + s > best.0 + best.1 + best.2 { best = (c, k, s) }
        }
        color += best.0; kind += best.1; size += best.2
        let complete = p.objects.allSatisfy { $0.color != nil && $0.kind != nil && $0.size != nil }
        if complete && p.isTrue(of: scene) { exact += 1 }
    }
    let n = Double(max(1, captions.count)), m = Double(max(1, objects))
    return CaptionScores(color: Double(color) / m, kind: Double(kind) / m, size: Double(size) / m,
                         count: Double(count) / n, parsed: Double(parsed) / n, exact: Double(exact) / n)
}

/// The most common canonical caption of the training scenes (ties: the first seen): the baseline
/// that says the same thing about every image.
public func mostCommonCaption(_ scenes: [Scene]) -> String {
    var counts: [String: Int] = [:], order: [String] = []
    for s in scenes {
        let c = SceneCaptions.canonical(s)
        if counts[c] == nil { order.append(c) }
        counts[c, default: 0] += 1
    }
    var best = order.first ?? ""
    for c in order where counts[c]! > counts[best]! { best = c }
    return best
}
