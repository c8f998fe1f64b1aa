import Datasets
import Engine
import Models

/// Step 7: do the samples read as words? The share of a sample's words that the corpus uses.
///
/// A word is a maximal run of ASCII letters, compared in lower case (so "Once" at a sentence start
/// and "once" inside one are the same word). A sample that stops in the middle of a word would be
/// penalised for the cut, not for the model, so a run that touches the end of a sample is left out.
public struct WordShare: Sendable, Equatable {
    /// Words counted over all samples.
    public let words: Int
    /// How many of them occur in the vocabulary.
    public let known: Int
    /// The distinct unknown words, in order of first appearance (for the report).
    public let unknown: [String]
    /// known / words (0 when there are no words).
    public var share: Double { words == 0 ? 0 : Double(known) / Double(words) }
}

/// The lower-cased letter runs of `text`; with `dropCutEnd`, a run that reaches the last character
/// is left out (the text may have been cut inside it).
public func letterWords(_ text: String, dropCutEnd: Bool = false) -> [String] {
    var words: [String] = [], current = ""
    for ch in text.unicodeScalars {
        if (65...90).contains(ch.value) || (97...122).contains(ch.value) {
            current.unicodeScalars.append(ch)
        } else if !current.isEmpty {
            words.append(current.lowercased())
            current = ""
        }
    }
    if !current.isEmpty && !dropCutEnd { words.append(current.lowercased()) }
    return words
}

/// Every distinct word of `text` (lower case): the vocabulary samples are checked against.
public func corpusVocabulary(_ text: String) -> Set<String> { Set(letterWords(text)) }

/// Counts the words of `samples` (each possibly cut at its end) that `vocabulary` contains.
public func vocabularyWordShare(_ samples: [String], vocabulary: Set<String>) -> WordShare {
    var words = 0, known = 0, unknown: [String] = [], seen: Set<String> = []
    for sample in samples {
        for w in letterWords(sample, dropCutEnd: true) {
            words += 1
            if vocabulary.contains(w) { known += 1 }
            else if seen.insert(w).inserted { unknown.append(w) }
        }
    }
    return WordShare(words: words, known: known, unknown: unknown)
}

/// Text from the count-based bigram model under a sampling rule (log-probabilities act as logits,
/// so the temperature means what it means for the GPT): the floor of the word-share measure, a
/// model that knows which letter follows which but not which word it is in.
public func bigramSample(_ counts: BigramBaseline, prompt: [Int], count: Int, rule: SamplingRule, rng: inout RNG) -> [Int] {
    precondition(!prompt.isEmpty, "the bigram model needs a previous byte to start from")
    var ids = prompt
    for _ in 0..<count {
        let previous = UInt8(ids[ids.count - 1])
        let logits = (0..<256).map { Float(log(counts.bigramProbability(UInt8($0), after: previous))) }
        ids.append(rule.pick(logits, rng: &rng))
    }
    return ids
}
