import Datasets
import Engine

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One pair of documents probed with MinHash: its exact and estimated Jaccard similarity and
/// whether LSH made it a candidate.
public struct MinHashPair: Sendable {
    public var exact: Double, estimate: Double
    public var candidate: Bool
}

/// Pairs spread over the whole similarity range: a story against a copy with a random share of
/// its words replaced by words of another story, and (one pair in ten) all of them.
public func minHashPairs(_ hasher: MinHasher, count: Int, seed: UInt64) -> [MinHashPair] {
    let corpus = StoryCorpus(seed: seed &+ 0x4A5)
    var rng = RNG(seed: seed &+ 0x4A5)
    return (0..<count).map { i in
        let a = corpus.document(2 * i).text, other = corpus.document(2 * i + 1).text
        var words = a.split(separator: " ").map(String.init)
        let donor = other.split(separator: " ").map(String.init)
        // Replacing a share f of the words keeps about (1 − f)³ of the 3-grams; drawing
        // (1 − f)³ uniformly spreads the pairs evenly over the similarity range.
        let share = i % 10 == 0 ? 1.0 : 1 - pow(Double(rng.uniform()), 1.0 / 3)
        for k in words.indices where Double(rng.uniform()) < share { words[k] = donor[rng.int(donor.count)] }
        let sa = MinHasher.shingles(a), sb = MinHasher.shingles(words.joined(separator: " "))
        let ga = hasher.signature(sa), gb = hasher.signature(sb)
        let candidate = zip(hasher.bandKeys(ga), hasher.bandKeys(gb)).contains { $0 == $1 }
        return MinHashPair(exact: MinHasher.jaccard(sa, sb), estimate: MinHasher.estimate(ga, gb), candidate: candidate)
    }
}

/// Measured candidate rate per similarity bin of width `width`: (bin centre, rate, pairs).
public func measuredSCurve(_ pairs: [MinHashPair], width: Double) -> [(j: Double, rate: Double, pairs: Int)] {
    let bins = Int((1 / width).rounded())
    var hit = [Int](repeating: 0, count: bins), n = [Int](repeating: 0, count: bins)
    for p in pairs {
        let b = min(bins - 1, Int(p.exact / width))
        n[b] += 1
        if p.candidate { hit[b] += 1 }
    }
    return (0..<bins).compactMap { b in n[b] < 5 ? nil : ((Double(b) + 0.5) * width, Double(hit[b]) / Double(n[b]), n[b]) }
}
