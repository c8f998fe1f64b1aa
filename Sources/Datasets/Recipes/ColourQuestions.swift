import Engine

/// An instruction-style set: a few facts about who owns what, then a question and its answer.
///
///     Mia has a red kite. Tom has a blue cup. Q: What colour is Tom's cup? A: blue.
///
/// The answer is always the colour of one stated fact, so a model can only get it right by finding
/// the owner named in the question among the facts and copying that fact's colour: a small
/// version of what instruction tuning teaches (answer the question that was asked, in the expected
/// format). Names, objects and colours come from the story vocabulary, so a story-trained model
/// knows every word but has never seen the "Q: … A: …" format.
public struct ColourQuestions: Sendable {
    /// The seed every item derives from.
    public let seed: UInt64

    /// One item: the text up to and including "A:", and the expected answer word.
    public struct Item: Sendable, Equatable {
        /// Facts and question, ending in "A:" (the model continues from here).
        public var prompt: String
        /// The colour the question asks for.
        public var answer: String
        /// The colours of all the facts (an answer copied from the wrong fact is one of these).
        public var stated: [String]
        /// Prompt, a space, the answer and a full stop: what a training document holds.
        public var text: String { prompt + " " + answer + "." }
    }

    /// The longest prompt an item has, in bytes: it leaves room for the answer within a context of
    /// 128 bytes (items that would be longer are drawn again).
    public static let maxPromptBytes = 112

    /// The set for `seed`.
    public init(seed: UInt64) { self.seed = seed }

    /// Item `i` (any i ≥ 0): 2 or 3 facts with different owners, objects and colours.
    public func item(_ i: Int) -> Item {
        precondition(i >= 0, "item index must be non-negative, got \(i)")
        var rng = RNG(seed: mix(seed ^ mix(UInt64(i) &+ 0xC0_10E5)))
        while true {
            let item = draw(&rng)
            if item.prompt.utf8.count <= Self.maxPromptBytes { return item }
        }
    }

    private func draw(_ rng: inout RNG) -> Item {
        let v = StoryVocabulary.standard
        let names = v.girlNames + v.boyNames
        let count = 2 + rng.int(2)
        func distinct(_ n: Int, below limit: Int) -> [Int] {
            var out: [Int] = []
            while out.count < n {
                let k = rng.int(limit)
                if !out.contains(k) { out.append(k) }
            }
            return out
        }
        let who = distinct(count, below: names.count)
        let what = distinct(count, below: v.objects.count)
        let colour = distinct(count, below: v.colours.count)
        var prompt = ""
        for k in 0..<count {
            let object = v.objects[what[k]].singular
            let article = "aeiou".contains(v.colours[colour[k]].first!) ? "an" : "a"
            prompt += "\(names[who[k]]) has \(article) \(v.colours[colour[k]]) \(object). "
        }
        let asked = rng.int(count)
        prompt += "Q: What colour is \(names[who[asked]])'s \(v.objects[what[asked]].singular)? A:"
        return Item(prompt: prompt, answer: v.colours[colour[asked]], stated: colour.map { v.colours[$0] })
    }

    /// Items `range`.
    public func items(_ range: Range<Int>) -> [Item] { range.map(item) }
}
