import Datasets

/// Step 5's data: the corpus as whole words, the unit whose categories we want embeddings to find.

/// Documents as lists of word ids over a frequency-sorted vocabulary.
public struct WordCorpus: Sendable {
    /// Words by id, most frequent first (ties alphabetical, so the order never depends on hashing).
    public let words: [String]
    /// How often each word occurs.
    public let counts: [Int]
    /// Each document's words as ids, in order.
    public let documents: [[Int]]
    /// Id of each word.
    public let index: [String: Int]

    /// Splits `texts` into lower-case runs of letters (punctuation and quotes dropped) and keeps
    /// words seen at least `minCount` times.
    public init(texts: [String], minCount: Int = 1) {
        let split = texts.map(wordsOf)
        var tally: [String: Int] = [:]
        for doc in split { for w in doc { tally[w, default: 0] += 1 } }
        let kept = tally.filter { $0.value >= minCount }
            .sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
        words = kept.map(\.key)
        counts = kept.map(\.value)
        var index: [String: Int] = [:]
        for (i, w) in words.enumerated() { index[w] = i }
        self.index = index
        documents = split.map { doc in doc.compactMap { index[$0] } }
    }

    /// Number of distinct words kept.
    public var vocabSize: Int { words.count }
    /// Total words kept.
    public var totalWords: Int { counts.reduce(0, +) }
}

/// Lower-case runs of ASCII letters: "Lily's red fox." → ["lily", "s", "red", "fox"].
public func wordsOf(_ text: String) -> [String] {
    var out: [String] = [], current: [UInt8] = []
    for b in text.utf8 {
        if (b >= 65 && b <= 90) || (b >= 97 && b <= 122) {
            current.append(b | 0x20)
        } else if !current.isEmpty {
            out.append(String(decoding: current, as: UTF8.self)); current.removeAll()
        }
    }
    if !current.isEmpty { out.append(String(decoding: current, as: UTF8.self)) }
    return out
}

/// The corpus's word categories restricted to single words present in `corpus`, as
/// (category name, word ids), categories in alphabetical order and words in the vocabulary's order.
/// Multi-word entries ("egg cup", "all day") are left out: they are not one unit here.
public func categoryWords(_ corpus: WordCorpus) -> [(name: String, ids: [Int])] {
    StoryCorpus.categories.keys.sorted().map { name in
        let ids = StoryCorpus.categories[name]!.filter { !$0.contains(" ") }
            .compactMap { corpus.index[$0.lowercased()] }
        return (name, Array(Set(ids)).sorted())
    }
}
