import Testing
import Engine
import Datasets
@testable import Ch03Data

@Test func normalisationUndoesEachKindOfMess() {
    #expect(Extraction.normalise("a\u{00A0}b") == "a b")
    #expect(Extraction.normalise("\u{201C}Hi,\u{201D} she said.") == "\"Hi,\" she said.")
    #expect(Extraction.normalise("it\u{2019}s") == "it's")
    #expect(Extraction.normalise("ca\u{200B}t") == "cat")
    #expect(Extraction.normalise("  two   spaces \t\r") == "two spaces")
    // NFC: "e" + combining acute becomes the single character é (one scalar, U+00E9).
    let composed = Extraction.normalise("cafe\u{0301}")
    #expect(composed.unicodeScalars.map(\.value) == [0x63, 0x61, 0x66, 0xE9])
}

@Test func boilerplateLinesAreRecognised() {
    #expect(Extraction.isBoilerplate("Home | About | Blog | Contact"))
    #expect(Extraction.isBoilerplate("We use cookies to improve your experience. Accept all cookies?"))
    #expect(Extraction.isBoilerplate("Copyright 2020 site.example. All rights reserved."))
    #expect(Extraction.isBoilerplate("Next page"))
    #expect(!Extraction.isBoilerplate("Once upon a time, there was a cat named Tom."))
    #expect(!Extraction.isBoilerplate("Tom smiled."))
    // A furniture word inside a story's long line is content.
    #expect(!Extraction.isBoilerplate("Once upon a time, there was a cat named Tom. \"I like cookies,\" said Tom. He went to the park and ate them all."))
    // A page of nothing but furniture extracts to nothing.
    var rng = RNG(seed: 4)
    for _ in 0..<50 { #expect(Extraction.extract(CrawlJunk.boilerplatePage(&rng)) == "") }
}

@Test func extractionGivesBackThePlantedStoryExactly() {
    let corpus = StoryCorpus(seed: 21)
    var rng = RNG(seed: 21)
    for story in corpus.documents(0..<200) {
        let page = CrawlJunk.wrapped(CrawlJunk.messy(story.text, &rng), &rng)
        #expect(page != story.text)
        #expect(Extraction.extract(page) == story.text)
    }
}
