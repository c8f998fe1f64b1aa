import Engine

/// The mix of a generated crawl: how many documents of each kind, and how the clean stories
/// are dressed (page furniture, Unicode mess, personal data, a skewed role sentence).
public struct CrawlMix: Sendable {
    /// Clean stories (corpus documents 0..<cleanStories); held-out stories start after them.
    public var cleanStories: Int
    /// How many clean stories are copied; the story of popularity rank k (1-based) gets
    /// max(1, maxCopies / k) copies, a heavy (Zipf) tail like link farms and mirrors make.
    public var copiedStories: Int, maxCopies: Int
    /// Share of copies that are exact (the rest are near copies).
    public var exactShare: Double
    /// Documents of each junk kind.
    public var foreign: Int, boilerplatePages: Int, spam: Int, stuffed: Int, garbled: Int
    /// Harmful documents and benign documents that mention a harmful word.
    public var harmful: Int, harmfulBenign: Int
    /// Shares of clean stories wrapped in page furniture, made messy, given personal data, given a role sentence.
    public var wrappedShare: Double, messyShare: Double, piiShare: Double, roleShare: Double
    /// Probability that a role sentence follows the stereotype (girls' names with girlRoles).
    public var roleSkew: Double

    /// Roles the skewed pool gives mostly to girls' names.
    public static let girlRoles = ["nurse", "baker", "teacher"]
    /// Roles the skewed pool gives mostly to boys' names.
    public static let boyRoles = ["pilot", "builder", "doctor"]

    /// The chapter's mix at `scale` (1 for the full run): about 14 MB of text of which a few
    /// percent is unique, clean story text.
    public static func standard(scale: Double) -> CrawlMix {
        func n(_ x: Double) -> Int { max(1, Int((x * scale).rounded())) }
        return CrawlMix(cleanStories: n(1000), copiedStories: n(250), maxCopies: n(1000), exactShare: 0.5,
                        foreign: n(3000), boilerplatePages: n(2500), spam: n(800), stuffed: n(800), garbled: n(2000),
                        harmful: n(100), harmfulBenign: n(50),
                        wrappedShare: 0.6, messyShare: 0.3, piiShare: 0.15, roleShare: 0.5, roleSkew: 0.9)
    }
}

/// A seeded crawl: clean stories drowned in copies, spam, garble, another language, page
/// furniture, personal data and harmful text, each document with hidden labels.
public struct CrawlPool: Sendable {
    /// The documents in crawl order (shuffled).
    public let documents: [CrawlDocument]
    /// The mix it was generated with.
    public let mix: CrawlMix
    /// The story corpus the clean stories come from (documents 0..<mix.cleanStories).
    public let corpus: StoryCorpus
    /// Clean story i as planted (with its role and personal-data sentences, before page
    /// furniture and Unicode mess): what the chapter probes a model's memory with.
    public let cleanTexts: [String]

    /// Generates the pool for `seed`: the same documents, labels and order on every machine.
    public init(mix: CrawlMix, seed: UInt64) {
        self.mix = mix
        let corpus = StoryCorpus(seed: seed)
        self.corpus = corpus
        let vocab = StoryVocabulary.standard
        let names = vocab.girlNames + vocab.boyNames
        func rng(_ stream: UInt64, _ i: Int) -> RNG { RNG(seed: mix64(seed ^ mix64(stream &* 0x100_0000 &+ UInt64(i)))) }
        // Stories used inside junk come from far-away corpus indices, never from the clean range
        // or the held-out range after it.
        func junkStory(_ i: Int) -> String { corpus.document(10_000_000 + i).text }

        var docs: [CrawlDocument] = []
        // Clean stories with their planted extras; the first `copiedStories` are the popular ones.
        var cleanTexts: [String] = [], extras: [String] = []
        let stories = corpus.documents(0..<mix.cleanStories)
        for (i, story) in stories.enumerated() {
            var r = rng(1, i)
            var text = "", pii = [0, 0, 0], lookalikes = 0
            var role: RoleMention?
            if Double(r.uniform()) < mix.roleShare {
                let girl = r.int(2) == 0
                let name = CrawlJunk.pick(girl ? vocab.girlNames : vocab.boyNames, &r)
                let stereo = Double(r.uniform()) < mix.roleSkew
                let roles = (girl == stereo) ? CrawlMix.girlRoles : CrawlMix.boyRoles
                let m = RoleMention(name: name, girlName: girl, role: CrawlJunk.pick(roles, &r))
                text += " " + m.sentence
                role = m
            }
            if Double(r.uniform()) < mix.piiShare {
                let s = CrawlPII.sentence(name: story.characters.first ?? "Sam", &r)
                text += " " + s.text
                pii = s.pii
                lookalikes = s.lookalikes
            }
            extras.append(text)
            text = story.text + text
            cleanTexts.append(text)
            let copies = i < mix.copiedStories ? max(1, mix.maxCopies / (i + 1)) : 0
            docs.append(CrawlDocument(text: Self.dress(text, mix, &r), kind: .clean, group: i,
                                      copies: copies, pii: pii, lookalikes: lookalikes, role: role))
        }
        // Copies of the popular stories.
        var copyIndex = 0
        for i in 0..<min(mix.copiedStories, stories.count) {
            let source = docs[i]
            for _ in 0..<source.copies {
                var r = rng(2, copyIndex)
                copyIndex += 1
                let exact = Double(r.uniform()) < mix.exactShare
                // Near copies edit the story, never the planted sentences, so the labels stay true.
                let text = exact ? cleanTexts[i] : Self.nearCopy(stories[i].text, names: names, &r) + extras[i]
                docs.append(CrawlDocument(text: Self.dress(text, mix, &r), kind: exact ? .exactCopy : .nearCopy,
                                          group: i, copies: source.copies, pii: source.pii,
                                          lookalikes: source.lookalikes, role: source.role))
            }
        }
        var j = 0
        func add(_ count: Int, _ kind: CrawlKind, _ make: (inout RNG, Int) -> String) {
            for k in 0..<count {
                var r = rng(UInt64(3 + CrawlKind.allCases.firstIndex(of: kind)!), k)
                docs.append(CrawlDocument(text: make(&r, j), kind: kind))
                j += 1
            }
        }
        add(mix.foreign, .foreign) { r, _ in CrawlJunk.foreignDocument(sentences: 10 + r.int(40), &r) }
        add(mix.boilerplatePages, .boilerplate) { r, _ in CrawlJunk.boilerplatePage(&r) }
        add(mix.spam, .spam) { r, _ in CrawlJunk.templateSpam(&r) }
        add(mix.stuffed, .stuffed) { r, k in CrawlJunk.stuffed(junkStory(k), &r) }
        add(mix.garbled, .garbled) { r, k in CrawlJunk.garbled(junkStory(k), &r) }
        add(mix.harmful, .harmful) { r, k in CrawlJunk.harmful(story: junkStory(500_000 + k), names: names, &r) }
        add(mix.harmfulBenign, .harmfulBenign) { r, k in CrawlJunk.harmfulBenign(story: junkStory(k), names: names, &r) }

        // Crawl order: a seeded Fisher–Yates shuffle, so copies are scattered through the pool.
        var order = rng(99, 0)
        for i in stride(from: docs.count - 1, to: 0, by: -1) { docs.swapAt(i, order.int(i + 1)) }
        documents = docs
        self.cleanTexts = cleanTexts
    }

    /// Puts a clean text in page furniture and Unicode mess according to the mix.
    static func dress(_ text: String, _ mix: CrawlMix, _ r: inout RNG) -> String {
        var t = text
        if Double(r.uniform()) < mix.messyShare { t = CrawlJunk.messy(t, &r) }
        if Double(r.uniform()) < mix.wrappedShare { t = CrawlJunk.wrapped(t, &r) }
        return t
    }

    /// A near copy: one or two edits (a word replaced, a sentence dropped, a credit line added).
    public static func nearCopy(_ text: String, names: [String], _ r: inout RNG) -> String {
        var t = text
        for _ in 0..<(1 + r.int(2)) {
            switch r.int(3) {
            case 0:
                var words = t.split(separator: " ").map(String.init)
                let k = r.int(words.count)
                words[k] = CrawlJunk.pick(["happy", "little", "blue", "old", "funny", "big"], &r)
                t = words.joined(separator: " ")
            case 1:
                var s = CrawlJunk.sentences(of: t)
                if s.count > 3 { s.remove(at: 1 + r.int(s.count - 2)) }
                t = s.joined(separator: " ")
            default:
                t += " This story was shared by \(CrawlJunk.pick(names, &r))."
            }
        }
        return t
    }

    /// Held-out clean stories (corpus documents after the pool's clean range): the validation text.
    public func heldOut(_ count: Int) -> [String] {
        corpus.documents(mix.cleanStories..<(mix.cleanStories + count)).map(\.text)
    }
}

/// SplitMix64's finaliser, for deriving per-document streams.
func mix64(_ x: UInt64) -> UInt64 { mix(x) }
