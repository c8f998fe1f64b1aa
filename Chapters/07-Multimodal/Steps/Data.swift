import Datasets
import Engine

/// The chapter's scenes: a training set without the held-out kind–colour pairs, a test set of
/// the same distribution, and single-shape sets for zero-shot classification, both of seen pairs
/// and of the held-out ones. Every set has its own seed, so no scene is shared.
public struct MultimodalData: Sendable {
    /// Training scenes of one to three shapes.
    public let train: SceneSet
    /// Held-out scenes of one to three shapes, seen combinations only.
    public let test: SceneSet
    /// Held-out scenes of one to three shapes that each contain a held-out kind–colour pair.
    public let heldOut: SceneSet
    /// Single shapes of seen combinations (zero-shot).
    public let single: SceneSet
    /// Single shapes of held-out combinations (zero-shot, reported separately).
    public let singleHeldOut: SceneSet

    /// The sets for `settings` from `seed`.
    public init(_ settings: MultimodalSettings, seed: UInt64) {
        train = Self.trainingScenes(count: settings.trainCount, seed: seed)
        test = SceneSet(count: settings.testCount, seed: seed &* 8 &+ 2)
        heldOut = SceneSet(count: settings.testCount / 2, seed: seed &* 8 &+ 3, heldOut: .require)
        single = SceneSet(count: settings.zeroShotCount, seed: seed &* 8 &+ 4, objectCounts: 1...1)
        singleHeldOut = SceneSet(count: settings.zeroShotCount / 2, seed: seed &* 8 &+ 5, objectCounts: 1...1, heldOut: .require)
    }

    /// The training scenes alone (what the cached encoders were trained on).
    public static func trainingScenes(count: Int, seed: UInt64) -> SceneSet {
        SceneSet(count: count, seed: seed &* 8 &+ 1)
    }
}

/// Tokens per caption or question, markers and padding included (the longest caption has 21 words, 23 tokens).
public let textContext = 24

/// Token ids of `text`, padded to `textContext`. The texts come from the chapter's own grammar,
/// so a failure here is a bug in the grammar, reported with the text.
func encodeText(_ text: String) -> [Int] {
    do { return try SceneVocabulary.standard.encode(text, length: textContext) } catch { fatalError("\(error)") }
}

/// `batch` distinct indices below `n`, drawn from `rng`.
func batchIndices(_ n: Int, batch: Int, rng: inout RNG) -> [Int] {
    precondition(batch <= n, "batch \(batch) is larger than the \(n) items")
    var picked = [Bool](repeating: false, count: n), out: [Int] = []
    while out.count < batch {
        let i = rng.int(n)
        if !picked[i] { picked[i] = true; out.append(i) }
    }
    return out
}

/// Adam with a short warm-up and a cosine decay to a tenth: the schedule every model here uses.
func trainLoop(_ model: Module, steps: Int, lr: Float, afterStep: () -> Void = {}, loss: (Int) -> Tensor) -> [Float] {
    let optimizer = Adam(model.parameters, lr: lr)
    let schedule = LRSchedule.warmupCosine(base: lr, warmup: max(1, steps / 20), total: steps, minLR: lr / 10)
    // The engine's loop (clipping at norm 1); a diverged run stops there with its step named.
    do {
        return try trainingLoop(steps: steps, optimizer: optimizer, schedule: schedule, clip: 1,
                                afterStep: { _, _ in afterStep() }, loss: loss)
    } catch {
        fatalError("\(error)")
    }
}
