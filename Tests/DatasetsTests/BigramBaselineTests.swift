import Foundation
import Testing
@testable import Datasets

@Suite struct BigramBaselineTests {
    /// "abab": bigrams a→b twice, b→a once. With α = 1 over 256 bytes,
    /// p(b | a) = (2 + 1) / (2 + 256) and p(a) = (2 + 1) / (4 + 256).
    @Test func smoothedProbabilitiesByHand() {
        var m = BigramBaseline(alpha: 1)
        m.fit(bytes: Array("abab".utf8))
        #expect(abs(m.bigramProbability(UInt8(ascii: "b"), after: UInt8(ascii: "a")) - 3.0 / 258) < 1e-15)
        #expect(abs(m.bigramProbability(UInt8(ascii: "a"), after: UInt8(ascii: "b")) - 2.0 / 257) < 1e-15)
        #expect(abs(m.unigramProbability(UInt8(ascii: "a")) - 3.0 / 260) < 1e-15)
        // Cross-entropy of "ab": -(log2 p(a) + log2 p(b | a)) / 2.
        let expected = -(log2(3.0 / 260) + log2(3.0 / 258)) / 2
        #expect(abs(m.crossEntropyBits(bytes: Array("ab".utf8)) - expected) < 1e-12)
    }

    @Test func untrainedModelIsUniform() {
        let m = BigramBaseline()
        #expect(abs(m.crossEntropyBits(bytes: Array("anything".utf8)) - 8) < 1e-12)
        #expect(abs(m.unigramCrossEntropyBits(bytes: [0, 255]) - 8) < 1e-12)
    }

    /// On held-out stories the bigram model is far above the corpus's true entropy rate
    /// (about 0.46 bits/char): it sits near 3.2 bits/byte, and the unigram model near 4.5.
    @Test func bigramIsFarFromTheEntropyRate() {
        var m = BigramBaseline()
        m.fit(bytes: Array(StoryCorpus(seed: 1).text(documents: 1000).utf8))
        let heldOut = Array(StoryCorpus(seed: 2).text(documents: 300).utf8)
        let bigram = m.crossEntropyBits(bytes: heldOut), unigram = m.unigramCrossEntropyBits(bytes: heldOut)
        #expect(bigram > 2.8 && bigram < 3.6)
        #expect(unigram > 4.0 && unigram < 5.0)
        #expect(bigram > 5 * StoryCorpus(seed: 2).entropyRate(documents: 300).bitsPerByte)
    }
}
