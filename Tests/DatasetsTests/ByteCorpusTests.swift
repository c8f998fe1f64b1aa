import Datasets
import Testing

/// The split built from prepared texts matches the split the story corpus builds itself.
struct ByteCorpusTests {
    /// Given the very texts `StoryCorpus` writes, the text initialiser must produce the same bytes
    /// and counts as the corpus initialiser (same separator, same order, same sides).
    @Test func textInitialiserMatchesCorpusInitialiser() {
        let corpus = StoryCorpus(seed: 3)
        let direct = ByteCorpus(corpus: corpus, trainDocuments: 5, validationDocuments: 2)
        let texts = corpus.documents(0..<7).map(\.text)
        let prepared = ByteCorpus(trainTexts: Array(texts[0..<5]), validationTexts: Array(texts[5...]))
        #expect(prepared.train == direct.train && prepared.validation == direct.validation)
        #expect(prepared.trainDocuments == 5 && prepared.validationDocuments == 2)
        #expect(prepared.train.count == texts[0..<5].map(\.utf8.count).reduce(0, +) + 4 * 2)
    }
}
