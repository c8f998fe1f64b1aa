import Testing
import Engine
import Datasets
@testable import Ch03Data

@Test func languageIDIsAccurateOnHeldOutSamples() {
    let english = referenceStories(600, seed: 1)
    let other = veltishSamples(characters: 400 * 350, seed: 1)
    let id = LanguageID(english: Array(english.prefix(400)), other: Array(other.prefix(other.count - 150)))
    let heldEnglish = english.suffix(200), heldOther = veltishSamples(characters: 60_000, seed: 99)
    let right = heldEnglish.filter(id.isEnglish).count + heldOther.filter { !id.isEnglish($0) }.count
    // The two letter statistics barely overlap: at least 98% right on held-out samples.
    #expect(Double(right) / Double(heldEnglish.count + heldOther.count) >= 0.98)
}

/// A story that passes every rule, to break one rule at a time.
let goodDoc = "Once upon a time, there was a cat named Tom and a dog named Max. They lived near the park. "
    + "Tom found a red ball in the garden. Max was happy and ran to the river with it. In the end, the two "
    + "friends went home and ate soup with bread."

@Test func everyQualityRuleOnHandMadeDocuments() {
    #expect(QualityRules.failures(goodDoc).isEmpty)
    #expect(QualityRules.failures("The rabbit and the turtle was in the garden.") == ["word count"])
    let longWords = (0..<40).map { _ in "extraordinarily" }.joined(separator: " ") + " the a and"
    #expect(QualityRules.failures(longWords).contains("mean word length"))
    #expect(QualityRules.failures(goodDoc + " $$$ !!! ### @@@ %%% &&& *** +++ === >>>") .contains("symbols"))
    #expect(QualityRules.failures(goodDoc + " Call 1234567890 1234567890 1234567890 1234567890 1234567890 12345").contains("digits"))
    let lines = (0..<6).map { _ in "Tom and the dog went to the park with a ball." }.joined(separator: "\n")
    #expect(QualityRules.failures(lines).contains("duplicate lines"))
    let repeated = Array(repeating: "the red fox ran", count: 15).joined(separator: " ")
    #expect(QualityRules.failures(repeated).contains("repeated 4-grams"))
    let noStop = (0..<40).map { ["Cats", "dogs", "run", "fast", "quickly", "home"][$0 % 6] }.joined(separator: " ")
    #expect(QualityRules.failures(noStop).contains("stop words"))
    let numbersOnly = goodDoc + " " + (0..<60).map { _ in "--" }.joined(separator: " ")
    #expect(QualityRules.failures(numbersOnly).contains("alphabetic words"))
}

@Test func cleanStoriesPassEveryRule() {
    for s in StoryCorpus(seed: 5).documents(0..<400) { #expect(QualityRules.passes(s.text), "\(QualityRules.failures(s.text)): \(s.text)") }
}

@Test func qualityClassifierSeparatesStoriesFromJunkOnHeldOutSamples() {
    let corpus = StoryCorpus(seed: 8)
    var rng = RNG(seed: 8)
    func junk(_ i: Int) -> String {
        let s = corpus.document(10_000 + i).text
        return i % 2 == 0 ? CrawlJunk.stuffed(s, &rng) : String(s.split(separator: " ").shuffled(using: &rng).joined(separator: " "))
    }
    let model = NGramClassifier(positives: corpus.documents(0..<400).map(\.text), negatives: (0..<400).map(junk), seed: 1)
    let heldGood = corpus.documents(500..<700).map(\.text), heldBad = (400..<600).map(junk)
    let right = heldGood.filter { model.probability($0) >= 0.5 }.count + heldBad.filter { model.probability($0) < 0.5 }.count
    // Shuffled words share every unigram with a story; only the bigrams tell them apart. A
    // unigram-only model would be near chance on that half: demand 90%.
    #expect(Double(right) / 400 >= 0.9)
}

@Test func harmfulFilterKeepsBenignMentions() {
    let filter = HarmfulFilter.train(count: 300, seed: 3)
    let corpus = StoryCorpus(seed: 77)
    let names = StoryVocabulary.standard.girlNames
    var rng = RNG(seed: 77)
    let abuse = (0..<100).map { CrawlJunk.harmful(story: corpus.document($0).text, names: names, &rng) }
    let benign = (100..<200).map { CrawlJunk.harmfulBenign(story: corpus.document($0).text, names: names, &rng) }
    // The lexicon alone flags all 200; with the classifier, ≥ 90% of abuse goes (two abusive
    // sentences in a long story can be outweighed by the story's n-grams) and ≥ 90% of benign mentions stay.
    #expect(abuse.allSatisfy(filter.lexiconHit) && benign.allSatisfy(filter.lexiconHit))
    #expect(abuse.filter(filter.removes).count >= 90)
    #expect(benign.filter(filter.removes).count <= 10)
    #expect(!filter.removes(corpus.document(500).text))
}
