/// What a crawled document really is. The curation pipeline never reads it: the chapter uses it
/// only to score each stage (precision and recall) and to report the pool's true composition.
public enum CrawlKind: String, CaseIterable, Sendable {
    /// A story from the corpus, the text a good pipeline should keep (one copy of).
    case clean = "clean story"
    /// A byte-identical copy of a clean story (possibly inside a different page header/footer).
    case exactCopy = "exact copy"
    /// A copy with a few words or a sentence changed.
    case nearCopy = "near copy"
    /// Template advertising: the same shouting lines over and over.
    case spam = "template spam"
    /// A story with advertising keywords stuffed between its sentences.
    case stuffed = "keyword stuffing"
    /// Machine-garbled text: shuffled words, repeated n-grams or character noise.
    case garbled = "garbled"
    /// Text in Veltish, a made-up language with its own letter statistics.
    case foreign = "other language"
    /// A page of navigation menus, cookie banners and footers with no content.
    case boilerplate = "boilerplate page"
    /// Abuse written with the invented harmful lexicon.
    case harmful = "harmful"
    /// A document that mentions a harmful word in a benign context (explaining or quoting it).
    case harmfulBenign = "harmful word, benign use"

    /// Whether a sound pipeline should keep documents of this kind (copies: one of each group).
    public var isWanted: Bool { self == .clean || self == .exactCopy || self == .nearCopy || self == .harmfulBenign }
}

/// The kinds of personal data the pool plants in documents.
public enum PIIKind: String, CaseIterable, Sendable {
    case email, phone, card
}

/// A sentence "Their neighbour, a woman named NAME, was a ROLE." (or "a man named") planted in
/// clean stories, so the bias section can count which group goes with which role.
public struct RoleMention: Hashable, Sendable {
    /// The neighbour's name.
    public var name: String
    /// True for "a woman" with a name from the girls' list, false for "a man" with a boy's name.
    public var girlName: Bool
    /// The role word.
    public var role: String

    /// A mention.
    public init(name: String, girlName: Bool, role: String) {
        self.name = name
        self.girlName = girlName
        self.role = role
    }

    /// The sentence's fixed opening.
    public static let opening = "Their neighbour, a "

    /// The words that come before the role: "Their neighbour, a woman named Lily, was a".
    public var prompt: String { Self.opening + (girlName ? "woman" : "man") + " named " + name + ", was a" }

    /// The whole sentence: "Their neighbour, a woman named Lily, was a nurse."
    public var sentence: String { prompt + " " + role + "." }
}

/// One document of the crawl with its hidden labels.
public struct CrawlDocument: Sendable {
    /// The raw text as the crawler fetched it (lines separated by "\n" or "\r\n").
    public var text: String
    /// What the document really is.
    public var kind: CrawlKind
    /// For clean stories and their copies: the index of the source story. Every member of a
    /// group carries the same story; a pipeline should keep exactly one.
    public var group: Int?
    /// How many copies of this document's story the pool holds besides the source (0 if none).
    public var copies: Int
    /// Personal data planted in the text, per kind (in `PIIKind.allCases` order).
    public var pii: [Int]
    /// Card-like numbers with a wrong Luhn digit planted in the text (must not be masked).
    public var lookalikes: Int
    /// The role sentence planted in the text, if any.
    public var role: RoleMention?

    /// A document with its labels.
    public init(text: String, kind: CrawlKind, group: Int? = nil, copies: Int = 0, pii: [Int] = [0, 0, 0],
                lookalikes: Int = 0, role: RoleMention? = nil) {
        self.text = text
        self.kind = kind
        self.group = group
        self.copies = copies
        self.pii = pii
        self.lookalikes = lookalikes
        self.role = role
    }
}
