import Datasets
import Engine

/// One stage of the pipeline as measured against the pool's hidden labels.
public struct StageRecord: Sendable {
    /// The stage's name.
    public var name: String
    /// What the stage is meant to remove, in words (the hidden-label target).
    public var target: String
    /// Documents entering and leaving.
    public var documentsIn: Int, documentsOut: Int
    /// Bytes (the GPT's tokens) leaving the stage.
    public var tokensOut: Int
    /// Documents the stage removed, how many of them were targets, and how many targets entered.
    public var removed: Int, removedTargets: Int, targetsIn: Int

    /// Share of removed documents that were targets (nil when nothing was removed).
    public var precision: Double? { removed == 0 ? nil : Double(removedTargets) / Double(removed) }
    /// Share of entering targets that were removed (nil when none entered).
    public var recall: Double? { targetsIn == 0 ? nil : Double(removedTargets) / Double(targetsIn) }
}

/// The models the pipeline uses, trained on seeded samples that are not part of the pool.
public struct CurationModels: Sendable {
    public var language: LanguageID
    /// Two cross-fitted quality classifiers: [k] trained against crawl documents of index parity k.
    public var quality: [NGramClassifier]
    /// Score below which each quality classifier drops a document.
    public var qualityThresholds: [Double]
    public var harmful: HarmfulFilter
    public var hasher: MinHasher

    /// The quality score of crawl document `index`, from the classifier that did not train on its half.
    public func qualityScore(index: Int, _ text: String) -> Double { quality[1 - index % 2].probability(text) }
    /// Whether crawl document `index` passes the quality classifier.
    public func qualityPasses(index: Int, _ text: String) -> Bool { qualityScore(index: index, text) >= qualityThresholds[1 - index % 2] }
    /// Estimated Jaccard similarity at or above which two documents are near duplicates.
    public var nearThreshold: Double
}

/// English reference text for the classifiers: stories from a corpus seed the pool does not use
/// (the role of Wikipedia or books in real pipelines).
public func referenceStories(_ count: Int, seed: UInt64) -> [String] {
    StoryCorpus(seed: seed &+ 0x2EF).documents(0..<count).map(\.text)
}

/// Reference pages for the quality classifier: the clean stories of a trusted site, written the
/// way the crawl writes its clean stories (with their neighbour and contact sentences) but from
/// another seed, so no reference story is in the crawl.
public func referencePages(_ count: Int, seed: UInt64) -> [String] {
    var mix = CrawlMix.standard(scale: 0)
    mix.cleanStories = count
    mix.copiedStories = 0
    return CrawlPool(mix: mix, seed: seed &+ 0x2EF).cleanTexts
}

/// Veltish samples of about `characters` characters in total, from a stream the pool does not use.
public func veltishSamples(characters: Int, seed: UInt64) -> [String] {
    var rng = RNG(seed: seed &+ 0x7E17), out: [String] = [], total = 0
    while total < characters {
        let d = CrawlJunk.foreignDocument(sentences: 3 + rng.int(6), &rng)
        total += d.count
        out.append(d)
    }
    return out
}

/// `count` texts drawn with probability proportional to their length in bytes (with replacement,
/// exact repeats skipped): a sample of the crawl's text rather than of its documents.
public func lengthWeightedSample(_ texts: [String], count: Int, seed: UInt64) -> [String] {
    var starts: [Int] = [], total = 0
    for t in texts { starts.append(total); total += t.utf8.count }
    var rng = RNG(seed: seed), out: [String] = [], seen = Set<UInt64>(), draws = 0
    while out.count < count, total > 0, draws < 100 * count {
        draws += 1
        let offset = rng.int(total)
        var lo = 0, hi = starts.count - 1
        while lo < hi { let mid = (lo + hi + 1) / 2; if starts[mid] <= offset { lo = mid } else { hi = mid - 1 } }
        if seen.insert(fnv1a(texts[lo])).inserted { out.append(texts[lo]) }
    }
    return out
}

/// Trains the language identifier, the quality classifier (reference stories against a
/// token-weighted sample of the extracted pool, as GPT-3's filter was trained against raw Common
/// Crawl) and the harmful-content classifier, and picks the LSH bands for `nearThreshold`.
public func trainCurationModels(pool: CrawlPool, extracted: [String], samples: Int, seed: UInt64,
                                permutations: Int = 128, nearThreshold: Double = 0.5) -> CurationModels {
    let english = referenceStories(samples, seed: seed &+ 1)
    let language = LanguageID(english: english, other: veltishSamples(characters: english.reduce(0) { $0 + $1.count }, seed: seed))
    // Near copies pass a content hash, so each negative sample is MinHash-deduplicated: a story
    // copied a thousand times would otherwise fill the negatives and be learned as junk.
    let (b, r) = MinHasher.chooseBands(permutations: permutations, threshold: nearThreshold)
    let hasher = MinHasher(bands: b, rows: r, seed: seed &+ 4)
    let reference = referencePages(2 * samples + 400, seed: seed &+ 2)
    // Cross-fitting: classifier k learns from negatives drawn from the documents of parity k and
    // scores only the other half, so no document is scored by a model that trained on it.
    var quality: [NGramClassifier] = [], thresholds: [Double] = []
    for k in 0..<2 {
        let half = extracted.indices.filter { $0 % 2 == k && !extracted[$0].isEmpty }
        let negatives = lengthWeightedSample(half.map { extracted[$0] }, count: samples, seed: seed &+ 0x9A1 &+ UInt64(k))
        let deduped = hasher.dedup(negatives, threshold: nearThreshold).kept.map { negatives[$0] }
        let positives = Array(reference[(k * samples)..<((k + 1) * samples)])
        let model = NGramClassifier(positives: positives, negatives: deduped, seed: seed &+ 3 &+ UInt64(k))
        // The threshold is set without the hidden labels: the score that keeps 98% of held-out
        // reference pages (a good page is dropped by mistake about one time in fifty).
        let held = reference.suffix(400).map { model.probability($0) }.sorted()
        quality.append(model)
        thresholds.append(held[held.count / 50])
    }
    return CurationModels(language: language, quality: quality, qualityThresholds: thresholds,
                          harmful: HarmfulFilter.train(count: samples / 2, seed: seed), hasher: hasher, nearThreshold: nearThreshold)
}

/// What the pipeline did to the pool.
public struct CurationResult: Sendable {
    /// The raw pool's size (stage "raw crawl") and every stage after it.
    public var stages: [StageRecord]
    /// Pool indices of the surviving documents, in crawl order.
    public var kept: [Int]
    /// Their final texts: extracted, PII-masked and rebalanced.
    public var texts: [String]
    /// Their texts before rebalancing (for the bias comparison).
    public var unbalancedTexts: [String]
    /// Personal data masked, and what the hidden labels say the kept documents held.
    public var masked: PIICounts, plantedInKept: PIICounts
    /// Lookalike numbers in the kept documents, and how many of them were (wrongly) masked.
    public var lookalikes: Int, lookalikesMasked: Int
    /// Documents the lexicon alone would remove, and how many of them were benign mentions.
    public var lexiconHits: Int, lexiconBenignHits: Int
    /// Benign mentions that reached the harmful stage, and how many the filter removed.
    public var benignIn: Int, benignRemoved: Int
    /// Role-sentence swaps made by the rebalancing.
    public var swaps: Int
}

/// Runs every stage in order over the pool and scores each against the hidden labels.
public func curate(_ pool: CrawlPool, extracted: [String], models: CurationModels) -> CurationResult {
    let docs = pool.documents
    var alive = Array(docs.indices)
    var text = extracted
    func tokens(_ ids: [Int]) -> Int { ids.reduce(0) { $0 + text[$1].utf8.count } }
    let rawTokens = docs.reduce(0) { $0 + $1.text.utf8.count }
    var stages = [StageRecord(name: "raw crawl", target: "", documentsIn: docs.count, documentsOut: docs.count,
                              tokensOut: rawTokens, removed: 0, removedTargets: 0, targetsIn: 0)]
    func stage(_ name: String, target: String, isTarget: (Int) -> Bool, keep: (Int) -> Bool) {
        let before = alive
        let after = before.filter(keep)
        let afterSet = Set(after)
        let removed = before.filter { !afterSet.contains($0) }
        stages.append(StageRecord(name: name, target: target, documentsIn: before.count, documentsOut: after.count,
                                  tokensOut: tokens(after), removed: removed.count,
                                  removedTargets: removed.filter(isTarget).count, targetsIn: before.filter(isTarget).count))
        alive = after
    }
    func kind(_ i: Int) -> CrawlKind { docs[i].kind }
    /// Copies whose story already entered the stage earlier in crawl order: what dedup should drop.
    func redundant(_ ids: [Int]) -> Set<Int> {
        var seen = Set<Int>(), out = Set<Int>()
        for i in ids { if let g = docs[i].group, !seen.insert(g).inserted { out.insert(i) } }
        return out
    }
    let lowQuality: Set<CrawlKind> = [.spam, .stuffed, .garbled]

    stage("1 extraction", target: "boilerplate pages", isTarget: { kind($0) == .boilerplate }, keep: { !text[$0].isEmpty })
    stage("2 language id", target: "other language", isTarget: { kind($0) == .foreign }, keep: { models.language.isEnglish(text[$0]) })
    stage("3a quality rules", target: "spam, stuffing, garble", isTarget: { lowQuality.contains(kind($0)) },
          keep: { QualityRules.passes(text[$0]) })
    stage("3b quality classifier", target: "spam, stuffing, garble", isTarget: { lowQuality.contains(kind($0)) },
          keep: { models.qualityPasses(index: $0, text[$0]) })
    var redundantNow = redundant(alive)
    let exactKept = Set(exactDedup(alive.map { text[$0] }).map { alive[$0] })
    stage("4a exact dedup", target: "repeated copies", isTarget: { redundantNow.contains($0) }, keep: { exactKept.contains($0) })
    redundantNow = redundant(alive)
    let nearKept = Set(models.hasher.dedup(alive.map { text[$0] }, threshold: models.nearThreshold).kept.map { alive[$0] })
    stage("4b MinHash dedup", target: "repeated copies", isTarget: { redundantNow.contains($0) }, keep: { nearKept.contains($0) })

    let hits = alive.filter { models.harmful.lexiconHit(text[$0]) }
    let benignIn = alive.filter { kind($0) == .harmfulBenign }
    stage("5a harmful filter", target: "harmful", isTarget: { kind($0) == .harmful }, keep: { !models.harmful.removes(text[$0]) })
    let benignRemoved = benignIn.filter { !alive.contains($0) }.count

    var masked = PIICounts(), planted = PIICounts(), lookalikes = 0, lookalikesMasked = 0
    for i in alive {
        let m = PIIMasker.mask(text[i])
        text[i] = m.text
        masked = masked + m.counts
        let p = docs[i].pii
        planted = planted + PIICounts(email: p[0], phone: p[1], card: p[2])
        lookalikes += docs[i].lookalikes
        // A lookalike is masked wrongly when more cards were masked than were planted.
        lookalikesMasked += max(0, m.counts.card - p[2])
    }
    stage("5b PII masking", target: "", isTarget: { _ in false }, keep: { _ in true })
    let unbalanced = alive.map { text[$0] }
    let balanced = RoleBias.rebalance(unbalanced)
    for (k, i) in alive.enumerated() { text[i] = balanced.texts[k] }
    stage("6 rebalancing", target: "", isTarget: { _ in false }, keep: { _ in true })

    return CurationResult(stages: stages, kept: alive, texts: balanced.texts, unbalancedTexts: unbalanced,
                          masked: masked, plantedInKept: planted, lookalikes: lookalikes, lookalikesMasked: lookalikesMasked,
                          lexiconHits: hits.count, lexiconBenignHits: hits.filter { kind($0) == .harmfulBenign }.count,
                          benignIn: benignIn.count, benignRemoved: benignRemoved, swaps: balanced.swaps)
}
