// Chapter 03, pre-training data: a PII check and near-duplicate detection with MinHash.
// Replace each `throw ExerciseError.notImplemented(…)` with your code, then run
// `swift run -c release grade 3`.

/// Chapter 03's exercises.
public enum Ch03 {
    /// Exercise 03.luhn: does a card-like number pass the Luhn checksum?
    ///
    /// - Task: ignore spaces; any other non-digit, or fewer than two digits, gives false.
    ///   From the rightmost digit, double every second digit (the 2nd, 4th, … from the right),
    ///   subtract 9 from any doubled value above 9, sum all digits; valid when the sum is a
    ///   multiple of 10.
    /// - Shapes: any string.
    /// - Hint: "4539 1488 0343 6467" is valid; change any one digit and it is not. Count positions
    ///   from the right, not the left: numbers of even length show the difference ("18" is valid).
    public static func luhnValid(_ number: String) throws -> Bool {
        throw ExerciseError.notImplemented("03.luhn")
    }

    /// Exercise 03.minhash: the MinHash signature of a set of shingles.
    ///
    /// - Task: for each seed s, the signature holds the smallest `minHashMix(x, seed: s)` over the
    ///   shingles x. An empty set gives `UInt64.max` for every seed.
    /// - Shapes: one signature value per seed, in the order of `seeds`.
    /// - Hint: two sets agree on one seed's minimum with probability equal to their Jaccard
    ///   similarity, which is why the chapter compares signatures instead of whole documents.
    ///   Use `minHashMix` (below) as the hash: the grader checks exact values.
    public static func minHashSignature(shingles: [UInt64], seeds: [UInt64]) throws -> [UInt64] {
        throw ExerciseError.notImplemented("03.minhash")
    }

    /// Exercise 03.lsh-bands: candidate near-duplicate pairs by banding the signatures.
    ///
    /// - Task: cut each signature into `bands` consecutive bands of `rows` values; two documents
    ///   are a candidate pair when they agree on every value of at least one band. Return each
    ///   pair once as [i, j] with i < j, the pairs sorted (by i, then j).
    /// - Shapes: `signatures` holds one signature per document, each of length bands·rows.
    /// - Hint: with signature agreement s per value, a pair is caught with probability
    ///   1 − (1 − sʳ)ᵇ: bands make the test forgiving, rows make each band strict. Comparing all
    ///   pairs directly is fine here; the chapter hashes each band into buckets instead.
    public static func lshCandidatePairs(signatures: [[UInt64]], bands: Int, rows: Int) throws -> [[Int]] {
        throw ExerciseError.notImplemented("03.lsh-bands")
    }
}

/// The hash the MinHash exercise uses: a seeded 64-bit mix (SplitMix64's finaliser applied to
/// x xor the seed). Given, not an exercise.
public func minHashMix(_ x: UInt64, seed: UInt64) -> UInt64 {
    var z = (x ^ seed) &+ 0x9E37_79B9_7F4A_7C15
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
}
