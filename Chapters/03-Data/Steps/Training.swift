import Ch02Attention
import Datasets
import Engine
import Models

/// A GPT trained on one training set, and its held-out score.
public struct TrainedModel {
    /// The model (eval mode).
    public let model: GPT
    /// Bits per character on the held-out clean stories.
    public let validationBits: Double
    /// Whether it came from the training cache.
    public let cached: Bool
}

/// A short fixed hash of bytes, naming the training data in a cache key.
public func dataFingerprint(_ bytes: [UInt8]) -> String {
    var h: UInt64 = 0xCBF2_9CE4_8422_2325
    for b in bytes { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01B3 }
    return String(h, radix: 16)
}

/// Trains (or restores from `cache`) chapter 02's GPT on `data` with `seed`, then scores it on
/// the validation side. The score is recomputed from the weights every time, so a cached run
/// reports exactly what a fresh one does.
public func trainGPT(_ config: PretrainConfig, data: ByteCorpus, seed: UInt64, name: String, cache: TrainingCache,
                     onStep: (Int) -> Void = { _ in }) throws -> TrainedModel {
    let m = config.model
    let key = "ch03-\(name)-v1-gpt\(m.context)x\(m.width)x\(m.heads)x\(m.layers)-b\(config.batch)-s\(config.steps)"
        + "-lr\(config.learningRate)-\(config.minLR)-w\(config.warmup)-seed\(seed)-data\(dataFingerprint(data.train))"
    var rng = RNG(seed: seed)
    let model = GPT(m, rng: &rng)
    var cached = true
    if cache.restore(model, key: key) == nil {
        cached = false
        let result = try pretrain(config, data: data, samplePrompt: "O", sampleLength: 1, seed: seed, onStep: onStep)
        cache.store(result.model, key: key, series: ["validation_bits": result.curve.map { Float($0.validationBits) }])
        return TrainedModel(model: result.model, validationBits: score(result.model, config, data), cached: false)
    }
    model.eval()
    return TrainedModel(model: model, validationBits: score(model, config, data), cached: cached)
}

func score(_ model: GPT, _ config: PretrainConfig, _ data: ByteCorpus) -> Double {
    let available = (data.validation.count - 1) / config.model.context / config.batch
    return evaluateBits(model, data.validationBatches(count: min(available, 8), batch: config.batch, length: config.model.context))
}

/// What a generated sample contains that a curated set should not: checked with the pipeline's
/// own detectors on the text.
public struct Contamination: Sendable, Equatable {
    public var spam = false, garbage = false, pii = false, otherLanguage = false, boilerplate = false
    /// Whether anything was found.
    public var any: Bool { spam || garbage || pii || otherLanguage || boilerplate }

    /// Checks one sample: advertising words, a failed garbage rule (symbols or repeated 4-grams),
    /// unmasked personal data, Veltish, or a furniture line.
    public init(_ text: String, language: LanguageID) {
        let lower = text.lowercased()
        spam = ["buy cheap", "price", "click", "deals", "www.", "discount", "offer"].contains { lower.contains($0) }
        let stats = QualityStats(text)
        garbage = stats.symbolRatio > 0.02 || stats.duplicateNGramFraction > 0.2
        let masked = PIIMasker.mask(text).counts
        pii = masked.email + masked.phone + masked.card > 0 || text.contains("@")
        otherLanguage = !language.isEnglish(text)
        boilerplate = text.split(separator: "\n").contains { Extraction.isBoilerplate(String($0)) && $0.count > 20 }
    }
}

/// `count` samples of `length` bytes, each from the prompt "\n\n" (the start of a document).
public func documentSamples(_ model: GPT, count: Int, length: Int, seed: UInt64) -> [String] {
    var rng = RNG(seed: seed)
    return (0..<count).map { _ in
        let ids = model.generate(prompt: Array("\n\n".utf8).map(Int.init), count: length, rule: .sample(temperature: 1, topK: nil), rng: &rng)
        return String(decoding: ids.dropFirst(2).map(UInt8.init), as: UTF8.self)
    }
}
