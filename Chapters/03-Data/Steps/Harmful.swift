import Datasets
import Engine

/// Stage 5a: harmful-content filtering. A lexicon of harmful words flags a document; a classifier
/// trained on harmful and benign uses of the same words then decides, so that a text explaining
/// or quoting a word is not dropped with the abuse.
public struct HarmfulFilter: Sendable {
    /// The lexicon (the pool's invented one).
    public let lexicon: [String]
    /// The context classifier: probability that a flagged text is abuse.
    public let classifier: NGramClassifier

    /// Whether any word of `text` starts with a lexicon word (so plurals count).
    public func lexiconHit(_ text: String) -> Bool {
        wordsOf(text).contains { w in lexicon.contains { w.hasPrefix($0) } }
    }

    /// Whether the filter removes `text`: a lexicon hit the classifier scores as abuse (p ≥ 0.5).
    public func removes(_ text: String) -> Bool { lexiconHit(text) && classifier.probability(text) >= 0.5 }

    /// Trains the classifier on `count` generated abusive texts against as many benign mentions
    /// and clean stories, from streams the pool does not use.
    public static func train(count: Int, seed: UInt64) -> HarmfulFilter {
        let corpus = StoryCorpus(seed: seed &+ 0xBAD)
        let names = StoryVocabulary.standard.girlNames + StoryVocabulary.standard.boyNames
        var rng = RNG(seed: seed &+ 0xBAD)
        let abuse = (0..<count).map { i in CrawlJunk.harmful(story: corpus.document(i).text, names: names, &rng) }
        let benign = (0..<count).map { i in CrawlJunk.harmfulBenign(story: corpus.document(count + i).text, names: names, &rng) }
        let clean = corpus.documents((2 * count)..<(3 * count)).map(\.text)
        return HarmfulFilter(lexicon: CrawlJunk.harmfulLexicon,
                             classifier: NGramClassifier(positives: abuse, negatives: benign + clean, seed: seed &+ 0xBAD))
    }
}
