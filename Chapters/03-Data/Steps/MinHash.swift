#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Stage 4b: near-duplicate detection with MinHash and locality-sensitive hashing (LSH).
///
/// A document is the set of its word 3-grams ("shingles"). For a random permutation of all
/// possible shingles, the chance that two sets have the same smallest member equals their
/// Jaccard similarity |A ∩ B| / |A ∪ B|. K independent hash functions stand in for K
/// permutations, so the share of the K minima that agree estimates the Jaccard similarity with
/// standard deviation √(J(1 − J)/K). LSH cuts the K minima into b bands of r rows and calls two
/// documents candidates when any band agrees in all r rows: probability 1 − (1 − J^r)^b, an
/// S-curve that rises steeply around J ≈ (1/b)^(1/r).
public struct MinHasher: Sendable {
    /// Number of hash functions (permutations), K = bands × rows.
    public let permutations: Int
    /// Bands and rows per band.
    public let bands: Int, rows: Int
    let salts: [UInt64]

    /// A hasher with `bands × rows` permutations drawn from `seed`.
    public init(bands: Int, rows: Int, seed: UInt64) {
        precondition(bands > 0 && rows > 0, "bands and rows must be positive")
        self.bands = bands
        self.rows = rows
        permutations = bands * rows
        salts = (0..<(bands * rows)).map { splitmix(seed &+ UInt64($0) &* 0xD1B5_4A32_D192_ED03) }
    }

    /// The distinct word 3-gram hashes of `text` (a text of fewer than 3 words is one shingle).
    public static func shingles(_ text: String, n: Int = 3) -> [UInt64] {
        let w = wordsOf(text).map { fnv1a($0) }
        guard w.count >= n else { return [w.reduce(0x51) { splitmix($0 ^ $1) }] }
        var s = Set<UInt64>()
        for i in 0...(w.count - n) {
            var h: UInt64 = 0x51
            for k in 0..<n { h = splitmix(h ^ w[i + k]) }
            s.insert(h)
        }
        return s.sorted()
    }

    /// The signature: for each hash function, the smallest hash over the shingles.
    public func signature(_ shingles: [UInt64]) -> [UInt64] {
        salts.map { salt in shingles.reduce(UInt64.max) { min($0, splitmix($1 ^ salt)) } }
    }

    /// The share of signature positions that agree: the MinHash estimate of Jaccard similarity.
    public static func estimate(_ a: [UInt64], _ b: [UInt64]) -> Double {
        Double(zip(a, b).filter { $0 == $1 }.count) / Double(a.count)
    }

    /// The exact Jaccard similarity of two sorted shingle lists.
    public static func jaccard(_ a: [UInt64], _ b: [UInt64]) -> Double {
        var i = 0, j = 0, both = 0
        while i < a.count && j < b.count {
            if a[i] == b[j] { both += 1; i += 1; j += 1 } else if a[i] < b[j] { i += 1 } else { j += 1 }
        }
        let union = a.count + b.count - both
        return union == 0 ? 1 : Double(both) / Double(union)
    }

    /// The keys of a signature's bands: one hash of each band's r rows, salted by the band.
    public func bandKeys(_ sig: [UInt64]) -> [UInt64] {
        (0..<bands).map { b in
            var h = splitmix(UInt64(b) &+ 0xBA4D)
            for r in 0..<rows { h = splitmix(h ^ sig[b * rows + r]) }
            return h
        }
    }

    /// The probability that a pair with Jaccard similarity `j` shares at least one band.
    public func candidateProbability(_ j: Double) -> Double { Self.candidateProbability(j, bands: bands, rows: rows) }

    /// 1 − (1 − j^r)^b.
    public static func candidateProbability(_ j: Double, bands: Int, rows: Int) -> Double {
        1 - pow(1 - pow(j, Double(rows)), Double(bands))
    }

    /// Bands and rows (b·r ≤ `permutations`) whose S-curve best separates pairs above and below
    /// `threshold`: the least area of missed pairs above it plus caught pairs below it.
    public static func chooseBands(permutations: Int, threshold: Double) -> (bands: Int, rows: Int) {
        var best = (bands: 1, rows: permutations), bestError = Double.infinity
        let steps = 200
        for rows in 1...permutations {
            let bands = permutations / rows
            var err = 0.0
            for k in 0..<steps {
                let j = (Double(k) + 0.5) / Double(steps)
                let p = candidateProbability(j, bands: bands, rows: rows)
                err += (j < threshold ? p : 1 - p) / Double(steps)
            }
            if err < bestError { bestError = err; best = (bands, rows) }
        }
        return best
    }

    /// Greedy near-duplicate removal: walks the documents in order and keeps one unless it shares
    /// a band with an already kept document whose estimated similarity is at least
    /// `threshold`. Returns the kept indices and, for every removed one, the kept one it matched.
    public func dedup(_ texts: [String], threshold: Double) -> (kept: [Int], removed: [(index: Int, duplicateOf: Int)]) {
        var buckets: [UInt64: [Int]] = [:]
        var sigs: [[UInt64]] = []
        var kept: [Int] = [], removed: [(Int, Int)] = []
        for (i, t) in texts.enumerated() {
            let sig = signature(Self.shingles(t))
            sigs.append(sig)
            let keys = bandKeys(sig)
            var match: Int?
            search: for key in keys {
                for j in buckets[key] ?? [] where Self.estimate(sig, sigs[j]) >= threshold {
                    match = j
                    break search
                }
            }
            if let match {
                removed.append((i, match))
            } else {
                kept.append(i)
                for key in keys { buckets[key, default: []].append(i) }
            }
        }
        return (kept, removed)
    }
}
