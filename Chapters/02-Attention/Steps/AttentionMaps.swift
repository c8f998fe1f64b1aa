import Engine
import Models

/// Step 9: what the trained heads look at.
///
/// The attention weights of every layer and head for one sequence: maps[layer][head] is a T×T
/// row-major matrix whose row t is how much query t took from each key (zero above the diagonal).
public func attentionMaps(_ model: GPT, ids: [Int]) -> [[[Float]]] {
    for block in model.blocks { block.attn.recordWeights = true }
    defer { for block in model.blocks { block.attn.recordWeights = false } }
    _ = Tensor.noGrad { model([ids]) }
    let t = ids.count
    return model.blocks.map { block in
        let w = block.attn.lastAttentionWeights!.values          // [1, H, T, T]
        return (0..<model.config.heads).map { h in Array(w[(h * t * t)..<((h + 1) * t * t)]) }
    }
}

/// A rule that says, for query position t of a byte sequence, which key positions a head with
/// that habit would look at (empty when the rule does not apply to this query).
public struct AttentionPattern: Sendable {
    /// Short name for tables, e.g. "previous char".
    public let name: String
    /// Target key positions j ≤ t for query t, given the bytes.
    public let targets: @Sendable (_ bytes: [Int], _ t: Int) -> [Int]

    public init(name: String, targets: @escaping @Sendable (_ bytes: [Int], _ t: Int) -> [Int]) {
        self.name = name
        self.targets = targets
    }

    /// Letters a–z and A–Z.
    static func isLetter(_ b: Int) -> Bool { (65...90).contains(b) || (97...122).contains(b) }

    /// Itself.
    public static let same = AttentionPattern(name: "same char") { _, t in [t] }
    /// The character just before.
    public static let previous = AttentionPattern(name: "previous char") { _, t in t > 0 ? [t - 1] : [] }
    /// The first letter of the word the query is in (queries on letters after a word's first letter).
    public static let wordStart = AttentionPattern(name: "start of word") { bytes, t in
        guard isLetter(bytes[t]) else { return [] }
        var j = t
        while j > 0 && isLetter(bytes[j - 1]) { j -= 1 }
        return j > 0 && j < t ? [j] : []
    }
    /// The most recent space before the query.
    public static let lastSpace = AttentionPattern(name: "last space") { bytes, t in
        var j = t - 1
        while j >= 0 && bytes[j] != 32 { j -= 1 }
        return j >= 0 ? [j] : []
    }
    /// Every capital letter so far: the start of names (the characters the story is about) and of
    /// sentences (usually the subject).
    public static let capitals = AttentionPattern(name: "capitals") { bytes, t in
        (0...t).filter { (65...90).contains(bytes[$0]) }
    }
    /// The first position of the window, where many heads park attention they do not need.
    public static let first = AttentionPattern(name: "first position") { _, t in t > 0 ? [0] : [] }

    /// The patterns the chapter measures, in table order.
    public static let all: [AttentionPattern] = [.previous, .same, .wordStart, .lastSpace, .capitals, .first]
}

/// One head's score on one pattern.
public struct PatternScore: Sendable {
    /// Mean attention weight on the pattern's targets, over the queries it applies to.
    public var weight: Double
    /// The same mean for a head that spreads attention evenly over positions 0…t: 1/(t+1) per target.
    public var uniform: Double
    /// weight − uniform: how much more than chance the head looks there.
    public var lift: Double { weight - uniform }

    /// A score from the two means.
    public init(weight: Double, uniform: Double) {
        self.weight = weight
        self.uniform = uniform
    }
}

/// Scores every head of `model` on every pattern, averaged over the windows `sequences`.
/// Returns scores[layer][head][pattern].
public func measureHeads(_ model: GPT, sequences: [[Int]], patterns: [AttentionPattern] = AttentionPattern.all) -> [[[PatternScore]]] {
    let layers = model.config.layers, heads = model.config.heads
    var sums = Array(repeating: Array(repeating: Array(repeating: (w: 0.0, u: 0.0, n: 0), count: patterns.count), count: heads), count: layers)
    for ids in sequences {
        let maps = attentionMaps(model, ids: ids), t = ids.count
        for (p, pattern) in patterns.enumerated() {
            for q in 0..<t {
                let targets = pattern.targets(ids, q)
                if targets.isEmpty { continue }
                let uniform = Double(targets.count) / Double(q + 1)
                for l in 0..<layers {
                    for h in 0..<heads {
                        var w = 0.0
                        for j in targets { w += Double(maps[l][h][q * t + j]) }
                        sums[l][h][p].w += w; sums[l][h][p].u += uniform; sums[l][h][p].n += 1
                    }
                }
            }
        }
    }
    return sums.map { layer in layer.map { head in head.map { s in
        PatternScore(weight: s.w / Double(Swift.max(s.n, 1)), uniform: s.u / Double(Swift.max(s.n, 1)))
    } } }
}

/// The rule that decides when a head is named after a pattern.
public struct HeadNamingRule: Sendable {
    /// The best pattern must beat chance by at least this much (mean attention weight).
    public var minimumLift: Double
    /// …and beat the runner-up pattern's lift by at least this much, so a label never rests on a
    /// near tie between two habits.
    public var minimumLead: Double

    public init(minimumLift: Double = 0.2, minimumLead: Double = 0.1) {
        self.minimumLift = minimumLift
        self.minimumLead = minimumLead
    }
}

/// The pattern a head clearly follows, or nil: the pattern with the largest lift, when that lift is
/// at least `rule.minimumLift` and leads the second largest by at least `rule.minimumLead`.
public func headName(_ scores: [PatternScore], patterns: [AttentionPattern] = AttentionPattern.all,
                     rule: HeadNamingRule = HeadNamingRule()) -> String? {
    let order = scores.indices.sorted { scores[$0].lift != scores[$1].lift ? scores[$0].lift > scores[$1].lift : $0 < $1 }
    guard let best = order.first else { return nil }
    let runnerUp = order.count > 1 ? scores[order[1]].lift : -Double.infinity
    let s = scores[best].lift
    return s >= rule.minimumLift && s - runnerUp >= rule.minimumLead ? patterns[best].name : nil
}

/// `headName` for every head: names[layer][head].
public func headNames(_ scores: [[[PatternScore]]], patterns: [AttentionPattern] = AttentionPattern.all,
                      rule: HeadNamingRule = HeadNamingRule()) -> [[String?]] {
    scores.map { layer in layer.map { headName($0, patterns: patterns, rule: rule) } }
}

/// The heads to draw: for each head its largest lift; the `count` heads with the largest, in
/// (layer, head) order. Ties go to the earlier head.
public func mostPatternedHeads(_ scores: [[[PatternScore]]], count: Int) -> [(layer: Int, head: Int)] {
    var all: [(layer: Int, head: Int, lift: Double)] = []
    for (l, layer) in scores.enumerated() {
        for (h, head) in layer.enumerated() { all.append((l, h, head.map(\.lift).max() ?? 0)) }
    }
    let chosen = all.enumerated().sorted { a, b in a.element.lift != b.element.lift ? a.element.lift > b.element.lift : a.offset < b.offset }
        .prefix(count).map(\.element)
    return chosen.sorted { ($0.layer, $0.head) < ($1.layer, $1.head) }.map { ($0.layer, $0.head) }
}
