/// The statistics the quality rules look at, in the spirit of the Gopher and C4 filters.
public struct QualityStats: Sendable, Equatable {
    /// Number of words.
    public var words: Int
    /// Mean word length in characters.
    public var meanWordLength: Double
    /// Share of characters that are symbols such as # @ % & * ~ ^ = + { } [ ] < > / \ $ !.
    public var symbolRatio: Double
    /// Share of characters that are digits.
    public var digitRatio: Double
    /// Share of non-empty lines that repeat an earlier line exactly.
    public var duplicateLineFraction: Double
    /// Share of word 4-grams that repeat an earlier 4-gram of the same document.
    public var duplicateNGramFraction: Double
    /// How many distinct common English function words the text uses.
    public var stopWords: Int
    /// Share of whitespace-separated words that contain at least one letter.
    public var alphabeticWordFraction: Double

    static let symbols: Set<Character> = ["#", "@", "%", "&", "*", "~", "^", "=", "+", "{", "}", "[", "]", "<", ">", "/", "\\", "$", "!"]
    static let stopList: Set<String> = ["the", "a", "and", "to", "was", "of", "in", "he", "she", "they", "with", "on", "it", "that"]

    /// Measures `text`.
    public init(_ text: String) {
        let w = wordsOf(text)
        words = w.count
        meanWordLength = w.isEmpty ? 0 : Double(w.reduce(0) { $0 + $1.count }) / Double(w.count)
        var sym = 0, dig = 0, chars = 0
        for ch in text where !ch.isWhitespace {
            chars += 1
            if Self.symbols.contains(ch) { sym += 1 }
            if ch.isNumber { dig += 1 }
        }
        symbolRatio = chars == 0 ? 0 : Double(sym) / Double(chars)
        digitRatio = chars == 0 ? 0 : Double(dig) / Double(chars)
        let lines = text.split(separator: "\n")
        var seenLines = Set<Substring>(), dupLines = 0
        for l in lines where !seenLines.insert(l).inserted { dupLines += 1 }
        duplicateLineFraction = lines.isEmpty ? 0 : Double(dupLines) / Double(lines.count)
        var seenGrams = Set<String>(), dupGrams = 0
        let grams = max(0, w.count - 3)
        for i in 0..<grams where !seenGrams.insert(w[i..<(i + 4)].joined(separator: " ")).inserted { dupGrams += 1 }
        duplicateNGramFraction = grams == 0 ? 0 : Double(dupGrams) / Double(grams)
        stopWords = Set(w.map(String.init)).intersection(Self.stopList).count
        let raw = text.split(whereSeparator: { $0.isWhitespace })
        alphabeticWordFraction = raw.isEmpty ? 0 : Double(raw.filter { $0.contains(where: \.isLetter) }.count) / Double(raw.count)
    }
}

/// One quality rule: a name, the threshold in words, and the test a document must pass.
public struct QualityRule: Sendable {
    /// Short name for tables ("word count").
    public let name: String
    /// The condition a document must meet, as text ("30 ≤ words ≤ 5000").
    public let condition: String
    /// Whether the statistics pass.
    public let passes: @Sendable (QualityStats) -> Bool
}

/// Stage 3a: heuristic quality rules. Thresholds were set on clean stories with a margin (every
/// rule passes every clean story the tests generate) and sit where the junk falls outside.
public enum QualityRules {
    /// The rules in the order they are applied.
    public static let all: [QualityRule] = [
        QualityRule(name: "word count", condition: "15 ≤ words ≤ 5000") { (15...5000).contains($0.words) },
        QualityRule(name: "mean word length", condition: "3 ≤ mean length ≤ 8") { (3...8).contains($0.meanWordLength) },
        QualityRule(name: "symbols", condition: "symbol share ≤ 2%") { $0.symbolRatio <= 0.02 },
        QualityRule(name: "digits", condition: "digit share ≤ 10%") { $0.digitRatio <= 0.10 },
        QualityRule(name: "duplicate lines", condition: "repeated lines ≤ 30%") { $0.duplicateLineFraction <= 0.30 },
        QualityRule(name: "repeated 4-grams", condition: "repeated word 4-grams ≤ 20%") { $0.duplicateNGramFraction <= 0.20 },
        QualityRule(name: "stop words", condition: "≥ 3 distinct stop words") { $0.stopWords >= 3 },
        QualityRule(name: "alphabetic words", condition: "≥ 80% of words have a letter") { $0.alphabeticWordFraction >= 0.80 },
    ]

    /// The names of the rules `text` fails (empty: it passes).
    public static func failures(_ text: String) -> [String] {
        let s = QualityStats(text)
        return all.filter { !$0.passes(s) }.map(\.name)
    }

    /// Whether `text` passes every rule.
    public static func passes(_ text: String) -> Bool { failures(text).isEmpty }
}
