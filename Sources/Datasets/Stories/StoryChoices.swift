import Engine

/// Where the story grammar gets its random choices from.
///
/// The grammar never draws randomness itself: it asks a chooser for an option index and tells it
/// the integer weights. The probability of option i is exactly weights[i] / sum(weights), so the
/// grammar can add log(weights[i] / sum) to the story's log-probability with no approximation.
public protocol StoryChooser {
    /// Returns an index in `0..<weights.count`; every weight is positive.
    mutating func choose(_ weights: [Int]) -> Int
}

/// Draws choices from the engine's seeded generator, exactly in proportion to the integer weights.
public struct SamplingChooser: StoryChooser {
    /// The generator the draws come from.
    public var rng: RNG

    /// A chooser drawing from `rng`.
    public init(rng: RNG) { self.rng = rng }

    /// A uniform integer below the total picks the option whose cumulative weight first exceeds it,
    /// so the probabilities are exact (the float-based `RNG.categorical` would round them to 24 bits).
    public mutating func choose(_ weights: [Int]) -> Int {
        var total = 0
        for w in weights { total += w }
        var u = rng.int(total)
        for (i, w) in weights.enumerated() {
            if u < w { return i }
            u -= w
        }
        return weights.count - 1
    }
}

/// Replays a fixed prefix of choices, then takes option 0, recording every choice point met.
///
/// Walking these records like an odometer visits every choice sequence of a finite grammar once,
/// which is how the tests enumerate all stories of a tiny vocabulary.
public struct ReplayChooser: StoryChooser {
    /// The choices to replay first.
    public var prefix: [Int]
    /// For every choice made: (index chosen, number of options, natural log of its probability).
    public private(set) var trail: [(choice: Int, options: Int, logProb: Double)] = []

    /// Where choices beyond the prefix come from: option 0 if nil, else a draw (to record a random path).
    public var sampler: SamplingChooser?

    /// A chooser that replays `prefix`.
    public init(prefix: [Int]) { self.prefix = prefix }

    /// The next prefix entry if any is left, else option 0 (or a draw from `sampler`).
    public mutating func choose(_ weights: [Int]) -> Int {
        let c: Int
        if trail.count < prefix.count {
            c = prefix[trail.count]
        } else if sampler != nil {
            c = sampler!.choose(weights)
        } else {
            c = 0
        }
        precondition(c < weights.count, "replayed choice \(c) out of range for \(weights.count) options")
        let total = weights.reduce(0, +)
        trail.append((c, weights.count, log(Double(weights[c])) - log(Double(total))))
        return c
    }

    /// The prefix that visits the next choice sequence after this run's, or nil when all are done.
    public func nextPrefix() -> [Int]? {
        var t = trail
        while let last = t.last {
            if last.choice + 1 < last.options {
                t[t.count - 1].choice += 1
                return t.map(\.choice)
            }
            t.removeLast()
        }
        return nil
    }
}

/// Accumulates the log-probability of the choices a story made.
struct ChoiceRecorder<C: StoryChooser> {
    var chooser: C
    var logProb: Double = 0
    var choices = 0

    /// Picks an option with the given positive integer weights and adds its log-probability.
    mutating func pick(_ weights: [Int]) -> Int {
        precondition(!weights.isEmpty && weights.allSatisfy { $0 > 0 }, "choice needs positive weights")
        if weights.count == 1 { return 0 }  // a forced choice costs nothing and is not a choice
        let i = chooser.choose(weights)
        var total = 0
        for w in weights { total += w }
        logProb += log(Double(weights[i])) - log(Double(total))
        choices += 1
        return i
    }

    /// Picks one of the `options` with Zipf weights by list rank (see `StoryVocabulary`).
    mutating func zipf<T>(_ options: [T]) -> T {
        options[pick(zipfWeights(options.count))]
    }

    /// Picks true with probability num/den.
    mutating func coin(_ num: Int, _ den: Int) -> Bool {
        pick([num, den - num]) == 0
    }
}

/// Integer weights roughly proportional to 1 / (rank + 10), the same for every list of a given size.
func zipfWeights(_ n: Int) -> [Int] {
    (0..<n).map { 27720 / ($0 + 10) }
}
