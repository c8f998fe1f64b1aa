import Engine

/// The generators of everything in the crawl that is not a clean story. Each takes the RNG it
/// draws from, so a document depends only on its own stream.
public enum CrawlJunk {
    static func pick<T>(_ items: [T], _ rng: inout RNG) -> T { items[rng.int(items.count)] }

    static let sites = ["storyhub", "kidtales", "bedtimenow", "readzone", "talebox", "funpages", "mybooknook"]

    // MARK: Boilerplate

    /// One line of page furniture: a navigation menu, a cookie banner, a footer or a pager.
    public static func boilerplateLine(_ rng: inout RNG) -> String {
        let site = pick(sites, &rng)
        let menus = [["Home", "About", "Blog", "Contact", "Login"], ["News", "Stories", "Kids", "Parents", "Shop"],
                     ["Top", "New", "Random", "Search", "Help"], ["Books", "Games", "Videos", "Sign in"]]
        switch rng.int(8) {
        case 0, 1: return pick(menus, &rng).joined(separator: " | ")
        case 2: return "We use cookies to improve your experience. Accept all cookies?"
        case 3: return "This site uses cookies. By continuing to browse you agree to our cookie policy."
        case 4: return "Copyright \(2015 + rng.int(10)) \(site).example. All rights reserved."
        case 5: return "Share on Facebook | Share on Twitter | Print | Email"
        case 6: return "Subscribe to the \(site) newsletter for more stories!"
        default: return "Privacy Policy | Terms of Use | Sitemap | Page \(1 + rng.int(9)) of \(10 + rng.int(40))"
        }
    }

    /// A page with no content at all: 12–36 lines of furniture.
    public static func boilerplatePage(_ rng: inout RNG) -> String {
        (0..<(12 + rng.int(25))).map { _ in boilerplateLine(&rng) }.joined(separator: "\n")
    }

    /// `text` between 1–3 header lines and 1–3 footer lines, as a crawled page carries it.
    public static func wrapped(_ text: String, _ rng: inout RNG) -> String {
        let head = (0..<(1 + rng.int(3))).map { _ in boilerplateLine(&rng) }
        let foot = (0..<(1 + rng.int(3))).map { _ in boilerplateLine(&rng) }
        return (head + [text] + foot).joined(separator: "\n")
    }

    /// The same text with the Unicode and whitespace mess of real pages: non-breaking and
    /// doubled spaces, curly quotes, zero-width spaces, Windows line ends, trailing blanks.
    /// `CurationText.normalise` must undo every one of these.
    public static func messy(_ text: String, _ rng: inout RNG) -> String {
        var out = ""
        var openQuote = true
        for ch in text {
            switch ch {
            case " " where rng.int(12) == 0: out += "\u{00A0}"
            case " " where rng.int(15) == 0: out += "  "
            case "\"":
                out += openQuote ? "\u{201C}" : "\u{201D}"
                openQuote.toggle()
            case "'" where rng.int(2) == 0: out += "\u{2019}"
            default:
                out.append(ch)
                if ch.isLetter, rng.int(200) == 0 { out += "\u{200B}" }
            }
        }
        return out.replacingOccurrences(of: "\n", with: "\r\n") + (rng.int(2) == 0 ? "  \t" : "")
    }

    // MARK: Other language

    static let veltConsonants = ["k", "v", "z", "r", "t", "x", "q", "l", "n", "sk", "zh", "kv", "th"]
    static let veltVowels = ["a", "o", "u", "y", "aa", "oe", "uu", "e"]
    static let veltFunction = ["ke", "vo", "zun", "ta", "ry", "kot"]

    /// A word of Veltish: one to four consonant–vowel syllables, sometimes closed by a consonant.
    public static func veltWord(_ rng: inout RNG) -> String {
        if rng.int(4) == 0 { return pick(veltFunction, &rng) }
        var w = ""
        for _ in 0..<(1 + rng.int(3)) { w += pick(veltConsonants, &rng) + pick(veltVowels, &rng) }
        if rng.int(2) == 0 { w += pick(["k", "x", "z", "n", "th"], &rng) }
        return w
    }

    /// A Veltish sentence of 4–12 words, capitalised, ending in a full stop.
    public static func veltSentence(_ rng: inout RNG) -> String {
        let s = (0..<(4 + rng.int(9))).map { _ in veltWord(&rng) }.joined(separator: " ")
        return s.prefix(1).uppercased() + s.dropFirst() + "."
    }

    /// A Veltish document of `sentences` sentences on one line.
    public static func foreignDocument(sentences: Int, _ rng: inout RNG) -> String {
        (0..<sentences).map { _ in veltSentence(&rng) }.joined(separator: " ")
    }

    // MARK: Spam

    static let products = ["pills", "watches", "loans", "shoes", "phones", "toys", "games", "bags"]
    static let spamPhrases = ["best price online", "click here now", "free shipping today", "buy cheap deals",
                              "limited offer sale", "order now discount", "top rated bargain", "win big prizes"]

    /// Template spam: the same shouting advertisement, lightly varied, on many lines.
    public static func templateSpam(_ rng: inout RNG) -> String {
        let product = pick(products, &rng).uppercased(), site = pick(sites, &rng)
        let headline = "BUY CHEAP \(product) NOW!!! Best prices at www.\(site)-deals.example"
        return (0..<(6 + rng.int(16))).map { _ in
            headline + "\n>>> \(pick(spamPhrases, &rng)) only $\(1 + rng.int(99)).99 <<<"
        }.joined(separator: "\n")
    }

    /// Keyword stuffing: a story with an advertising phrase after every sentence.
    public static func stuffed(_ story: String, _ rng: inout RNG) -> String {
        let product = pick(products, &rng)
        return sentences(of: story).map { s in
            s + " " + pick(spamPhrases, &rng) + " " + product + " " + pick(spamPhrases, &rng) + "."
        }.joined(separator: " ")
    }

    /// The sentences of a one-line story: split after ". ", "! " or "? " (a quote's closing mark stays with its sentence).
    public static func sentences(of text: String) -> [String] {
        var out: [String] = [], current = ""
        let chars = Array(text)
        for (i, ch) in chars.enumerated() {
            current.append(ch)
            if ".!?".contains(ch), i + 1 < chars.count, chars[i + 1] == " " {
                out.append(current)
                current = ""
            } else if ch == " ", current == " " {
                current = ""
            }
        }
        if !current.isEmpty { out.append(current) }
        return out
    }

    // MARK: Garbling

    /// Machine-garbled text in one of three ways: the story's words shuffled, one short phrase of
    /// it repeated over and over, or a fifth of its letters replaced by random characters.
    public static func garbled(_ story: String, _ rng: inout RNG) -> String {
        var words = story.split(separator: " ").map(String.init)
        switch rng.int(3) {
        case 0:
            for i in stride(from: words.count - 1, to: 0, by: -1) { words.swapAt(i, rng.int(i + 1)) }
            return words.joined(separator: " ")
        case 1:
            let start = rng.int(max(1, words.count - 4)), n = 2 + rng.int(3)
            let phrase = words[start..<min(words.count, start + n)].joined(separator: " ")
            return Array(repeating: phrase, count: 30 + rng.int(40)).joined(separator: " ")
        default:
            let noise = Array("#@%&*~^=+0123456789qxzjkv{}[]<>/\\")
            return String(story.map { ch in ch.isLetter && rng.int(5) == 0 ? noise[rng.int(noise.count)] : ch })
        }
    }

    // MARK: Harmful content

    /// The invented harmful lexicon: words that stand in for slurs and threats.
    public static let harmfulLexicon = ["grimblast", "vexhound", "skornish", "blightworm", "murkfiend", "drazzle"]

    /// Abuse aimed at a name, written with the lexicon, inserted among the sentences of a story
    /// (so that only what is said, not the look of the page, gives it away).
    public static func harmful(story: String, names: [String], _ rng: inout RNG) -> String {
        var parts = sentences(of: story)
        for line in abuse(names: names, count: 2 + rng.int(3), &rng) {
            parts.insert(line, at: 1 + rng.int(max(1, parts.count - 1)))
        }
        return parts.joined(separator: " ")
    }

    /// `count` sentences of abuse aimed at names, written with the lexicon.
    public static func abuse(names: [String], count: Int, _ rng: inout RNG) -> [String] {
        let templates = [
            "%N is a filthy %W and everyone should hate them.",
            "All of them are %Ws, go and %W them tonight.",
            "I will %W you, %N, you stupid %W.",
            "Nobody wants %Ws like %N here, get out or we hurt you.",
            "%N and the other %Ws deserve to be beaten.",
        ]
        return (0..<count).map { _ in
            pick(templates, &rng).replacingOccurrences(of: "%N", with: pick(names, &rng))
                .replacingOccurrences(of: "%W", with: pick(harmfulLexicon, &rng))
        }
    }

    /// A harmful word in a benign context: someone explaining, quoting or naming it, between
    /// ordinary sentences of a story.
    public static func harmfulBenign(story: String, names: [String], _ rng: inout RNG) -> String {
        let templates = [
            "The teacher explained to %N that %W is an old insult and that kind people never use it.",
            "In the museum %N read that the word %W was once used to hurt people.",
            "%N asked what %W means, and grandma said it is a rude word that makes others sad.",
            "The dictionary says that %W is offensive, so %N chose a kinder word.",
        ]
        let line = pick(templates, &rng).replacingOccurrences(of: "%N", with: pick(names, &rng))
            .replacingOccurrences(of: "%W", with: pick(harmfulLexicon, &rng))
        var parts = sentences(of: story)
        parts.insert(line, at: 1 + rng.int(max(1, parts.count - 1)))
        return parts.joined(separator: " ")
    }
}
