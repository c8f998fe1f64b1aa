/// Why speech could not be made.
public enum SpeechError: Error, Equatable, CustomStringConvertible {
    /// A word holds a letter that no sound of the language writes.
    case unknownLetter(word: String, letter: Character)
    /// The words do not fit in the clip even at the fastest spacing.
    case tooLong(words: Int, seconds: Double, clipSeconds: Double)

    public var description: String {
        switch self {
        case let .unknownLetter(word, letter):
            return "word \"\(word)\": letter \"\(letter)\" is not one of the language's sounds (\(String(Phoneme.inventory.map(\.letter))))"
        case let .tooLong(words, seconds, clip):
            return "\(words) words take \(seconds) s, longer than the \(clip) s clip"
        }
    }
}
