import Datasets

/// The count-based references a language model must beat, all in bits per character on the
/// validation stream.
public struct Baselines: Sendable {
    /// Add-one unigram: byte frequencies, no context.
    public let unigram: Double
    /// Add-one bigram: the previous byte as context.
    public let bigram: Double
    /// The corpus's true entropy rate: the loss of the generator itself, which no model can beat on average.
    public let entropyFloor: Double
    /// Standard error of `entropyFloor`.
    public let entropyStandardError: Double
    /// The fitted byte counts (the bigram model itself, for sampling from it).
    public let counts: BigramBaseline

    /// Fits the count models on the training bytes and scores them on the validation bytes; the
    /// entropy rate is averaged over `entropyDocuments` documents of the corpus.
    public init(data: ByteCorpus, corpus: StoryCorpus, entropyDocuments: Int) {
        var counts = BigramBaseline(alpha: 1)
        counts.fit(bytes: data.train)
        unigram = counts.unigramCrossEntropyBits(bytes: data.validation)
        bigram = counts.crossEntropyBits(bytes: data.validation)
        let rate = corpus.entropyRate(documents: entropyDocuments)
        entropyFloor = rate.bitsPerCharacter
        entropyStandardError = rate.standardErrorPerCharacter
        self.counts = counts
    }
}

/// Turns bytes back into text for printing; bytes that are not printable ASCII show as `·`.
public func printable(_ ids: [Int]) -> String {
    String(ids.map { id -> Character in
        if id == 10 { return "⏎" }
        return (32..<127).contains(id) ? Character(UnicodeScalar(UInt8(id))) : "·"
    })
}

/// The byte ids of an ASCII/UTF-8 string.
public func byteIDs(_ text: String) -> [Int] { text.utf8.map(Int.init) }
