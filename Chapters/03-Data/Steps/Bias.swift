import Datasets

/// Stage 6: bias. The pool's stories carry the sentence "Their neighbour, a woman named NAME, was
/// a ROLE." (or "a man named"), with women mostly in some roles and men in others. This step
/// finds those sentences in the text, measures the skew, and rebalances by counterfactual swaps.
public enum RoleBias {
    /// Every role sentence in `text`: the name, whether it is "a woman", and the role.
    public static func mentions(_ text: String) -> [RoleMention] {
        var out: [RoleMention] = []
        var rest = Substring(text)
        while let r = rest.range(of: RoleMention.opening) {
            rest = rest[r.upperBound...]
            // "woman named Lily, was a nurse."
            let words = rest.prefix(80).split(separator: " ")
            guard words.count >= 6, words[0] == "woman" || words[0] == "man", words[1] == "named",
                  words[2].hasSuffix(","), words[3] == "was", words[4] == "a" else { continue }
            let role = String(words[5].filter(\.isLetter))
            guard !role.isEmpty else { continue }
            out.append(RoleMention(name: String(words[2].dropLast()), girlName: words[0] == "woman", role: role))
        }
        return out
    }

    /// Whether a mention follows the pool's stereotype.
    public static func stereotyped(_ m: RoleMention) -> Bool {
        m.girlName ? CrawlMix.girlRoles.contains(m.role) : CrawlMix.boyRoles.contains(m.role)
    }

    /// The share of mentions that follow the stereotype: 0.5 means no skew, 1 a complete one.
    public static func stereotypeShare(_ mentions: [RoleMention]) -> Double {
        mentions.isEmpty ? 0 : Double(mentions.filter(stereotyped).count) / Double(mentions.count)
    }

    /// The share of women's mentions with a women's role (nurse, baker, teacher) and of men's
    /// mentions with a men's role: the two halves of `stereotypeShare`, comparable with a model's.
    public static func groupShares(_ mentions: [RoleMention]) -> (women: Double, men: Double) {
        let w = mentions.filter(\.girlName), m = mentions.filter { !$0.girlName }
        return (w.isEmpty ? 0 : Double(w.filter(stereotyped).count) / Double(w.count),
                m.isEmpty ? 0 : Double(m.filter(stereotyped).count) / Double(m.count))
    }

    /// Counterfactual rebalancing: for each role, turns "a woman named X" into "a man named Y"
    /// (or the reverse) in just enough documents (the first ones, in order) that women and men
    /// appear equally often in it. Only that sentence changes, so nothing elsewhere in the story
    /// is contradicted. Returns the new texts and the number of swaps.
    public static func rebalance(_ texts: [String]) -> (texts: [String], swaps: Int) {
        let vocab = StoryVocabulary.standard
        var out = texts, swaps = 0
        let found = texts.map { mentions($0).first }
        for role in CrawlMix.girlRoles + CrawlMix.boyRoles {
            let women = found.indices.filter { found[$0]?.role == role && found[$0]!.girlName }
            let men = found.indices.filter { found[$0]?.role == role && !found[$0]!.girlName }
            let (major, toWomen) = women.count > men.count ? (women, false) : (men, true)
            let excess = abs(women.count - men.count) / 2
            for (k, i) in major.prefix(excess).enumerated() {
                let old = found[i]!
                let list = toWomen ? vocab.girlNames : vocab.boyNames
                let new = RoleMention(name: list[(k * 7 + old.name.count) % list.count], girlName: toWomen, role: role)
                out[i] = out[i].replacingOccurrences(of: old.sentence, with: new.sentence)
                swaps += 1
            }
        }
        return (out, swaps)
    }
}
