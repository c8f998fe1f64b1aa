/// The words of the synthetic spoken language and the characters its transcripts use.
///
/// Twelve words of two to four sounds. Some share sounds or whole parts ("ka" and "kimo" start
/// alike, "mesa" and "sun" share an s) so recognising them takes the sequence, not one cue.
public enum SpeechVocabulary {
    /// The words, index = word id.
    public static let words = ["ka", "mi", "sof", "tune", "pika", "nos", "efa", "kimo", "sun", "tapi", "mesa", "opu"]

    /// Whether `word` is one of the language's words.
    public static func contains(_ word: String) -> Bool { words.contains(word) }

    /// The transcript characters: the phoneme letters (in inventory order) and the space.
    public static let characters: [Character] = Phoneme.inventory.map(\.letter) + [" "]
}

/// Token ids of the recogniser's output alphabet: the transcript characters plus start and end
/// markers (the decoder starts from `start` and stops at `end`).
public struct TranscriptAlphabet: Sendable {
    /// Id of the start marker.
    public let start: Int
    /// Id of the end marker.
    public let end: Int
    /// Number of ids (characters + 2).
    public var count: Int { SpeechVocabulary.characters.count + 2 }

    /// The alphabet (characters 0…12, start 13, end 14).
    public init() {
        start = SpeechVocabulary.characters.count
        end = start + 1
    }

    /// The ids of `text`'s characters (no markers); nil for a character outside the alphabet.
    public func encode(_ text: String) -> [Int]? {
        var ids: [Int] = []
        for c in text {
            guard let i = SpeechVocabulary.characters.firstIndex(of: c) else { return nil }
            ids.append(i)
        }
        return ids
    }

    /// The text of `ids`, stopping at the end marker and skipping the start marker.
    public func decode(_ ids: [Int]) -> String {
        var s = ""
        for id in ids {
            if id == end { break }
            if id >= 0 && id < SpeechVocabulary.characters.count { s.append(SpeechVocabulary.characters[id]) }
        }
        return s
    }
}
