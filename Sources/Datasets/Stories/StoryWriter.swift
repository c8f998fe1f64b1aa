/// The state of one story while it is being written: its text, cast, and last subject.
struct StoryWriter<C: StoryChooser> {
    let grammar: StoryGrammar
    var choices: ChoiceRecorder<C>
    var text = ""
    var cast: [CastMember] = []
    var home = ""
    /// The subject of the previous sentence: the only thing a pronoun may refer to.
    var previous: Subject?

    var v: StoryVocabulary { grammar.vocabulary }

    init(grammar: StoryGrammar, choices: ChoiceRecorder<C>) {
        self.grammar = grammar
        self.choices = choices
    }

    mutating func writeStory() {
        introduce()
        var body = 0
        while body < grammar.maxBodySentences {
            if body >= grammar.minBodySentences && !choices.coin(4, 5) { break }
            text += " "
            bodySentence()
            body += 1
        }
        text += " "
        closing()
    }

    // MARK: Introduction

    mutating func introduce() {
        let openings = ["Once upon a time, there was ", "Long ago, there lived ", "There once was "]
        text += openings[choices.pick([6, 2, 2])]
        let count = 1 + choices.pick(Array([3, 5, 2].prefix(grammar.maxCharacters)))
        for i in 0..<count {
            if i > 0 { text += i == count - 1 ? " and " : ", " }
            text += newCharacter()
        }
        text += ". "
        let who: Subject = count == 1 ? .one(0) : .all
        text += capitalized(pronoun(who)) + " lived near the "
        home = choices.zipf(v.places)
        text += home + "."
        previous = who
    }

    /// Draws a new character with a name and noun no earlier character has, and describes it.
    mutating func newCharacter() -> String {
        let usedNames = Set(cast.map(\.name)), usedNouns = Set(cast.map(\.noun))
        func free(_ list: [String], _ used: Set<String>) -> [(rank: Int, word: String)] {
            list.enumerated().filter { !used.contains($0.element) }.map { ($0.offset, $0.element) }
        }
        let names = [free(v.girlNames, usedNames), free(v.boyNames, usedNames)]
        let people = [free(v.femalePeople, usedNouns), free(v.malePeople, usedNouns)]
        let animals = free(v.animals.map(\.singular), usedNouns)
        // A gender is open to a person only if both a name and a person noun of it are left.
        let personGenders = [0, 1].filter { !names[$0].isEmpty && !people[$0].isEmpty }
        let animalGenders = [0, 1].filter { !names[$0].isEmpty }
        var kinds: [(weight: Int, person: Bool)] = []
        if !personGenders.isEmpty { kinds.append((2, true)) }
        if !animals.isEmpty && !animalGenders.isEmpty { kinds.append((3, false)) }
        let person = kinds[choices.pick(kinds.map(\.weight))].person

        let genders = person ? personGenders : animalGenders
        let g = genders[choices.pick(genders.map { _ in 1 })]
        let noun = pickRanked(person ? people[g] : animals)
        var words: [String] = []
        if choices.coin(1, person ? 3 : 4) { words.append(choices.zipf(v.sizes)) }
        var colour: String?
        if !person && choices.coin(1, 2) {
            colour = choices.zipf(v.colours)
            words.append(colour!)
        }
        words.append(noun)
        let name = pickRanked(names[g])
        cast.append(CastMember(name: name, female: g == 0, noun: noun, colour: colour))
        let phrase = words.joined(separator: " ")
        return article(phrase) + " " + phrase + " named " + name
    }

    /// Picks from a filtered list, keeping each word's Zipf weight from its rank in the full list.
    mutating func pickRanked(_ options: [(rank: Int, word: String)]) -> String {
        let full = zipfWeights(options.map(\.rank).max()! + 1)
        return options[choices.pick(options.map { full[$0.rank] })].word
    }

    // MARK: Body

    mutating func bodySentence() {
        var templates: [(weight: Int, kind: Int)] = [(4, 0), (5, 1), (3, 2), (3, 3), (5, 4), (1, 5), (1, 7)]
        if cast.count >= 2 { templates.append((2, 6)) }
        let kind = templates[choices.pick(templates.map(\.weight))].kind
        if kind == 4 {
            dialogue()
            return
        }
        let opener = choices.pick([8, 3, 2, 2, 3])
        let start: Bool
        switch opener {
        case 0: start = true
        case 1: text += "Then, "; start = false
        case 2: text += "Later, "; start = false
        case 3: text += "After that, "; start = false
        default: text += "One " + choices.zipf(v.times) + ", "; start = false
        }
        switch kind {
        case 0:  // feeling, perhaps with a reason
            let s = subject(allowGroup: true, start: start)
            text += " " + (s.isPlural ? "were" : "was") + (choices.coin(1, 4) ? " very " : " ")
                + choices.zipf(v.feelings)
            if choices.coin(1, 3) {
                text += " because " + pronoun(s) + " " + choices.zipf(v.transitiveVerbs) + " "
                    + possessive(s) + " " + objectWords(plural: false)
            }
        case 1:  // doing something to a counted object
            _ = subject(allowGroup: true, start: start)
            text += " " + choices.zipf(v.transitiveVerbs) + " " + countedNoun(v.objects, colour: true)
            if choices.coin(1, 3) { text += " in the " + choices.zipf(v.places) }
        case 2:  // going somewhere, or back home
            _ = subject(allowGroup: true, start: start)
            text += " " + choices.zipf(v.motionVerbs)
            text += choices.coin(1, 4) ? " back to the " + home : " to the " + choices.zipf(v.places)
        case 3:  // doing something alone
            _ = subject(allowGroup: true, start: start)
            text += " " + choices.zipf(v.intransitiveVerbs)
            if choices.coin(1, 2) { text += " " + choices.zipf(v.manners) }
            if choices.coin(1, 3) { text += " in the " + choices.zipf(v.places) }
        case 5:  // weather: no subject, so the previous subject stays the pronoun's referent
            text += (start ? "It was " : "it was ")
            let w = choices.zipf(v.weathers)
            text += article(w) + " " + w + " " + choices.zipf(v.times)
        case 6:  // giving to another character
            let s = subject(allowGroup: false, start: start)
            guard case .one(let giver) = s else { fatalError("unreachable: giving needs one giver") }
            text += " gave " + reference(toOtherThan: giver) + " "
            let o = objectWords(plural: false)
            text += article(o) + " " + o
        default:  // age
            _ = subject(allowGroup: false, start: start)
            let n = choices.pick(zipfWeights(v.numbers.count))
            text += " was " + v.numbers[n] + (n == 0 ? " year old" : " years old")
        }
        text += "."
    }

    mutating func dialogue() {
        let speaker = speakerTag()
        var kinds: [(weight: Int, kind: Int)] = [(3, 0), (3, 1), (2, 2), (2, 3), (2, 4), (2, 5), (1, 7)]
        if cast.count >= 2 { kinds.append((1, 6)) }
        let kind = kinds[choices.pick(kinds.map(\.weight))].kind
        var said = ","
        var line: String
        switch kind {
        case 0: line = "I am " + choices.zipf(v.feelings)
        case 1:
            line = "I like " + choices.zipf(v.foods)
            if choices.coin(1, 3) { line += " and " + choices.zipf(v.foods) }
        case 2: line = "Look, " + countedNoun(v.animals, colour: false); said = "!"
        case 3:
            let plural = choices.coin(1, 3)
            line = (plural ? "Where are my " : "Where is my ") + objectWords(plural: plural)
            said = "?"
        case 4:
            let plural = choices.coin(1, 2)
            let a = choices.zipf(v.animals)
            line = plural ? "The " + a.plural + " like " : "The " + a.singular + " likes "
            line += choices.zipf(v.foods)
        case 5: line = "Let's go to the " + choices.zipf(v.places); said = "!"
        case 6:
            let others = cast.indices.filter { $0 != speaker.who }
            line = "Come with me, " + cast[others[choices.pick(others.map { _ in 1 })]].name
            said = "!"
        default: line = "Can we play with the " + objectWords(plural: false); said = "?"
        }
        let verb = said == "?" ? "asked" : "said"
        text += "\"" + line + said + "\" " + (speaker.pronoun ? speaker.text + " " + verb : verb + " " + speaker.text) + "."
        previous = .one(speaker.who)
    }

    /// Who speaks, and how the tag names them: "said Lily", "said the fox" or "she said".
    mutating func speakerTag() -> (who: Int, text: String, pronoun: Bool) {
        var options: [(weight: Int, who: Int, text: String, pronoun: Bool)] = []
        if case .one(let p) = previous { options.append((2, p, pronoun(.one(p)), true)) }
        for (i, c) in cast.enumerated() {
            options.append((3, i, c.name, false))
            options.append((1, i, "the " + c.noun, false))
        }
        let o = options[choices.pick(options.map(\.weight))]
        return (o.who, o.text, o.pronoun)
    }

    // MARK: Closing

    mutating func closing() {
        var kinds: [(weight: Int, kind: Int)] = [(3, 0), (2, 1), (1, 3)]
        if cast.count >= 2 { kinds.append((2, 2)) }
        switch kinds[choices.pick(kinds.map(\.weight))].kind {
        case 0:
            text += "In the end, "
            let s = subject(allowGroup: true, start: false)
            text += " " + (s.isPlural ? "were" : "was") + " " + choices.zipf(v.feelings) + "."
        case 1:
            text += "From that day on, "
            _ = subject(allowGroup: true, start: false)
            text += " loved the " + home + "."
        case 2:
            text += "From that day on, " + groupNames() + " were best friends."
        default:
            text += "And so, "
            _ = subject(allowGroup: true, start: false)
            text += " went back to the " + home + " and slept."
        }
    }

    // MARK: Phrases

    /// Chooses and writes a sentence's subject: the previous subject as a pronoun, a character by
    /// name or description, or (if allowed) everyone by name. Sets `previous`.
    mutating func subject(allowGroup: Bool, start: Bool) -> Subject {
        var options: [(weight: Int, subject: Subject, text: String)] = []
        if let p = previous, allowGroup || !p.isPlural { options.append((5, p, pronoun(p))) }
        for (i, c) in cast.enumerated() {
            options.append((4, .one(i), c.name))
            options.append((1, .one(i), "the " + c.noun))
            if let colour = c.colour { options.append((1, .one(i), "the " + colour + " " + c.noun)) }
        }
        if allowGroup && cast.count >= 2 { options.append((2, .all, groupNames())) }
        let o = options[choices.pick(options.map(\.weight))]
        text += start ? capitalized(o.text) : o.text
        previous = o.subject
        return o.subject
    }

    /// Another character than `giver`, by name or description.
    mutating func reference(toOtherThan giver: Int) -> String {
        var options: [(weight: Int, text: String)] = []
        for (i, c) in cast.enumerated() where i != giver {
            options.append((3, c.name))
            options.append((1, "the " + c.noun))
        }
        return options[choices.pick(options.map(\.weight))].text
    }

    /// "a red ball", "an owl", "three blue boxes": the counting word agrees with the noun.
    mutating func countedNoun(_ nouns: [Noun], colour: Bool) -> String {
        let n = choices.pick(zipfWeights(v.numbers.count))
        var words: [String] = []
        if colour && choices.coin(1, 3) { words.append(choices.zipf(v.qualities)) }
        if colour && choices.coin(1, 2) { words.append(choices.zipf(v.colours)) }
        let noun = choices.zipf(nouns)
        words.append(n == 0 ? noun.singular : noun.plural)
        let phrase = words.joined(separator: " ")
        return (n == 0 ? article(phrase) : v.numbers[n]) + " " + phrase
    }

    /// An object, perhaps with a colour, without an article.
    mutating func objectWords(plural: Bool) -> String {
        var words: [String] = []
        if choices.coin(1, 3) { words.append(choices.zipf(v.qualities)) }
        if choices.coin(1, 2) { words.append(choices.zipf(v.colours)) }
        let o = choices.zipf(v.objects)
        words.append(plural ? o.plural : o.singular)
        return words.joined(separator: " ")
    }

    func groupNames() -> String {
        let names = cast.map(\.name)
        return names.dropLast().joined(separator: ", ") + " and " + names.last!
    }

    func pronoun(_ s: Subject) -> String {
        switch s {
        case .all: return "they"
        case .one(let i): return cast[i].female ? "she" : "he"
        }
    }

    func possessive(_ s: Subject) -> String {
        switch s {
        case .all: return "their"
        case .one(let i): return cast[i].female ? "her" : "his"
        }
    }
}

/// "an" before a vowel letter, "a" otherwise (the vocabulary has no "unicorn" or "hour").
func article(_ phrase: String) -> String {
    guard let first = phrase.first else { return "a" }
    return "aeiou".contains(first) ? "an" : "a"
}

/// The phrase with its first letter upper-cased, for the start of a sentence.
func capitalized(_ s: String) -> String {
    guard let first = s.first else { return s }
    return first.uppercased() + s.dropFirst()
}
