import Engine
import Foundation

/// Step 5: skip-gram with negative sampling (word2vec), trained with the engine.
///
/// Each word gets two vectors: `center` (the embedding we keep) and `context`. For a word and a
/// neighbour within `window` positions, the model wants σ(center·context) near 1; for `negatives`
/// words drawn at random (frequency^0.75) it wants it near 0. Words used in the same surroundings
/// end up pushed toward the same context vectors, so their center vectors end up close.
public struct SkipGramConfig: Sendable {
    /// Corpus documents used for training.
    public var documents = 3000
    /// Embedding width.
    public var dim = 32
    /// Neighbours on each side that count as context.
    public var window = 2
    /// Random "noise" words per true pair.
    public var negatives = 5
    /// Pairs per AdamW step.
    public var batch = 512
    /// AdamW steps and learning rate.
    public var steps = 3000, learningRate: Float = 0.01
    /// Frequent words are dropped with probability 1 − sqrt(t / frequency) (word2vec's subsampling).
    public var subsample = 1e-3

    /// The chapter's full configuration.
    public init() {}

    /// A run of a few seconds for `--quick` and the tests.
    public static var quick: SkipGramConfig {
        var c = SkipGramConfig()
        c.documents = 1000
        c.steps = 1200
        return c
    }
}

/// What training produced.
public struct SkipGramResult {
    /// The words the vectors belong to.
    public let corpus: WordCorpus
    /// The center embeddings, [words, dim]: the vectors the chapter studies.
    public let center: Embedding
    /// The context embeddings, [words, dim].
    public let context: Embedding
    /// The loss per true pair, −log σ(c·o) − Σ log σ(−c·n), after each step.
    public let losses: [Float]
    /// The loss of an untrained model with all-zero scores: (1 + negatives)·log 2.
    public let chanceLoss: Float
    /// How many (word, neighbour) pairs the subsampled corpus gave.
    public let pairCount: Int

    /// The center vectors as rows of doubles.
    public var vectors: [[Double]] {
        let d = center.dim, p = center.weight.data
        return (0..<center.count).map { i in (0..<d).map { Double(p[i * d + $0]) } }
    }
}

/// All (center, neighbour) pairs within `window` of each other inside a document, after dropping
/// frequent words with word2vec's subsampling rule (the draw uses `rng`, so it is reproducible).
public func skipGramPairs(_ corpus: WordCorpus, window: Int, subsample: Double, rng: inout RNG) -> [(Int, Int)] {
    let total = Double(corpus.totalWords)
    let keep = corpus.counts.map { min(1, (subsample / (Double($0) / total)).squareRoot()) }
    var pairs: [(Int, Int)] = []
    for doc in corpus.documents {
        let kept = doc.filter { Double(rng.uniform()) < keep[$0] }
        for (i, w) in kept.enumerated() {
            for j in max(0, i - window)...min(kept.count - 1, i + window) where j != i {
                pairs.append((w, kept[j]))
            }
        }
    }
    return pairs
}

/// Draws word ids with probability proportional to count^0.75 (word2vec's noise distribution).
public struct NoiseSampler {
    private let cumulative: [Double]

    /// The sampler for `counts`.
    public init(counts: [Int]) {
        var c: [Double] = [], s = 0.0
        for n in counts { s += pow(Double(n), 0.75); c.append(s) }
        cumulative = c.map { $0 / s }
    }

    /// One draw.
    public func sample(_ rng: inout RNG) -> Int {
        let u = Double(rng.uniform())
        var lo = 0, hi = cumulative.count - 1
        while lo < hi {
            let mid = (lo + hi) / 2
            if cumulative[mid] <= u { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }
}

/// Skip-gram training one step at a time (so a notebook can show progress); the same seed gives
/// the same vectors bit for bit.
public final class SkipGramTrainer {
    /// The words being embedded.
    public let corpus: WordCorpus
    /// The settings.
    public let config: SkipGramConfig
    /// The center embeddings (the ones kept) and the context embeddings.
    public let center: Embedding, context: Embedding
    /// The loss per true pair after each step so far.
    public private(set) var losses: [Float] = []
    /// The (word, neighbour) pairs steps draw from.
    public let pairs: [(Int, Int)]
    private var rng: RNG
    private let noise: NoiseSampler
    private let optimizer: AdamW
    private let targets: [Int]
    private let zeros: Tensor

    /// Builds the pairs and the two tables from `seed`.
    public init(_ corpus: WordCorpus, config: SkipGramConfig, seed: UInt64) {
        self.corpus = corpus
        self.config = config
        var rng = RNG(seed: seed)
        pairs = skipGramPairs(corpus, window: config.window, subsample: config.subsample, rng: &rng)
        precondition(!pairs.isEmpty, "the corpus gave no word pairs")
        noise = NoiseSampler(counts: corpus.counts)
        let v = corpus.vocabSize, d = config.dim, k = config.negatives, b = config.batch
        center = Embedding(v, d, rng: &rng)
        context = Embedding(v, d, rng: &rng)
        // word2vec starts from small random centers and zero contexts; N(0, 1) rows would make the
        // first scores huge. Scaling the data in place keeps them leaves of the graph.
        let scale = 0.5 / Float(d).squareRoot()
        for i in 0..<center.weight.count { center.weight.storage.pointer[i] *= scale }
        for i in 0..<context.weight.count { context.weight.storage.pointer[i] = 0 }
        optimizer = AdamW(center.parameters + context.parameters, lr: config.learningRate, weightDecay: 0)
        // Row r of the scores holds one true pair then k noise words: targets 0 ("real") then 1 ("noise").
        targets = (0..<b).flatMap { _ in [0] + [Int](repeating: 1, count: k) }
        zeros = Tensor.zeros([b * (1 + k), 1])
        self.rng = rng
    }

    /// One AdamW step on a batch of random pairs, each with fresh noise words.
    public func step() throws {
        let k = config.negatives, b = config.batch
        var centers: [Int] = [], others: [Int] = []
        for _ in 0..<b {
            let (c, o) = pairs[rng.int(pairs.count)]
            centers.append(c)
            others.append(o)
            for _ in 0..<k { others.append(noise.sample(&rng)) }
        }
        let cv = center(ids: centers, shape: [b, 1])                      // [B, 1, D]
        let ov = context(ids: others, shape: [b, 1 + k])                  // [B, 1+K, D]
        let scores = (cv * ov).sum(axes: [2]).reshape([b * (1 + k), 1])   // [B(1+K), 1]
        // −log σ(s) is the cross-entropy of logits (s, 0) for class 0, −log σ(−s) for class 1.
        let logits = Tensor.concat([scores, zeros], axis: 1)
        let loss = try trainingStep(crossEntropy(logits, targets), optimizer: optimizer, step: losses.count,
                                    lossName: "skip-gram loss")
        losses.append(loss * Float(1 + k))
    }

    /// The trained state.
    public var result: SkipGramResult {
        SkipGramResult(corpus: corpus, center: center, context: context, losses: losses,
                       chanceLoss: Float(1 + config.negatives) * logf(2), pairCount: pairs.count)
    }
}

/// Trains skip-gram on `corpus` for `config.steps` steps.
public func trainSkipGram(_ corpus: WordCorpus, config: SkipGramConfig, seed: UInt64) throws -> SkipGramResult {
    let trainer = SkipGramTrainer(corpus, config: config, seed: seed)
    for _ in 0..<config.steps { try trainer.step() }
    return trainer.result
}
