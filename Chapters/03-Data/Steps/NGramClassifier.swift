import Engine

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A fastText-style linear classifier: a document is the bag of its hashed word unigrams and
/// bigrams, and the score is a logistic regression on the sum of their weights over √(number of features). Bigrams let
/// it tell a story from the same words shuffled. Used for quality (stage 3b) and harmful content
/// (stage 5).
public struct NGramClassifier: Sendable {
    /// Hash buckets for n-gram features.
    public static let buckets = 1 << 14
    var weights: [Float]
    var bias: Float = 0

    /// The distinct feature buckets of `text` (unigrams and bigrams of `wordsOf`).
    public static func features(_ text: String) -> [Int] {
        let w = wordsOf(text)
        var f: [Int] = []
        f.reserveCapacity(2 * w.count)
        var prev: UInt64 = 0x5EED
        for word in w {
            let h = fnv1a(word)
            f.append(Int(splitmix(h) % UInt64(buckets)))
            f.append(Int(splitmix(h ^ (prev &* 0x9E37_79B9)) % UInt64(buckets)))
            prev = h
        }
        return Array(Set(f)).sorted()  // sorted: the update order, and so the weights, are fixed
    }

    /// Trains by stochastic gradient descent on the log-loss for `epochs` passes over the
    /// examples in a seeded order; label 1 is the positive class.
    public init(positives: [String], negatives: [String], epochs: Int = 4, learningRate: Float = 0.5, seed: UInt64) {
        weights = [Float](repeating: 0, count: Self.buckets)
        let data = positives.map { (Self.features($0), Float(1)) } + negatives.map { (Self.features($0), Float(0)) }
        var rng = RNG(seed: seed)
        var order = Array(data.indices)
        for _ in 0..<epochs {
            for i in stride(from: order.count - 1, to: 0, by: -1) { order.swapAt(i, rng.int(i + 1)) }
            for k in order {
                let (f, y) = data[k]
                guard !f.isEmpty else { continue }
                let p = probability(features: f)
                // The log-loss gradient w.r.t. the logit is p − y, and each present feature
                // enters the logit with weight 1/√|f| (so long and short texts score alike).
                let g = learningRate * (p - y)
                let gw = g / Float(f.count).squareRoot()
                for b in f { weights[b] -= gw }
                bias -= g * 0.1  // a slower bias: it sees every example, each weight only a few
            }
        }
    }

    func probability(features f: [Int]) -> Float {
        guard !f.isEmpty else { return 1 / (1 + expf(-bias)) }
        var z: Float = 0
        for b in f { z += weights[b] }
        z = z / Float(f.count).squareRoot() + bias
        return 1 / (1 + expf(-z))
    }

    /// The probability that `text` is of the positive class.
    public func probability(_ text: String) -> Double { Double(probability(features: Self.features(text))) }
}
