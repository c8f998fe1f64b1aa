/// Chapter 01's checks: hand-made BPE cases.
func ch01Checks(_ f: any Ch01Exercises.Type) -> [Exercise] {
    [
        Exercise(chapter: 1, id: "most-frequent-pair", title: "the pair BPE merges next",
                 hint: "count all adjacent pairs, overlaps included; ties go to the earliest pair") {
            func pair(_ ids: [Int]) throws -> [Int]? { try f.mostFrequentPair(ids).map { [$0.0, $0.1] } }
            try expectEqual(try pair([1, 2, 3, 1, 2]), [1, 2], "mostFrequentPair([1, 2, 3, 1, 2])")
            // (5, 5) occurs twice (overlapping) against (1, 5) and (5, 1) once each.
            try expectEqual(try pair([1, 5, 5, 5, 1]), [5, 5], "mostFrequentPair([1, 5, 5, 5, 1]) (overlaps count)")
            // (9, 8) and (7, 6) both occur twice; (9, 8) appears first.
            try expectEqual(try pair([9, 8, 7, 6, 9, 8, 7, 6]), [9, 8], "mostFrequentPair([9, 8, 7, 6, 9, 8, 7, 6]) (tie)")
            try expectEqual(try pair([4]), nil, "mostFrequentPair([4])")
            return "counts, overlaps, ties and the one-id case"
        },
        Exercise(chapter: 1, id: "merge", title: "one BPE merge",
                 hint: "left to right; after a match skip both ids; matches never overlap") {
            try expectEqual(try f.merge([1, 2, 3, 1, 2], pair: (1, 2), newID: 256), [256, 3, 256], "merge([1, 2, 3, 1, 2], (1, 2) → 256)")
            try expectEqual(try f.merge([7, 7, 7], pair: (7, 7), newID: 300), [300, 7], "merge([7, 7, 7], (7, 7) → 300)")
            try expectEqual(try f.merge([7, 7, 7, 7], pair: (7, 7), newID: 300), [300, 300], "merge([7, 7, 7, 7], (7, 7) → 300)")
            try expectEqual(try f.merge([2, 1], pair: (1, 2), newID: 256), [2, 1], "merge([2, 1], (1, 2) → 256) (order matters)")
            try expectEqual(try f.merge([], pair: (1, 2), newID: 256), [], "merge([], (1, 2) → 256)")
            return "non-overlapping, ordered pairs, empty input"
        },
        Exercise(chapter: 1, id: "encode", title: "encode text with learned merges",
                 hint: "start from Array(text.utf8); merge k makes id 256 + k, applied in order") {
            // "aaab" = [97, 97, 97, 98] → (97, 97) = 256 → [256, 97, 98] → (256, 97) = 257 → [257, 98].
            try expectEqual(try f.encode("aaab", merges: [(97, 97), (256, 97)]), [257, 98], "encode(\"aaab\", [(97, 97), (256, 97)])")
            // "é" is the two bytes 195 169.
            try expectEqual(try f.encode("éé", merges: [(195, 169)]), [256, 256], "encode(\"éé\", [(195, 169)])")
            try expectEqual(try f.encode("hi", merges: []), [104, 105], "encode(\"hi\", no merges)")
            return "merges in order, UTF-8 bytes"
        },
    ]
}
