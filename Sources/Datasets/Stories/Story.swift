import Engine

/// One generated story and the exact probability the generator gave it.
public struct Story: Hashable, Sendable {
    /// The story, ASCII only, on one line, ending with the closing sentence's full stop.
    public var text: String
    /// The natural log of the story's probability. Because the text determines every choice, this
    /// is the log-probability of the text itself, not just of one way to produce it.
    public var logProb: Double
    /// The story's recurring characters' names, in order of introduction.
    public var characters: [String]
    /// How many real (non-forced) random choices the story made.
    public var choices: Int

    /// A story with its log-probability in nats.
    public init(text: String, logProb: Double, characters: [String], choices: Int) {
        self.text = text
        self.logProb = logProb
        self.characters = characters
        self.choices = choices
    }

    /// The information content of the text in bits: -log2 p(text).
    public var bits: Double { -logProb / log(2.0) }
}
