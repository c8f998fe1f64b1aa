import Datasets
import Engine
import Models

/// One prompt of the in-context name task: a window of story text whose last word is an invented
/// name, and the bytes of that name the model must predict.
public struct NamePrompt: Sendable, Equatable {
    /// The model's input: exactly `context` byte values.
    public var input: [Int]
    /// Positions in `input` whose next byte is scored, and the byte expected there.
    public var scored: [(position: Int, byte: Int)]
    /// Earlier mentions of the name in the window (the "shots").
    public var shots: Int
    /// The invented name (for the report's example).
    public var name: String
    /// The window as text (for the report's example).
    public var text: String

    public static func == (a: NamePrompt, b: NamePrompt) -> Bool {
        a.input == b.input && a.shots == b.shots && a.name == b.name
            && a.scored.map(\.position) == b.scored.map(\.position) && a.scored.map(\.byte) == b.scored.map(\.byte)
    }
}

/// A few-shot task whose answer is only in the prompt: a story character gets an invented name
/// (five letters no story ever uses), mentioned `k` times in short sentences, and the model must
/// complete the name when it appears once more. Only letters 2–5 are scored: the first letter
/// says *that* the name comes, the rest can only be copied from the earlier mentions. With k = 0
/// the name is new and the model can only guess from spelling habits — the zero-shot floor.
///
/// Every prompt has the same number of sentence slots; a slot without the name uses a pronoun,
/// so prompts with different k have the same shape and differ only in where the name appears.
public struct NameTask: Sendable {
    /// Window length in bytes (the model's context).
    public let context: Int
    /// Sentence slots before the final mention, hence the largest k.
    public let maxShots: Int

    /// The task for a model of context `context`: as many slots as fit with room to spare.
    public init(context: Int) {
        self.context = context
        // A slot is at most 18 bytes ("Zorvek was happy. ") and the final name 5; keep ≥ 4 bytes of
        // story text in front so the window starts like the training text.
        maxShots = Swift.max(1, Swift.min(3, (context - 5 - 4) / 18))
    }

    static let consonants = Array("bdfgklmnprstvz"), vowels = Array("aeiou")
    static let feelings = ["happy", "sad", "tired", "scared", "proud", "glad", "calm", "shy", "brave", "silly"]
    static let verbs = ["laughed", "smiled", "played", "jumped", "danced", "sang", "slept", "cried", "waited"]

    /// A five-letter name, consonant-vowel-consonant-vowel-consonant, capitalised, that is not one
    /// of the corpus's names.
    static func inventedName(_ rng: inout RNG) -> String {
        let known = Set(StoryVocabulary.standard.girlNames + StoryVocabulary.standard.boyNames)
        while true {
            var s = ""
            for i in 0..<5 {
                let pool = i % 2 == 0 ? consonants : vowels
                s.append(pool[rng.int(pool.count)])
            }
            let name = s.prefix(1).uppercased() + s.dropFirst()
            if !known.contains(name) { return name }
        }
    }

    /// `perShot` prompts for each k in 0...maxShots, in that order, seeded by a fixed stream so
    /// that every run and every size is scored on the same windows. The text in front of the
    /// slots is the end of a held-out story passage that stops at a sentence boundary.
    public func prompts(perShot: Int, validation: [UInt8]) -> [NamePrompt] {
        var rng = RNG(seed: 0x1C1)
        let period = UInt8(ascii: "."), space = UInt8(ascii: " ")
        let ends = (context..<(validation.count - 1)).filter { validation[$0 - 1] == period && validation[$0] == space }
        precondition(!ends.isEmpty, "the validation text has no sentence ends")
        var out: [NamePrompt] = []
        for k in 0...maxShots {
            for _ in 0..<perShot {
                let name = Self.inventedName(&rng)
                let pronoun = rng.int(2) == 0 ? "She" : "He"
                var withName = Array(repeating: false, count: maxShots)
                var placed = 0
                while placed < k {
                    let i = rng.int(maxShots)
                    if !withName[i] { withName[i] = true; placed += 1 }
                }
                var core = ""
                for slot in withName {
                    let subject = slot ? name : pronoun
                    core += rng.int(2) == 0
                        ? "\(subject) was \(Self.feelings[rng.int(Self.feelings.count)]). "
                        : "\(subject) \(Self.verbs[rng.int(Self.verbs.count)]). "
                }
                core += name
                let coreBytes = Array(core.utf8)
                let prefixLength = context + 1 - coreBytes.count
                precondition(prefixLength >= 1, "the name task does not fit a context of \(context)")
                // A sentence end at index e (the space after a period): take the bytes up to it.
                let e = ends[rng.int(ends.count)]
                let text = Array(validation[(e + 1 - prefixLength)...e]) + coreBytes
                let nameStart = text.count - 5
                let scored = (1..<5).map { i in (position: nameStart + i - 1, byte: Int(text[nameStart + i])) }
                out.append(NamePrompt(input: text.dropLast().map(Int.init), scored: scored, shots: k, name: name,
                                      text: String(decoding: text, as: UTF8.self)))
            }
        }
        return out
    }

    /// The share of scored letters the model predicts exactly (its most likely next byte), for
    /// each k in 0...maxShots. Prompts are run in batches of 16 without building a graph.
    public func accuracyByShots(_ model: GPT, _ prompts: [NamePrompt]) -> [Double] {
        var hits = [Int](repeating: 0, count: maxShots + 1), total = hits
        let v = model.config.vocab
        model.eval()
        Tensor.noGrad {
            var start = 0
            while start < prompts.count {
                let batch = Array(prompts[start..<Swift.min(start + 16, prompts.count)])
                let t = batch[0].input.count
                // A copy: `.data` of the temporary output would point into storage that is freed
                // once the tensor's last use has passed (a use-after-free ThreadSanitizer's build hit).
                let logits = model(batch.map(\.input)).values
                for (r, p) in batch.enumerated() {
                    for s in p.scored {
                        let row = (r * t + s.position) * v
                        var best = 0
                        for j in 1..<v where logits[row + j] > logits[row + best] { best = j }
                        if best == s.byte { hits[p.shots] += 1 }
                        total[p.shots] += 1
                    }
                }
                start += batch.count
            }
        }
        return zip(hits, total).map { Double($0) / Double(Swift.max(1, $1)) }
    }
}

/// A short passage about one character with an invented name: five sentences, each naming the
/// character (with probability 3/5) or using a pronoun. Mixed into training text, it is where the
/// models of step 5 see names that can only be copied, many times per window.
public func nameDrill(_ rng: inout RNG) -> String {
    let name = NameTask.inventedName(&rng)
    let pronoun = rng.int(2) == 0 ? "She" : "He"
    var out: [String] = []
    for i in 0..<5 {
        let subject = i == 0 || rng.int(5) < 3 ? name : pronoun
        out.append(rng.int(2) == 0
            ? "\(subject) was \(NameTask.feelings[rng.int(NameTask.feelings.count)])."
            : "\(subject) \(NameTask.verbs[rng.int(NameTask.verbs.count)]).")
    }
    return out.joined(separator: " ")
}

/// `story` with every character name of the corpus vocabulary replaced by an invented five-letter
/// name, the same invented name for every mention of one character and a different one for each
/// character. After the rewrite a name can only be predicted after its first mention by copying
/// it from earlier in the story: the corpus then teaches in-context copying directly.
public func withInventedNames(_ story: String, rng: inout RNG) -> String {
    let known = Set(StoryVocabulary.standard.girlNames + StoryVocabulary.standard.boyNames)
    var replacement: [String: String] = [:]   // looked up only, never iterated
    var used: Set<String> = []
    var out = "", word = ""
    func flush() {
        if known.contains(word) {
            if replacement[word] == nil {
                var name = NameTask.inventedName(&rng)
                while used.contains(name) { name = NameTask.inventedName(&rng) }
                used.insert(name)
                replacement[word] = name
            }
            out += replacement[word]!
        } else {
            out += word
        }
        word = ""
    }
    for ch in story {
        if ch.isLetter { word.append(ch) } else { flush(); out.append(ch) }
    }
    flush()
    return out
}

