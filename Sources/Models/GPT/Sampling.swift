import Engine

/// How the next token is chosen from the model's logits.
public enum SamplingRule: Sendable, Equatable {
    /// Always the most likely token.
    case greedy
    /// Sample from softmax(logits / temperature), optionally only among the `topK` most likely.
    case sample(temperature: Float, topK: Int?)

    /// Picks a token id from one row of logits.
    public func pick(_ logits: [Float], rng: inout RNG) -> Int {
        switch self {
        case .greedy:
            var best = 0
            for i in 1..<logits.count where logits[i] > logits[best] { best = i }
            return best
        case let .sample(temperature, topK):
            precondition(temperature > 0, "temperature must be positive, got \(temperature)")
            var allowed = Array(logits.indices)
            if let k = topK, k < logits.count {
                // Ties at the cut are broken by index so the choice is reproducible.
                allowed = allowed.sorted { logits[$0] != logits[$1] ? logits[$0] > logits[$1] : $0 < $1 }
                allowed = Array(allowed.prefix(Swift.max(1, k)))
            }
            let m = allowed.map { logits[$0] }.max() ?? 0
            let weights = allowed.map { expf((logits[$0] - m) / temperature) }
            return allowed[rng.categorical(weights)]
        }
    }
}

