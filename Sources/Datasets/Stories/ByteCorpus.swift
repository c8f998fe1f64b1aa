import Engine

/// The story corpus as a stream of bytes, split into training and validation documents so a
/// model is scored on stories it never saw (chapters 02 and 04 train byte-level GPTs on it).
///
/// Tokens are bytes (vocabulary 256). The corpus is ASCII, so one byte is one character and a
/// loss in bits per byte is directly a loss in bits per character, comparable with the corpus's
/// entropy rate and with the count-based byte baselines.
public struct ByteCorpus: Sendable {
    /// Documents 0..<trainDocuments joined by the corpus separator.
    public let train: [UInt8]
    /// The next `validationDocuments` documents, joined the same way.
    public let validation: [UInt8]
    /// How many documents each side holds.
    public let trainDocuments: Int, validationDocuments: Int
    /// Offset of every training document's first byte in `train`.
    public let trainStarts: [Int]

    /// Splits by document, not by position: a story is entirely on one side, so validation measures
    /// generalisation to new stories rather than recall of the second half of a seen one.
    public init(corpus: StoryCorpus, trainDocuments: Int, validationDocuments: Int) {
        precondition(trainDocuments > 0 && validationDocuments > 0, "both sides of the split need documents")
        let stories = corpus.documents(0..<(trainDocuments + validationDocuments)).map(\.text)
        func joined(_ texts: ArraySlice<String>) -> [UInt8] { Array(texts.joined(separator: StoryCorpus.separator).utf8) }
        train = joined(stories[0..<trainDocuments])
        validation = joined(stories[trainDocuments...])
        trainStarts = Self.starts(of: stories[0..<trainDocuments])
        self.trainDocuments = trainDocuments
        self.validationDocuments = validationDocuments
    }

    /// A split from documents already written out (for example stories a chapter has rewritten),
    /// joined by the corpus separator exactly as the `StoryCorpus` initialiser joins them.
    public init(trainTexts: [String], validationTexts: [String]) {
        precondition(!trainTexts.isEmpty && !validationTexts.isEmpty, "both sides of the split need documents")
        train = Array(trainTexts.joined(separator: StoryCorpus.separator).utf8)
        validation = Array(validationTexts.joined(separator: StoryCorpus.separator).utf8)
        trainStarts = Self.starts(of: trainTexts[...])
        trainDocuments = trainTexts.count
        validationDocuments = validationTexts.count
    }

    /// A batch of `batch` windows of `length + 1` bytes at random offsets of the training stream:
    /// inputs are the first `length` bytes of each window and targets the same shifted by one, so
    /// every position is a next-byte prediction (the self-supervised label comes from the text).
    public func trainingBatch(batch: Int, length: Int, rng: inout RNG) -> (inputs: [[Int]], targets: [[Int]]) {
        windows(of: train, starts: (0..<batch).map { _ in rng.int(train.count - length - 1) }, length: length)
    }

    /// Like `trainingBatch`, but every window starts at the first byte of a training document
    /// (drawn uniformly among those with a whole window after them): for documents shorter than a
    /// window, such as question–answer items, the model then always sees a document from its start.
    public func alignedTrainingBatch(batch: Int, length: Int, rng: inout RNG) -> (inputs: [[Int]], targets: [[Int]]) {
        let usable = trainStarts.prefix { $0 + length + 1 <= train.count }
        precondition(!usable.isEmpty, "no training document starts a whole window of \(length) bytes")
        return windows(of: train, starts: (0..<batch).map { _ in usable[rng.int(usable.count)] }, length: length)
    }

    /// Byte offsets of the documents in `texts` once joined by the separator.
    private static func starts(of texts: ArraySlice<String>) -> [Int] {
        var out: [Int] = [], at = 0
        for t in texts {
            out.append(at)
            at += t.utf8.count + StoryCorpus.separator.utf8.count
        }
        return out
    }

    /// The first `count` non-overlapping windows of the validation stream: a fixed set, so every
    /// evaluation during training scores the same bytes.
    public func validationBatches(count: Int, batch: Int, length: Int) -> [(inputs: [[Int]], targets: [[Int]])] {
        let available = (validation.count - 1) / length
        precondition(count * batch <= available, "validation holds \(available) windows of \(length), asked for \(count * batch)")
        return (0..<count).map { b in
            windows(of: validation, starts: (0..<batch).map { (b * batch + $0) * length }, length: length)
        }
    }

    private func windows(of bytes: [UInt8], starts: [Int], length: Int) -> (inputs: [[Int]], targets: [[Int]]) {
        let inputs = starts.map { s in bytes[s..<(s + length)].map(Int.init) }
        let targets = starts.map { s in bytes[(s + 1)..<(s + length + 1)].map(Int.init) }
        return (inputs, targets)
    }
}
