import Foundation
import Testing
import Engine
@testable import Datasets

/// A vocabulary with one or two words per category: small enough to enumerate every story, yet
/// with vowel-initial words ("owl", "odd", "egg", "icy") so both articles occur.
let tinyVocabulary = StoryVocabulary(
    girlNames: ["Ann"], boyNames: ["Bob"], femalePeople: ["girl"], malePeople: ["boy"],
    animals: [Noun("cat"), Noun("owl")], colours: ["red"], sizes: ["big"], qualities: ["odd"],
    feelings: ["glad"], foods: ["jam"], objects: [Noun("egg")], places: ["park"],
    transitiveVerbs: ["found"], intransitiveVerbs: ["sang"], motionVerbs: ["went"],
    manners: ["softly"], weathers: ["icy"], times: ["day"], numbers: ["one", "two"])

/// Visits every story whose choices start with `root` (all stories if `root` is empty).
/// Returns how many there are, how many texts repeat, and Σ p(story | root).
func enumerateStories(_ grammar: StoryGrammar, root: [Int] = [], rootLogProb: Double = 0)
    -> (count: Int, duplicates: Int, totalProbability: Double)
{
    var seen = Set<String>()
    var count = 0, duplicates = 0
    var total = 0.0
    var prefix: [Int]? = root
    while let p = prefix, Array(p.prefix(root.count)) == root {
        let (story, chooser) = grammar.write(using: ReplayChooser(prefix: p))
        count += 1
        if !seen.insert(story.text).inserted { duplicates += 1 }
        total += exp(story.logProb - rootLogProb)
        prefix = chooser.nextPrefix()
    }
    return (count, duplicates, total)
}

/// The choices (and their log-probability) that write the introduction and then `sentences`
/// body sentences when replaying `prefix`.
func introChoices(_ grammar: StoryGrammar, replaying prefix: [Int], sentences: Int = 0)
    -> (choices: [Int], logProb: Double, text: String)
{
    introChoices(grammar, chooser: ReplayChooser(prefix: prefix), sentences: sentences)
}

/// The same with random choices: the prefix that `rng` happens to draw.
func introChoices(_ grammar: StoryGrammar, sampling rng: RNG, sentences: Int)
    -> (choices: [Int], logProb: Double, text: String)
{
    var c = ReplayChooser(prefix: [])
    c.sampler = SamplingChooser(rng: rng)
    return introChoices(grammar, chooser: c, sentences: sentences)
}

func introChoices(_ grammar: StoryGrammar, chooser: ReplayChooser, sentences: Int)
    -> (choices: [Int], logProb: Double, text: String)
{
    var writer = StoryWriter(grammar: grammar, choices: ChoiceRecorder(chooser: chooser))
    writer.introduce()
    for _ in 0..<sentences {
        writer.text += " "
        writer.bodySentence()
    }
    let trail = writer.choices.chooser.trail
    return (trail.map(\.choice), trail.map(\.logProb).reduce(0, +), writer.text)
}

@Suite struct StoryCorpusTests {
    @Test func sameSeedSameTextDifferentSeedDifferentText() {
        let a = StoryCorpus(seed: 42), b = StoryCorpus(seed: 42), c = StoryCorpus(seed: 43)
        #expect(a.text(documents: 50) == b.text(documents: 50))
        #expect(a.text(documents: 50) != c.text(documents: 50))
        // A document does not depend on which others were generated, or in what batch.
        let batch = a.documents(10..<20)
        for (k, story) in batch.enumerated() { #expect(story == a.document(10 + k)) }
        #expect(a.document(3) != a.document(4))
    }

    @Test func textJoinsDocumentsWithTheSeparator() {
        let corpus = StoryCorpus(seed: 5)
        let parts = corpus.text(documents: 3).components(separatedBy: StoryCorpus.separator)
        #expect(parts == corpus.documents(0..<3).map(\.text))
        // The separator is free only because no story contains it.
        for s in corpus.documents(0..<300) { #expect(!s.text.contains("\n")) }
    }

    /// Intro and closing only, every cast of one or two characters: each distinct choice sequence
    /// must give a distinct text, and the probabilities must add up to one.
    @Test func everyShortStoryIsDistinctAndProbabilitiesSumToOne() {
        let grammar = StoryGrammar(vocabulary: tinyVocabulary, maxCharacters: 2,
                                   minBodySentences: 0, maxBodySentences: 0)
        let r = enumerateStories(grammar)
        #expect(r.count > 1000)
        #expect(r.duplicates == 0)
        #expect(abs(r.totalProbability - 1) < 1e-9)
    }

    /// Every story with at most one body sentence after two fixed introductions (one with two
    /// characters, so group subjects, giving and "Come with me" all occur). The conditional
    /// probabilities given the introduction must add up to one.
    @Test(arguments: [[0, 1, 1, 1, 0, 1, 1, 1, 1, 0], [1, 0, 0, 0, 0, 1, 0]])
    func everyOneSentenceContinuationIsDistinct(introPrefix: [Int]) {
        let grammar = StoryGrammar(vocabulary: tinyVocabulary, maxCharacters: 2,
                                   minBodySentences: 0, maxBodySentences: 1)
        let intro = introChoices(grammar, replaying: introPrefix)
        let r = enumerateStories(grammar, root: intro.choices, rootLogProb: intro.logProb)
        #expect(r.count > 500, "intro: \(intro.text)")
        #expect(r.duplicates == 0)
        #expect(abs(r.totalProbability - 1) < 1e-9)
    }

    /// The same check one sentence later, where a pronoun refers back to the first body
    /// sentence's subject (here a group, then one character of two).
    @Test(arguments: ["Ann and Bob ", "\" said "])
    func everyContinuationOfTheSecondSentenceIsDistinct(firstSentenceContains marker: String) {
        let grammar = StoryGrammar(vocabulary: tinyVocabulary, maxCharacters: 2,
                                   minBodySentences: 1, maxBodySentences: 2)
        // Sample starts until one has two characters and a first body sentence with the marker.
        var intro = introChoices(grammar, sampling: RNG(seed: 0), sentences: 1)
        for seed in 1..<10_000 where !(intro.text.hasSuffix(".") && intro.text.split(separator: ".").last!.contains(marker)
                                        && intro.text.contains(" and ")) {
            intro = introChoices(grammar, sampling: RNG(seed: UInt64(seed)), sentences: 1)
        }
        #expect(intro.text.split(separator: ".").last!.contains(marker))
        let r = enumerateStories(grammar, root: intro.choices, rootLogProb: intro.logProb)
        #expect(r.count > 500, "start: \(intro.text)")
        #expect(r.duplicates == 0)
        #expect(abs(r.totalProbability - 1) < 1e-9)
    }

    /// Part of "the text determines the choices": no word form is in two categories.
    @Test func noWordBelongsToTwoCategories() {
        var owner: [String: String] = [:]
        for (category, words) in StoryVocabulary.standard.categories.sorted(by: { $0.key < $1.key }) {
            for w in words {
                #expect(owner[w] == nil, "\(w) is in \(owner[w] ?? "") and \(category)")
                owner[w] = category
            }
        }
        for n in StoryVocabulary.standard.animals + StoryVocabulary.standard.objects {
            #expect(n.singular != n.plural)
        }
        #expect(StoryCorpus.categories["animals"]?.contains("fox") == true)
    }

    @Test func logProbabilityMatchesBitsAndIsNegative() {
        for s in StoryCorpus(seed: 9).documents(0..<100) {
            #expect(s.logProb < 0)
            #expect(abs(s.bits - (-s.logProb / log(2.0))) < 1e-9)
            #expect(!s.characters.isEmpty && s.characters.count <= 3)
            for name in s.characters { #expect(s.text.contains(name)) }
        }
    }

    /// The rate measured while designing the corpus was 0.456 ± 0.0003 bits/char (20,000
    /// documents); 2,000 documents give a standard error near 0.001, so ±0.02 around it is
    /// 20 standard errors and still catches a change of the grammar's weights.
    @Test func entropyRateIsInTheDesignedRange() {
        let r = StoryCorpus(seed: 2024).entropyRate(documents: 2000)
        #expect(abs(r.bitsPerCharacter - 0.456) < 0.02)
        #expect(r.bitsPerByte == r.bitsPerCharacter)  // the corpus is ASCII
        #expect(r.standardErrorPerCharacter > 0 && r.standardErrorPerCharacter < 0.003)
    }

    @Test func textIsASCII() {
        for s in StoryCorpus(seed: 11).documents(0..<200) {
            #expect(s.text.utf8.allSatisfy { $0 >= 0x20 && $0 < 0x7F })
        }
    }

    /// "a" before a consonant, "an" before a vowel, everywhere.
    @Test func articlesAgreeWithTheNextWord() {
        var checked = 0
        for s in StoryCorpus(seed: 12).documents(0..<300) {
            let words = s.text.split(whereSeparator: { !$0.isLetter && $0 != "'" }).map(String.init)
            for (k, w) in words.enumerated() where (w == "a" || w == "an") && k + 1 < words.count {
                let vowel = "aeiou".contains(words[k + 1].first!)
                #expect((w == "an") == vowel, "\(w) \(words[k + 1]) in: \(s.text)")
                checked += 1
            }
        }
        #expect(checked > 500)
    }

    /// Subjects agree with "was"/"were" and "likes"/"like"; counting words agree with nouns.
    @Test func numberAgreementHolds() {
        let v = StoryVocabulary.standard
        let singular = Set(v.animals.map(\.singular) + v.objects.map(\.singular))
        let plural = Set(v.animals.map(\.plural) + v.objects.map(\.plural))
        let counts = Set(v.numbers.dropFirst())
        var checked = 0
        for s in StoryCorpus(seed: 13).documents(0..<400) {
            let words = s.text.split(whereSeparator: { !$0.isLetter }).map(String.init)
            for k in 1..<words.count {
                let w = words[k], prev = words[k - 1]
                if w == "were" {  // plural subject: they, or a list of names ending "... and Name"
                    #expect(prev == "they" || prev == "They" || (k >= 3 && words[k - 2] == "and"), "\(s.text)")
                    checked += 1
                }
                if w == "was" && k >= 2 {
                    #expect(prev != "they" && prev != "They" && words[k - 2] != "and" || prev == "It" || prev == "it", "\(s.text)")
                }
                if w == "likes" { #expect(singular.contains(prev)); checked += 1 }
                if w == "like" && prev != "I" { #expect(plural.contains(prev)); checked += 1 }
                if counts.contains(prev) && w != "years" {
                    // "two shiny red balls": the noun, after at most two adjectives, is plural
                    let phrase = words[k..<min(k + 3, words.count)]
                    if let noun = phrase.first(where: { singular.contains($0) || plural.contains($0) }) {
                        let isPlural = plural.contains(noun)
                        #expect(isPlural, "\(prev) ... \(noun)")
                        checked += 1
                    }
                }
                if w == "years" { #expect(counts.contains(prev)) }
                if w == "year" { #expect(prev == "one") }
            }
        }
        #expect(checked > 300)
    }

    /// A pronoun subject is "she" exactly when the previous sentence's subject is female; checked
    /// on the sentence right after the introduction, whose subject is the only character.
    @Test func pronounsFollowTheCharactersGender() {
        let girls = Set(StoryVocabulary.standard.girlNames)
        for s in StoryCorpus(seed: 14).documents(0..<300) where s.characters.count == 1 {
            let second = s.text.components(separatedBy: ". ")[1]
            let expected = girls.contains(s.characters[0]) ? "She lived" : "He lived"
            #expect(second.hasPrefix(expected))
        }
    }
}
