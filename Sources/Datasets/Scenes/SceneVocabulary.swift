/// Word-level token ids for the scene captions and questions.
///
/// The grammar uses a few dozen words, so each word is one token: a byte-level BPE (chapter 01)
/// would learn almost exactly these words as merges, and whole words keep the attention maps and
/// the caption decoder readable. Id 0 pads a sequence to its fixed length, id 1 starts it (the
/// text encoder reads its summary from that position, as BERT reads [CLS]) and id 2 ends it.
public struct SceneVocabulary: Sendable {
    /// Every token, index = id.
    public let words: [String]
    private let ids: [String: Int]

    /// Pads a sequence to its fixed length.
    public static let pad = 0
    /// Starts every sequence.
    public static let start = 1
    /// Ends every sequence.
    public static let end = 2

    /// The vocabulary of all captions and questions `SceneCaptions` and `SceneQuestions` write.
    public static let standard = SceneVocabulary(words: ["<pad>", "<start>", "<end>"] + [
        "a", "small", "large", "red", "green", "blue", "yellow", "circle", "square", "triangle", "shape",
        "at", "the", "top", "bottom", "left", "right", "in", "centre", "on", "of", "above", "below",
        "two", "three", "shapes", "from", "to", ":", ",", "and",
        "what", "colour", "is", "there", "how", "many", "circles", "squares", "triangles", "are", "one", "?",
    ])

    /// A vocabulary from its word list (the first three must be the pad, start and end markers).
    public init(words: [String]) {
        self.words = words
        var ids: [String: Int] = [:]
        for (i, w) in words.enumerated() { ids[w] = i }
        self.ids = ids
    }

    /// Number of tokens.
    public var count: Int { words.count }

    /// The id of `word`, or nil when it is not in the vocabulary.
    public func id(_ word: String) -> Int? { ids[word] }

    /// `<start>`, the words of `text` (split on spaces), `<end>`, then padding up to `length`.
    /// Throws when a word is unknown or the text does not fit.
    public func encode(_ text: String, length: Int) throws -> [Int] {
        var out = [Self.start]
        for w in text.split(separator: " ") {
            guard let i = ids[String(w)] else {
                throw SceneTextError("scene text \"\(text)\": unknown word \"\(w)\" (the vocabulary has \(count) words)")
            }
            out.append(i)
        }
        out.append(Self.end)
        guard out.count <= length else {
            throw SceneTextError("scene text \"\(text)\": \(out.count) tokens with its markers, longer than \(length)")
        }
        return out + [Int](repeating: Self.pad, count: length - out.count)
    }

    /// The words of `ids` up to the first `<end>`, without markers or padding.
    public func decode(_ ids: [Int]) -> String {
        var out: [String] = []
        for i in ids {
            if i == Self.end { break }
            if i == Self.pad || i == Self.start || i < 0 || i >= count { continue }
            out.append(words[i])
        }
        return out.joined(separator: " ")
    }
}
