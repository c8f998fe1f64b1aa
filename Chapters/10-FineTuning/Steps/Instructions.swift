import Ch02Attention
import Datasets
import Engine
import Foundation
import Models

/// How a model answers the held-out colour questions.
public struct AnswerScore: Sendable {
    /// Share of answers that are exactly the asked-for colour.
    public var correct: Double
    /// Share of answers that are one of the 13 colour words at all (the format is learned).
    public var colourWord: Double
    /// Share of answers that are a colour stated in the facts (right or wrong fact): the format and
    /// the copying are learned even when the wrong owner is picked.
    public var statedColour: Double
    /// A few (prompt, answer given, expected) triples to print.
    public var examples: [(prompt: String, given: String, expected: String)]
}

/// The model's greedy answer to `item`: the bytes after "A:" up to the first full stop or line
/// break, spaces trimmed.
public func answer(_ model: GPT, to item: ColourQuestions.Item, maxBytes: Int = 12) -> String {
    var rng = RNG(seed: 0)  // greedy decoding never draws from it
    let prompt = byteIDs(item.prompt)
    let out = model.generate(prompt: prompt, count: maxBytes, rule: .greedy, rng: &rng)
    let text = String(decoding: out[prompt.count...].map { UInt8($0) }, as: UTF8.self)
    let cut = text.prefix { $0 != "." && $0 != "\n" }
    return String(cut).trimmingCharacters(in: .whitespaces)
}

/// Scores greedy answers to `items`.
public func scoreAnswers(_ model: GPT, items: [ColourQuestions.Item], keepExamples: Int = 4) -> AnswerScore {
    var correct = 0, stated = 0, colour = 0
    let colours = Set(StoryVocabulary.standard.colours)
    var examples: [(String, String, String)] = []
    for item in items {
        let given = answer(model, to: item)
        if given == item.answer { correct += 1 }
        if item.stated.contains(given) { stated += 1 }
        if colours.contains(given) { colour += 1 }
        if examples.count < keepExamples { examples.append((item.prompt, given, item.answer)) }
    }
    let n = Double(Swift.max(items.count, 1))
    return AnswerScore(correct: Double(correct) / n, colourWord: Double(colour) / n, statedColour: Double(stated) / n, examples: examples)
}

/// The accuracy of answering with a colour picked uniformly among those stated: what copying the
/// format without finding the right owner would score.
public func statedGuessAccuracy(_ items: [ColourQuestions.Item]) -> Double {
    items.reduce(0.0) { $0 + 1 / Double($1.stated.count) } / Double(Swift.max(items.count, 1))
}
