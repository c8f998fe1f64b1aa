import Datasets
import Testing
@testable import Ch01Tokens

@Suite struct TokenizerStepsTests {
    /// Bytes per token rises with every step of vocabulary size up to the closed vocabulary, and
    /// is exactly 1 for the 256 bytes alone.
    @Test func compressionIncreasesWithVocabularySize() {
        let data = TokenizerData(corpus: StoryCorpus(seed: 1), trainDocuments: 200, heldOutDocuments: 40)
        let sweep = compressionSweep(data, sizes: [256, 300, 400, 600, 1000, 100_000])
        #expect(sweep[0].bytesPerToken == 1)
        for k in 1..<sweep.count {
            #expect(sweep[k].bytesPerToken > sweep[k - 1].bytesPerToken,
                    "vocab \(sweep[k].vocab): \(sweep[k].bytesPerToken) ≤ \(sweep[k - 1].bytesPerToken)")
        }
        #expect(sweep.last!.vocab < 100_000)  // the corpus's vocabulary closes
    }

    @Test func mergeRowsSpellTheMerges() {
        let t = BPETokenizer.train(text: "aaab aaab aaab", vocabSize: 260)
        let rows = mergeRows(t, count: 2)
        for row in rows {
            #expect(row.result == row.left + row.right)
            #expect(t.tokenString(row.id) == row.result)
        }
    }

    @Test func charactersScalarsAndBytes() {
        // e + combining acute (2 scalars, 3 bytes), 東 (3 bytes), 👋🏽 (2 scalars, 8 bytes).
        let text = "e\u{301}\u{6771}\u{1F44B}\u{1F3FD}"
        #expect(textCounts(text) == TextCounts(characters: 3, scalars: 5, bytes: 14))
        let units = characterUnits(text)
        #expect(units.map(\.bytes.count) == [3, 3, 8])
        #expect(units[0].scalarCodes == "U+0065 U+0301")
        #expect(units[1].byteCodes == "E6 9D B1")
    }
}
