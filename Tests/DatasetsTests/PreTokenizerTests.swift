import Testing
@testable import Datasets

/// Expectations written by hand from the GPT-2 pattern (and identical to what Hugging Face
/// `tokenizers` 0.23 returns for the same strings).
@Suite struct PreTokenizerTests {
    @Test(arguments: [
        ("Hello world", ["Hello", " world"]),
        // three spaces before a word: two stay together, the last joins the word
        ("hi   there\n\n", ["hi", "  ", " there", "\n\n"]),
        ("a  \n b", ["a", "  \n", " b"]),
        // contractions split off; a lone apostrophe is punctuation and swallows the run after a space
        ("don't 's !!'s", ["don", "'t", " '", "s", " !!'", "s"]),
        ("I'm we're they'll it's 'S", ["I", "'m", " we", "'re", " they", "'ll", " it", "'s", " '", "S"]),
        // a single tab before a letter is its own piece: only the ASCII space may prefix a word
        ("x\t\ty", ["x", "\t", "\t", "y"]),
        ("123abc 45 6", ["123", "abc", " 45", " 6"]),
        ("café ñ 日本", ["café", " ñ", " 日本"]),
        // a combining accent (category Mn) is neither letter nor number
        ("e\u{301}x", ["e", "\u{301}", "x"]),
        // trailing whitespace is one piece: the lookahead succeeds at the end of the text
        ("end   ", ["end", "   "]),
        // no-break space is whitespace but not the ASCII space
        ("a\u{00A0}\u{00A0}b", ["a", "\u{00A0}", "\u{00A0}", "b"]),
        ("  lead", [" ", " lead"]),
        ("x!!!?? y...", ["x", "!!!??", " y", "..."]),
        (" \n x", [" \n", " x"]),
        ("", []),
    ] as [(String, [String])])
    func splitsLikeGPT2(text: String, pieces: [String]) {
        #expect(PreTokenizer.split(text) == pieces)
        #expect(PreTokenizer.split(bytes: Array(text.utf8)) == pieces.map { Array($0.utf8) })
    }

    @Test func invalidBytesArePunctuationAndNothingIsLost() {
        let bytes: [UInt8] = [0x61, 0xFF, 0xFE, 0x20, 0x62, 0xC3]  // "a", two bad bytes, " b", truncated é
        #expect(PreTokenizer.split(bytes: bytes) == [[0x61], [0xFF, 0xFE], [0x20, 0x62], [0xC3]])
    }
}
