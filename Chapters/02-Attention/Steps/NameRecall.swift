import Datasets
import Engine
import Models

/// Step 6: does the model expect a name it has already seen? The first letter of a character's name,
/// predicted at its first mention and at later mentions whose earlier mention is still in the context.
///
/// At a first mention the model can only guess among the corpus's names; at a repeat the name is
/// in the window, so a model that uses its context puts far more probability on the right letter.
public struct NameRecall: Sendable, Equatable {
    /// Mentions counted: first ones, and repeats with an earlier mention inside the window.
    public var firstMentions = 0, repeats = 0
    /// How often the most likely next byte was the name's first letter.
    public var firstCorrect = 0, repeatCorrect = 0
    /// Summed probability given to the name's first letter.
    public var firstProbability = 0.0, repeatProbability = 0.0
    /// Summed share of the probability on capital letters that goes to the name's first letter:
    /// p(letter) / Σ p(A…Z). This asks "if a capitalised word comes here, is it this name?", which
    /// leaves out whether a name comes at all (after "named " it must; at a sentence start "Then"
    /// or "The" compete, which can only lower the share at repeats).
    public var firstCapitalShare = 0.0, repeatCapitalShare = 0.0

    public init() {}

    /// Share of first mentions whose first letter was the model's top choice.
    public var firstAccuracy: Double { firstMentions == 0 ? 0 : Double(firstCorrect) / Double(firstMentions) }
    /// Share of repeated mentions whose first letter was the model's top choice.
    public var repeatAccuracy: Double { repeats == 0 ? 0 : Double(repeatCorrect) / Double(repeats) }
    /// Mean probability of the right first letter at first mentions.
    public var firstMeanProbability: Double { firstMentions == 0 ? 0 : firstProbability / Double(firstMentions) }
    /// Mean probability of the right first letter at repeated mentions.
    public var repeatMeanProbability: Double { repeats == 0 ? 0 : repeatProbability / Double(repeats) }
    /// Mean capital-letter share of the right first letter at first mentions.
    public var firstMeanCapitalShare: Double { firstMentions == 0 ? 0 : firstCapitalShare / Double(firstMentions) }
    /// Mean capital-letter share of the right first letter at repeated mentions.
    public var repeatMeanCapitalShare: Double { repeats == 0 ? 0 : repeatCapitalShare / Double(repeats) }
}

/// Start offsets of `name` in `bytes` as a whole word (no letter on either side).
public func wordOccurrences(of name: String, in bytes: [Int]) -> [Int] {
    let n = Array(name.utf8).map(Int.init)
    guard !n.isEmpty, bytes.count >= n.count else { return [] }
    func letter(_ i: Int) -> Bool { i >= 0 && i < bytes.count && AttentionPattern.isLetter(bytes[i]) }
    return (0...(bytes.count - n.count)).filter { s in
        Array(bytes[s..<(s + n.count)]) == n && !letter(s - 1) && !letter(s + n.count)
    }
}

/// Measures `NameRecall` over `stories` (text and character names). `predict` takes a window of
/// at most `context` bytes and returns, for every position i, the probabilities of the byte after
/// window[0...i]. Each story is cut into windows starting every context/2 bytes, and each mention
/// at offset p ≥ 1 is predicted from the window with the most bytes before p, so it sees at least
/// context/2 bytes of the story (or the story's start). A repeat counts only if an earlier mention
/// of the same name starts inside that window; repeats without one are left out.
public func measureNameRecall(stories: [(text: String, names: [String])], context: Int,
                              predict: ([Int]) -> [[Float]]) -> NameRecall {
    precondition(context >= 2, "the context must hold at least two bytes")
    var r = NameRecall()
    let stride = context / 2
    for story in stories {
        let bytes = byteIDs(story.text)
        var mentions: [(start: Int, name: String, previous: Int?)] = []
        for name in story.names {
            let at = wordOccurrences(of: name, in: bytes)
            for (k, s) in at.enumerated() { mentions.append((s, name, k > 0 ? at[k - 1] : nil)) }
        }
        mentions = mentions.filter { $0.start >= 1 }
        if mentions.isEmpty { continue }
        var cache: [Int: [[Float]]] = [:]
        for m in mentions.sorted(by: { $0.start < $1.start }) {
            // The window whose start is the furthest back while still holding byte p − 1.
            let windowStart = Swift.max(0, (m.start - context + stride - 1) / stride * stride)
            if let prev = m.previous, prev < windowStart { continue }
            let probs = cache[windowStart] ?? predict(Array(bytes[windowStart..<Swift.min(bytes.count, windowStart + context)]))
            cache[windowStart] = probs
            let row = probs[m.start - 1 - windowStart]
            let target = bytes[m.start]
            let top = row.indices.max { row[$0] != row[$1] ? row[$0] < row[$1] : $0 > $1 }!
            let capitals = (65...90).reduce(0.0) { $0 + Double(row[$1]) }
            let share = capitals > 0 ? Double(row[target]) / capitals : 0
            if m.previous == nil {
                r.firstMentions += 1; r.firstProbability += Double(row[target]); r.firstCapitalShare += share
                if top == target { r.firstCorrect += 1 }
            } else {
                r.repeats += 1; r.repeatProbability += Double(row[target]); r.repeatCapitalShare += share
                if top == target { r.repeatCorrect += 1 }
            }
        }
    }
    return r
}

/// The next-byte probabilities of `model` at every position of `window`.
public func nextByteProbabilities(_ model: GPT, _ window: [Int]) -> [[Float]] {
    let v = model.config.vocab
    let p = Tensor.noGrad { model([window]).softmax() }.values
    return (0..<window.count).map { Array(p[($0 * v)..<(($0 + 1) * v)]) }
}
