/// A published training run's compute, with where the number comes from.
public struct PublishedBudget: Sendable {
    /// Model name, e.g. "GPT-3 175B".
    public var model: String
    /// Training FLOPs.
    public var flops: Double
    /// The source and how the number is obtained from it.
    public var source: String
    /// A snake_case stem for the chapter's manifest keys.
    public var key: String

    /// The three budgets the chapter compares with: GPT-3, Chinchilla and Llama 3.1 405B.
    public static let reference: [PublishedBudget] = [
        PublishedBudget(model: "GPT-3 175B", flops: 3.14e23,
                        source: "Brown et al. 2020, Language Models are Few-Shot Learners, table D.1 (3,640 petaflop/s-days)",
                        key: "gpt3"),
        PublishedBudget(model: "Chinchilla 70B", flops: 6 * 70e9 * 1.4e12,
                        source: "Hoffmann et al. 2022: 70 B parameters × 1.4 T tokens, counted as 6·N·D",
                        key: "chinchilla"),
        PublishedBudget(model: "Llama 3.1 405B", flops: 3.8e25,
                        source: "Llama Team (Meta) 2024, The Llama 3 Herd of Models, section 3 (3.8 × 10²⁵ FLOPs)",
                        key: "llama3_405b"),
    ]
}

/// A GPU's dense 16-bit peak and the share of it a large training run sustains.
public struct Accelerator: Sendable {
    /// Name, e.g. "A100".
    public var name: String
    /// Dense BF16 peak in FLOP/s.
    public var peak: Double
    /// The fraction of peak assumed sustained (model FLOPs utilisation).
    public var utilisation: Double

    /// NVIDIA A100 (SXM): 312 TFLOP/s dense BF16 (NVIDIA's A100 datasheet), at 40 % utilisation,
    /// about what large published runs report sustaining.
    public static let a100 = Accelerator(name: "A100", peak: 312e12, utilisation: 0.4)

    /// Sustained FLOP/s.
    public var sustained: Double { peak * utilisation }

    /// Days one such GPU needs for `flops`.
    public func days(_ flops: Double) -> Double { flops / sustained / 86_400 }
}

/// Years a machine that sustains `rate` FLOP/s needs for `flops` (a year of 365.25 days).
public func years(_ flops: Double, atRate rate: Double) -> Double {
    precondition(rate > 0, "a rate must be positive")
    return flops / rate / (365.25 * 86_400)
}

/// The sustained rate of a set of runs: their total training FLOPs over their total seconds.
public func sustainedRate(_ runs: [RunResult]) -> Double {
    let flops = runs.reduce(0) { $0 + $1.config.trainingFLOPs }
    let seconds = runs.reduce(0) { $0 + $1.seconds }
    return seconds > 0 ? flops / seconds : 0
}
