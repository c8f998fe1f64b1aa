/// The rules that turn a sequence of random choices into a story.
///
/// Design rule: the text determines the choices. Every word form belongs to one category, the
/// templates at each point start differently or diverge at a fixed word, names and nouns are never
/// reused within a story, and a pronoun only ever refers to the previous sentence's subject. So no
/// two choice sequences give the same text, and the probability of a text is exactly the product
/// of its choices' probabilities. The tests check this by enumerating every story of a tiny
/// vocabulary.
public struct StoryGrammar: Sendable {
    /// The words to draw from.
    public var vocabulary: StoryVocabulary
    /// At most this many recurring characters per story (1...3).
    public var maxCharacters: Int
    /// Body sentences between the introduction and the closing: at least this many ...
    public var minBodySentences: Int
    /// ... and at most this many; in between, each further sentence follows with probability 4/5.
    public var maxBodySentences: Int

    /// A grammar over `vocabulary`; the defaults give stories of about 6 to 12 sentences.
    public init(vocabulary: StoryVocabulary = .standard, maxCharacters: Int = 3,
                minBodySentences: Int = 3, maxBodySentences: Int = 10) {
        precondition((1...3).contains(maxCharacters), "maxCharacters must be 1...3")
        precondition(0 <= minBodySentences && minBodySentences <= maxBodySentences)
        precondition(vocabulary.animals.count >= maxCharacters
                     && vocabulary.girlNames.count + vocabulary.boyNames.count >= maxCharacters,
                     "the vocabulary needs enough animals and names for maxCharacters")
        precondition(vocabulary.numbers.count >= 2, "numbers must run from one to at least two")
        self.vocabulary = vocabulary
        self.maxCharacters = maxCharacters
        self.minBodySentences = minBodySentences
        self.maxBodySentences = maxBodySentences
    }

    /// Writes one story, taking every choice from `chooser`.
    public func write<C: StoryChooser>(using chooser: C) -> (story: Story, chooser: C) {
        var writer = StoryWriter(grammar: self, choices: ChoiceRecorder(chooser: chooser))
        writer.writeStory()
        let r = writer.choices
        let story = Story(text: writer.text, logProb: r.logProb, characters: writer.cast.map(\.name),
                          choices: r.choices)
        return (story, r.chooser)
    }
}

/// A recurring character of one story.
struct CastMember {
    var name: String
    var female: Bool
    var noun: String
    var colour: String?
}

/// Who a sentence is about: one character, or all of them together.
enum Subject: Equatable {
    case one(Int)
    case all

    var isPlural: Bool { self == .all }
}
