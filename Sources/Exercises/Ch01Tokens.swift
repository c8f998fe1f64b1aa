// Chapter 01, tokens: the three steps of byte-level BPE.
// Replace each `throw ExerciseError.notImplemented(…)` with your code, then run
// `swift run -c release grade 1`.

/// Chapter 01's exercises.
public enum Ch01 {
    /// Exercise 01.most-frequent-pair: the pair of neighbouring ids BPE would merge next.
    ///
    /// - Task: count every adjacent pair (ids[i], ids[i+1]) and return the most frequent one.
    ///   Overlapping pairs all count: [5, 5, 5] holds (5, 5) twice. On a tie, return the pair
    ///   whose first occurrence comes earliest. Return nil when there are fewer than two ids.
    /// - Shapes: `ids` has any length; the result is one pair.
    /// - Hint: a dictionary from pair to count, plus the position where each pair first appears
    ///   (never rely on a dictionary's iteration order to break ties).
    public static func mostFrequentPair(_ ids: [Int]) throws -> (Int, Int)? {
        throw ExerciseError.notImplemented("01.most-frequent-pair")
    }

    /// Exercise 01.merge: replace every occurrence of a pair by a new id.
    ///
    /// - Task: scan left to right; where ids[i], ids[i+1] equal `pair`, emit `newID` and skip both,
    ///   else emit ids[i]. Occurrences do not overlap: [7, 7, 7] with pair (7, 7) becomes [new, 7].
    /// - Shapes: the result is never longer than `ids`.
    /// - Hint: a while loop with an index you advance by 2 after a merge and by 1 otherwise.
    public static func merge(_ ids: [Int], pair: (Int, Int), newID: Int) throws -> [Int] {
        throw ExerciseError.notImplemented("01.merge")
    }

    /// Exercise 01.encode: encode text with a trained list of merges.
    ///
    /// - Task: start from the text's UTF-8 bytes (ids 0–255), then apply the merges in the order
    ///   they were learned: merge k (counting from 0) replaces its pair by id 256 + k.
    /// - Shapes: `merges` has any length; the result has at most as many ids as the text has bytes.
    /// - Hint: `Array(text.utf8)` gives the bytes; "é" is two bytes (195, 169), not one character.
    ///   Reuse your `merge` from the exercise above.
    public static func encode(_ text: String, merges: [(Int, Int)]) throws -> [Int] {
        throw ExerciseError.notImplemented("01.encode")
    }
}
