import Datasets
import Engine
import Models

/// Visual question answering as classification over the answer words: the question's word
/// tokens and the image's 64 grid tokens (the frozen feature grid of the alignment model's image
/// encoder, projected to the model's width, with a learned position per cell) go through one
/// transformer encoder together (a *fusion*
/// encoder, as in ViLT or VisualBERT), so every question word can attend to every image cell and
/// back, and the output at the question's start marker is read out into one logit per answer.
///
/// Relation questions are why the image stays a grid of tokens rather than one pooled vector:
/// "what shape is left of the red one?" needs to find the red cell, then compare positions, and
/// attention over positioned tokens can do that in two hops.
public final class VQAModel: Module {
    /// Grid features → model width.
    public let cells: Linear
    /// One learned vector per grid cell [64, width].
    public let cellPosition: Tensor
    /// Question words and their positions.
    public let tok: Embedding
    public let pos: Embedding
    /// The fusion encoder.
    public let blocks: [EncoderBlock]
    /// Final normalisation and the answer head.
    public let ln: LayerNorm
    public let head: Linear
    /// Question tokens (markers and padding included).
    public static let questionLength = 12

    /// A model for `featureWidth`-channel grids, of width `width` with `layers` fusion blocks,
    /// weights from `seed`.
    public init(featureWidth: Int, width: Int, layers: Int, seed: UInt64) {
        var rng = RNG(seed: seed)
        cells = Linear(featureWidth, width, rng: &rng)
        cellPosition = Init.normal([64, width], std: 0.1, rng: &rng)
        cellPosition.requiresGrad = true
        tok = Embedding(SceneVocabulary.standard.count, width, rng: &rng)
        pos = Embedding(Self.questionLength, width, rng: &rng)
        blocks = (0..<layers).map { _ in EncoderBlock(width: width, heads: 4, rng: &rng) }
        ln = LayerNorm(width)
        head = Linear(width, SceneQuestions.answers.count, rng: &rng)
        super.init()
    }

    public override var localParameters: [(name: String, tensor: Tensor)] { [("cell_position", cellPosition)] }

    public override var children: [(name: String, module: Module)] {
        [("cells", cells), ("tok", tok), ("pos", pos)]
            + blocks.enumerated().map { ("blocks.\($0.offset)", $0.element as Module) } + [("ln", ln), ("head", head)]
    }

    /// Question ids padded to `questionLength`.
    public static func encode(_ question: String) -> [Int] {
        do { return try SceneVocabulary.standard.encode(question, length: questionLength) } catch { fatalError("\(error)") }
    }

    /// Answer logits [B, answers] for feature grids [B, C, 8, 8] and questions [B][questionLength].
    public func callAsFunction(_ grid: Tensor, _ questions: [[Int]]) -> Tensor {
        let b = questions.count, t = Self.questionLength, c = grid.shape[1]
        let q = tok(ids: questions.flatMap { $0 }, shape: [b, t]) + pos(ids: Array(0..<t), shape: [t])
        let image = cells(grid.reshape([b, c, 64]).transpose(1, 2)) + cellPosition
        var h = Tensor.concat([q, image], axis: 1)
        for block in blocks { h = block(h) }
        return head(ln(h.slice(axis: 1, 0..<1).reshape([b, -1])))
    }
}

/// A question with the scene it is about.
public struct VQAItem: Sendable {
    /// Index of the scene in its set.
    public var scene: Int
    /// The question and answer.
    public var question: SceneQuestion
}

/// Test questions: for every scene, one question of each type it has (drawn with `seed`), so
/// every type is measured on the same scenes.
public func testQuestions(_ set: SceneSet, seed: UInt64) -> [VQAItem] {
    var rng = RNG(seed: seed)
    var out: [VQAItem] = []
    for (i, s) in set.scenes.enumerated() {
        let all = SceneQuestions.all(s)
        for t in QuestionType.allCases {
            var pool = all.filter { $0.type == t }
            if pool.isEmpty { continue }
            if t == .existence { let want = rng.int(2) == 1 ? "yes" : "no"; pool = pool.filter { $0.answer == want } }
            out.append(VQAItem(scene: i, question: pool[rng.int(pool.count)]))
        }
    }
    return out
}

/// Trains the VQA model on questions drawn afresh at every step (`SceneQuestions.sample`) over
/// the frozen `features` of the training images (named by `featureKey`), or restores the run.
public func trainVQA(_ settings: MultimodalSettings, train: SceneSet, features: FrozenFeatures, featureKey: String,
                     seed: UInt64, cache: TrainingCache,
                     progress: (Int) -> Void = { _ in }) -> (model: VQAModel, losses: [Float], cached: Bool) {
    let model = VQAModel(featureWidth: features.grid.shape[1], width: 64, layers: 3, seed: seed)
    let key = "vqa-w64-l3-s\(settings.vqaSteps)-b\(settings.vqaBatch)-seed\(seed)-scenes\(train.count)-on-\(shortHash(featureKey))"
    var rng = RNG(seed: seed &+ 1)
    let r = cache.trained(model, key: key) {
        trainLoop(model, steps: settings.vqaSteps, lr: 1.5e-3) { step in
            let idx = batchIndices(train.count, batch: settings.vqaBatch, rng: &rng)
            let qs = idx.map { SceneQuestions.sample(train.scenes[$0], rng: &rng) }
            progress(step)
            return crossEntropy(model(features.rows(idx), qs.map { VQAModel.encode($0.text) }),
                                qs.map { SceneQuestions.answerIndex($0.answer)! })
        }
    }
    return (model, r.losses, r.cached)
}

/// Predicted answer indices for `items` about the scenes whose frozen features are `features`.
public func answerQuestions(_ model: VQAModel, items: [VQAItem], features: FrozenFeatures, batch: Int = 128) -> [Int] {
    Tensor.noGrad {
        var out: [Int] = []
        var s = 0
        let a = SceneQuestions.answers.count
        while s < items.count {
            let e = min(items.count, s + batch)
            let part = Array(items[s..<e])
            let logits = model(features.rows(part.map(\.scene)), part.map { VQAModel.encode($0.question.text) })
            for i in 0..<part.count {
                var best = 0
                for j in 1..<a where logits.data[i * a + j] > logits.data[i * a + best] { best = j }
                out.append(best)
            }
            s = e
        }
        return out
    }
}

/// Accuracy per question type (in `QuestionType` order) and overall.
public func accuracyByType(_ predictions: [Int], items: [VQAItem]) -> (perType: [Double], overall: Double) {
    var right = [Int](repeating: 0, count: QuestionType.allCases.count), total = right
    for (p, item) in zip(predictions, items) {
        total[item.question.type.rawValue] += 1
        if SceneQuestions.answers[p] == item.question.answer { right[item.question.type.rawValue] += 1 }
    }
    let per = zip(right, total).map { $1 > 0 ? Double($0) / Double($1) : 0 }
    return (per, Double(right.reduce(0, +)) / Double(max(1, total.reduce(0, +))))
}

/// The question-only shortcut, at its best: for each question text, the answer most often right
/// for that text over `samples` training questions (the most common answer overall for a text it
/// never saw). No model that ignores the image can beat this on the training distribution.
public struct QuestionOnlyBaseline {
    var table: [String: [Int]] = [:]
    var overall: [Int]

    /// Counts answers per question over `samples` questions drawn as in training.
    public init(train: SceneSet, samples: Int, seed: UInt64) {
        var rng = RNG(seed: seed)
        let a = SceneQuestions.answers.count
        overall = [Int](repeating: 0, count: a)
        for _ in 0..<samples {
            let q = SceneQuestions.sample(train.scenes[rng.int(train.count)], rng: &rng)
            let k = SceneQuestions.answerIndex(q.answer)!
            table[q.text, default: [Int](repeating: 0, count: a)][k] += 1
            overall[k] += 1
        }
    }

    /// The answer index for `question` (ties: the lower index).
    public func predict(_ question: String) -> Int {
        let counts = table[question] ?? overall
        var best = 0
        for j in 1..<counts.count where counts[j] > counts[best] { best = j }
        return best
    }
}

/// The image-only shortcut: a small classifier on the frozen contrastive image embedding that
/// predicts the answer without seeing the question (trained on the same question distribution).
/// It can learn, say, "answer the colour of the only shape", but cannot know which question came.
public final class ImageOnlyBaseline: Module {
    let mlp: MLP

    /// An MLP embed → 128 → answers.
    public init(embedDim: Int, seed: UInt64) {
        var rng = RNG(seed: seed)
        mlp = MLP([embedDim, 128, SceneQuestions.answers.count], activation: .gelu, rng: &rng)
        super.init()
    }

    public override var children: [(name: String, module: Module)] { [("mlp", mlp)] }

    /// Trains on `steps` batches of training questions, using only each scene's embedding.
    public func fit(embeddings: Tensor, train: SceneSet, steps: Int, batch: Int, seed: UInt64) -> [Float] {
        var rng = RNG(seed: seed)
        let e = embeddings.shape[1]
        return trainLoop(self, steps: steps, lr: 3e-3) { _ in
            let idx = batchIndices(train.count, batch: batch, rng: &rng)
            let answers = idx.map { SceneQuestions.answerIndex(SceneQuestions.sample(train.scenes[$0], rng: &rng).answer)! }
            var rows: [Float] = []
            for i in idx { rows += Array(UnsafeBufferPointer(start: embeddings.data + i * e, count: e)) }
            return crossEntropy(mlp(Tensor(shape: [idx.count, e], values: rows)), answers)
        }
    }

    /// The predicted answer index for each item, from its scene's embedding.
    public func predict(embeddings: Tensor, items: [VQAItem]) -> [Int] {
        Tensor.noGrad {
            let logits = mlp(embeddings)
            let a = SceneQuestions.answers.count
            return items.map { item in
                var best = 0
                for j in 1..<a where logits.data[item.scene * a + j] > logits.data[item.scene * a + best] { best = j }
                return best
            }
        }
    }
}
