import Foundation
import Testing
import Engine
@testable import Datasets

/// Where the committed fixtures live (located from this file, so no resource bundle is needed).
let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

@Suite struct BPETokenizerTests {
    /// Corpus "low lower lowest newer wider" → pieces "low", " lower", " lowest", " newer", " wider".
    /// Pair counts: l-o 3, o-w 3, w-e 3, e-r 3, ␣-l 2, the rest 1.
    /// 1. Tie at 3, smallest left id: e (101) < l (108) < o < w, so (e, r) → "er" = 256.
    /// 2. Now l-o 3, o-w 3 ("w e" is left only in " lowest"): (l, o) → "lo" = 257.
    /// 3. (lo, w) has 3 → "low" = 258.
    /// 4. " lower" is now [␣, low, er], so w-er is left only in " newer" (1); (␣, low) has 2
    ///    → " low" = 259.
    /// 5. All remaining pairs occur once; smallest left id is the space (32), with right ids n (110)
    ///    and w (119): (␣, n) → " n" = 260. The vocabulary has 261 tokens: stop.
    @Test func classicExampleGivesHandDerivedMergesAndIDs() {
        let tok = BPETokenizer.train(text: "low lower lowest newer wider", vocabSize: 261)
        #expect(tok.merges.map { [$0.0, $0.1] } == [[101, 114], [108, 111], [257, 119], [32, 258], [32, 110]])
        #expect(tok.vocabSize == 261)
        #expect(tok.tokenString(259) == "·low")
        // "lower": e+r first (rank 0), then l+o, lo+w; "low"+"er" has no merge.
        // " lowest": " low" then e, s, t.  " newer": er, then " n"; "e w" has no merge.
        #expect(tok.encode("lower lowest newer") == [258, 256, 259, 101, 115, 116, 260, 101, 119, 256])
    }

    /// A tokenizer from an explicit merge list over the 256 single bytes, so a test pins the
    /// encoding rule itself rather than what training happened to learn.
    private func handMade(_ merges: [(String, String)]) -> BPETokenizer {
        var tokens = (0...255).map { [UInt8($0)] }
        for (a, b) in merges where !tokens.contains(Array((a + b).utf8)) {
            tokens.append(Array((a + b).utf8))
        }
        let id = { (s: String) in tokens.firstIndex(of: Array(s.utf8))! }
        return BPETokenizer(tokenBytes: tokens, merges: merges.map { (id($0.0), id($0.1)) })
    }

    /// With the one merge (a, a), "aaa" holds the pair twice, overlapping. Hugging Face
    /// `tokenizers` joins the leftmost occurrence first, giving [aa, a]; joining the rightmost
    /// would give [a, aa], which decodes to the same text, so no round trip can tell them apart.
    @Test func equalRankMergesApplyLeftmostFirst() {
        let tok = handMade([("a", "a")])
        let aa = 256, a = 97
        #expect(tok.encode("aaa") == [aa, a])
        #expect(tok.encode("aaaaa") == [aa, aa, a])
        // Lower rank beats position: with (b, c) ranked before (a, b), "abc" is [a, bc] although
        // the (a, b) pair stands further left.
        let ranked = handMade([("b", "c"), ("a", "b")])
        #expect(ranked.encode("abc") == [97, 256])
        #expect(ranked.encode("abab") == [257, 257])
    }

    /// A pair listed twice takes the rank of its last listing. Hugging Face `tokenizers` 0.23
    /// (models.BPE with vocab {a, b, c, ab, bc}) gives [a, bc] for "abc" with the merges
    /// (a, b), (b, c), (a, b), and [ab, c] with (b, c), (a, b), (b, c).
    @Test func aRepeatedMergeTakesItsLastRank() {
        // New tokens take ids from 256 in order of first listing: "ab" 256, "bc" 257 here…
        #expect(handMade([("a", "b"), ("b", "c"), ("a", "b")]).encode("abc") == [97, 257])
        // …and "bc" 256, "ab" 257 here.
        #expect(handMade([("b", "c"), ("a", "b"), ("b", "c")]).encode("abc") == [257, 99])
    }

    @Test func decodeInvertsEncodeOnRandomBytes() {
        let tok = BPETokenizer.train(text: StoryCorpus(seed: 3).text(documents: 100), vocabSize: 400)
        var rng = RNG(seed: 17)
        for _ in 0..<200 {
            // Mix story-like ASCII with arbitrary bytes so merges fire and invalid UTF-8 occurs.
            let bytes = (0..<rng.int(60)).map { _ in
                rng.int(3) == 0 ? UInt8(rng.int(256)) : Array(" the cat was happy.\n".utf8)[rng.int(20)]
            }
            #expect(tok.decodeBytes(tok.encode(bytes: bytes)) == bytes)
        }
    }

    @Test func decodeInvertsEncodeOnUnicode() {
        let tok = BPETokenizer.train(text: StoryCorpus(seed: 3).text(documents: 100), vocabSize: 400)
        var rng = RNG(seed: 18)
        let ranges: [ClosedRange<UInt32>] = [0x20...0x7E, 0xA0...0x24F, 0x370...0x3FF, 0x3040...0x30FF,
                                              0x4E00...0x4FFF, 0x1F300...0x1F64F, 0x0...0x20]
        for _ in 0..<200 {
            var s = String.UnicodeScalarView()
            for _ in 0..<rng.int(40) {
                let r = ranges[rng.int(ranges.count)]
                s.append(Unicode.Scalar(r.lowerBound + UInt32(rng.int(Int(r.upperBound - r.lowerBound) + 1)))!)
            }
            let text = String(s)
            #expect(tok.decode(tok.encode(text)) == text)
        }
    }

    @Test func trainingIsDeterministicAndCompresses() {
        let text = StoryCorpus(seed: 4).text(documents: 200)
        let a = BPETokenizer.train(text: text, vocabSize: 500), b = BPETokenizer.train(text: text, vocabSize: 500)
        #expect(a.huggingFaceJSON() == b.huggingFaceJSON())
        #expect(a.vocabSize == 500)
        // Frequent words become single tokens: 244 merges give about 2.5 bytes per token
        // (bytes alone would give exactly 1).
        #expect(Double(text.utf8.count) / Double(a.encode(text).count) > 2)
    }

    /// The ids Hugging Face `tokenizers` produced (make_fixture_ids.py) for the committed
    /// tokenizer and sample, which mixes stories with whitespace runs, contractions, digits,
    /// combining marks, CJK and emoji.
    @Test func matchesHuggingFaceOnTheFixture() throws {
        let tok = try BPETokenizer.load(path: fixtures.appendingPathComponent("tokenizer-300.json").path)
        let text = try TextFile.load(path: fixtures.appendingPathComponent("sample.txt").path)
        let expected = try String(contentsOf: fixtures.appendingPathComponent("sample-ids.txt"), encoding: .utf8)
            .split(whereSeparator: \.isWhitespace).map { Int($0)! }
        #expect(tok.vocabSize == 300)
        #expect(tok.encode(text) == expected)
        #expect(tok.decode(expected) == text)
    }

    @Test func savedFileLoadsBackToTheSameTokenizer() throws {
        let tok = BPETokenizer.train(text: StoryCorpus(seed: 5).text(documents: 50) + " café 日本", vocabSize: 320)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("bpe-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("tokenizer.json").path
        try tok.save(path: path)
        try tok.save(path: path)  // overwriting works and leaves no temporary file
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["tokenizer.json"])
        let back = try BPETokenizer.load(path: path)
        #expect(back.huggingFaceJSON() == tok.huggingFaceJSON())
        let sample = "They were happy. \"Look, two foxes!\"  said Mia.\n"
        #expect(back.encode(sample) == tok.encode(sample))
    }

    @Test func loadingRejectsBrokenFilesWithTypedErrors() throws {
        let good = BPETokenizer.train(text: "low lower lowest", vocabSize: 258).huggingFaceJSON()
        func parse(_ s: String) throws -> BPETokenizer { try BPETokenizer.parse(data: Data(s.utf8), path: "t.json") }
        #expect(throws: TokenizerError.self) { try parse("{ not json") }
        #expect(throws: TokenizerError.unsupported(path: "t.json", field: "model.type", expected: "BPE", found: "WordPiece")) {
            try parse(good.replacingOccurrences(of: "\"type\": \"BPE\"", with: "\"type\": \"WordPiece\""))
        }
        #expect(throws: TokenizerError.unsupported(path: "t.json", field: "pre_tokenizer.add_prefix_space", expected: "false", found: "1")) {
            try parse(good.replacingOccurrences(of: "\"add_prefix_space\": false,\n    \"trim", with: "\"add_prefix_space\": true,\n    \"trim"))
        }
        #expect(throws: TokenizerError.invalidMerge(path: "t.json", index: 0, reason: "unknown token \"zz\"")) {
            try parse(good.replacingOccurrences(of: "[\"l\", \"o\"]", with: "[\"zz\", \"o\"]"))
        }
        #expect(throws: TokenizerError.invalidVocab(path: "t.json", reason: "id 999 of \"a\" is outside 0..<258")) {
            try parse(good.replacingOccurrences(of: "\"a\": 97,", with: "\"a\": 999,"))
        }
        #expect(throws: TokenizerError.unreadable(path: "/nonexistent/tokenizer.json", reason: "no such file")) {
            try BPETokenizer.load(path: "/nonexistent/tokenizer.json")
        }
    }

    @Test func tokenStringsAreReadable() {
        let tok = BPETokenizer.train(text: "a b", vocabSize: 256)
        #expect(tok.tokenString(32) == "·")
        #expect(tok.tokenString(10) == "↵")
        #expect(tok.tokenString(0) == "<0x00>")
        #expect(tok.tokenString(0xC3) == "<0xC3>")  // half of a two-byte character
        #expect(tok.tokenString(65) == "A")
    }
}
