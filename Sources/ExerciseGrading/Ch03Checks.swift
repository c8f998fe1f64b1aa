import Exercises

/// Chapter 03's checks: known Luhn numbers, MinHash values and hand-made bands.
func ch03Checks(_ f: any Ch03Exercises.Type) -> [Exercise] {
    [
        Exercise(chapter: 3, id: "luhn", title: "the Luhn checksum",
                 hint: "double every second digit from the right, minus 9 if above 9; sum % 10 == 0") {
            let cases: [(String, Bool)] = [
                ("4539 1488 0343 6467", true), ("4539 1488 0343 6468", false), ("79927398713", true),
                ("79927398710", false), ("0", false), ("12a4", false), ("059", true), ("095", false), ("18", true), ("81", false),
            ]
            for (number, valid) in cases { try expectEqual(try f.luhnValid(number), valid, "luhnValid(\"\(number)\")") }
            return "\(cases.count) numbers, valid and invalid, odd and even length"
        },
        Exercise(chapter: 3, id: "minhash", title: "a MinHash signature",
                 hint: "for each seed, the minimum of minHashMix(x, seed) over the shingles") {
            let seeds: [UInt64] = [11, 22, 33]
            let set: [UInt64] = [5, 9, 1_000_003]
            let want = seeds.map { s in set.map { minHashMix($0, seed: s) }.min()! }
            try expectEqual(try f.minHashSignature(shingles: set, seeds: seeds), want, "minHashSignature([5, 9, 1000003], seeds [11, 22, 33])")
            try expectEqual(try f.minHashSignature(shingles: [], seeds: [1, 2]), [UInt64.max, UInt64.max], "minHashSignature(empty set)")
            // Agreement estimates Jaccard similarity: sets {0…99} and {50…149} have J = 50/150.
            let seeds200 = (0..<200).map { UInt64($0) * 7919 }
            let a = try f.minHashSignature(shingles: (0..<100).map(UInt64.init), seeds: seeds200)
            let b = try f.minHashSignature(shingles: (50..<150).map(UInt64.init), seeds: seeds200)
            let agree = Double(zip(a, b).filter { $0 == $1 }.count) / 200
            // 200 draws of a Bernoulli(1/3): standard deviation 0.033, so ±0.15 is a 4.5σ band.
            try expectTrue(abs(agree - 1.0 / 3) < 0.15, "200-value signatures of {0…99} and {50…149} agree on \(agree) of values; the Jaccard similarity is 0.333")
            return "exact values, the empty set, agreement ≈ Jaccard"
        },
        Exercise(chapter: 3, id: "lsh-bands", title: "candidate pairs by banding",
                 hint: "a pair is a candidate if some band of `rows` values matches exactly; list [i, j], i < j, sorted") {
            let sigs: [[UInt64]] = [[1, 2, 3, 4], [1, 2, 9, 9], [8, 8, 3, 4], [7, 2, 3, 7], [1, 2, 3, 4]]
            // Bands of 2: doc 0 and 1 share band 0; 0 and 2 share band 1; 0 and 4 share both;
            // 1–4, 2–4 also; doc 3 shares no whole band with anyone.
            try expectEqual(try f.lshCandidatePairs(signatures: sigs, bands: 2, rows: 2),
                            [[0, 1], [0, 2], [0, 4], [1, 4], [2, 4]], "lshCandidatePairs(5 signatures, 2 bands × 2 rows)")
            try expectEqual(try f.lshCandidatePairs(signatures: sigs, bands: 1, rows: 4), [[0, 4]], "same signatures, 1 band × 4 rows")
            try expectEqual(try f.lshCandidatePairs(signatures: sigs, bands: 4, rows: 1).count, 9, "same signatures, 4 bands × 1 row: number of pairs")
            return "three bandings of five signatures"
        },
    ]
}
