import Engine

/// Count-based byte models: the unigram and bigram baselines a language model has to beat.
///
/// With add-α smoothing, p(b | a) = (n(a, b) + α) / (n(a) + 256 α) and p(b) = (n(b) + α) / (N + 256 α),
/// so every byte has nonzero probability and held-out cross-entropy is finite. α = 1 is Laplace's
/// add-one rule.
public struct BigramBaseline: Sendable {
    /// The smoothing pseudo-count added to every count.
    public var alpha: Double
    /// n(b): how often each byte occurred.
    public private(set) var unigramCounts = [Double](repeating: 0, count: 256)
    /// n(a, b), row-major at a * 256 + b: how often byte b followed byte a.
    public private(set) var bigramCounts = [Double](repeating: 0, count: 256 * 256)
    /// Bytes seen by `fit`.
    public private(set) var total: Double = 0

    /// An untrained model with smoothing `alpha` (> 0).
    public init(alpha: Double = 1) {
        precondition(alpha > 0, "smoothing must be positive so unseen bytes keep some probability")
        self.alpha = alpha
    }

    /// Adds the counts of `bytes` (call again to add more text).
    public mutating func fit(bytes: [UInt8]) {
        for (k, b) in bytes.enumerated() {
            unigramCounts[Int(b)] += 1
            if k > 0 { bigramCounts[Int(bytes[k - 1]) * 256 + Int(b)] += 1 }
        }
        total += Double(bytes.count)
    }

    /// The smoothed unigram probability of `b`.
    public func unigramProbability(_ b: UInt8) -> Double {
        (unigramCounts[Int(b)] + alpha) / (total + 256 * alpha)
    }

    /// The smoothed probability of `b` after `a`.
    public func bigramProbability(_ b: UInt8, after a: UInt8) -> Double {
        var row = 0.0
        for x in 0..<256 { row += bigramCounts[Int(a) * 256 + x] }
        return (bigramCounts[Int(a) * 256 + Int(b)] + alpha) / (row + 256 * alpha)
    }

    /// Bits per byte of the bigram model on `bytes` (the first byte scored by the unigram model).
    public func crossEntropyBits(bytes: [UInt8]) -> Double {
        precondition(!bytes.isEmpty, "cross-entropy needs at least one byte")
        var rows = [Double](repeating: 0, count: 256)
        for a in 0..<256 { for b in 0..<256 { rows[a] += bigramCounts[a * 256 + b] } }
        var nats = -log(unigramProbability(bytes[0]))
        for k in 1..<bytes.count {
            let a = Int(bytes[k - 1]), b = Int(bytes[k])
            nats -= log((bigramCounts[a * 256 + b] + alpha) / (rows[a] + 256 * alpha))
        }
        return nats / Double(bytes.count) / log(2.0)
    }

    /// Bits per byte of the unigram model on `bytes`.
    public func unigramCrossEntropyBits(bytes: [UInt8]) -> Double {
        precondition(!bytes.isEmpty, "cross-entropy needs at least one byte")
        var nats = 0.0
        for b in bytes { nats -= log(unigramProbability(b)) }
        return nats / Double(bytes.count) / log(2.0)
    }
}
