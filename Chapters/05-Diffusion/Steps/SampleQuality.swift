import Datasets
import Diffusion
import Engine
import Models

/// Measuring generated images with a classifier trained on real ones: how confidently it
/// recognises them, how the recognised classes spread, and the Fréchet distance between generated
/// and real images in its feature space.

/// Trains the `ImageClassifier` on labelled images with cross-entropy; returns the loss per step.
public func trainClassifier(_ model: ImageClassifier, images: ImageSet, steps: Int, batch: Int, learningRate: Float,
                            seed: UInt64) throws -> [Float] {
    var rng = RNG(seed: seed ^ 0xC1A5_0002)
    let opt = AdamW(model.parameters, lr: learningRate, weightDecay: 1e-4)
    let lr = LRSchedule.warmupCosine(base: learningRate, warmup: min(30, steps / 10), total: steps, minLR: learningRate / 20)
    return try trainingLoop(steps: steps, optimizer: opt, schedule: lr, lossName: "classifier loss") { _ in
        let idx = (0..<batch).map { _ in rng.int(images.count) }
        return crossEntropy(model(images.tensor(indices: idx)), idx.map { images.labels[$0] })
    }
}

/// A fresh classifier for single-channel digit images with weights from `seed`.
public func makeClassifier(classes: Int, seed: UInt64) -> ImageClassifier {
    var rng = RNG(seed: seed ^ 0xC1A5_0001)
    return ImageClassifier(channels: 1, classes: classes, width: 32, stages: 2, rng: &rng)
}

/// Class probabilities [n][classes] and features [n][d] of images, in batches.
public func classify(_ model: ImageClassifier, _ images: Tensor, batch: Int = 100) -> (probabilities: [[Float]], features: [Float]) {
    let n = images.shape[0]
    var probs: [[Float]] = [], feats: [Float] = []
    var start = 0
    while start < n {
        let m = min(batch, n - start)
        let x = images.slice(axis: 0, start..<(start + m)).detach()
        Tensor.noGrad {
            let f = model.features(x)
            feats += f.values
            let p = model(x).softmax().values
            let c = p.count / m
            for i in 0..<m { probs.append(Array(p[(i * c)..<((i + 1) * c)])) }
        }
        start += m
    }
    return (probs, feats)
}

/// How a classifier sees a set of images.
public struct ClassifierRating: Sendable {
    /// Share of images whose top class has probability at least the threshold.
    public var confidentShare: Double
    /// Images per predicted class (argmax).
    public var classCounts: [Int]
    /// Entropy of the predicted-class distribution in bits (log2 10 ≈ 3.32 when perfectly even).
    public var classEntropyBits: Double
    /// Share of images whose argmax equals the given label (nil when no labels were given).
    public var accuracy: Double?
}

/// Rates images from their class probabilities; `labels` (for real images) adds the accuracy.
public func rate(_ probabilities: [[Float]], threshold: Float = 0.9, labels: [Int]? = nil) -> ClassifierRating {
    let classes = probabilities.first?.count ?? 0
    var counts = [Int](repeating: 0, count: classes)
    var confident = 0, correct = 0
    for (i, p) in probabilities.enumerated() {
        let best = p.indices.max { p[$0] < p[$1] } ?? 0
        counts[best] += 1
        if p[best] >= threshold { confident += 1 }
        if let labels, labels[i] == best { correct += 1 }
    }
    let n = Double(max(probabilities.count, 1))
    var entropy = 0.0
    for c in counts where c > 0 {
        let q = Double(c) / n
        entropy -= q * log2(q)
    }
    return ClassifierRating(confidentShare: Double(confident) / n, classCounts: counts, classEntropyBits: entropy,
                            accuracy: labels.map { _ in Double(correct) / n })
}

/// Fréchet distance between the classifier features of two image sets.
public func featureFrechetDistance(_ a: [Float], _ b: [Float], dimension: Int) -> Double {
    frechetDistance(FeatureStatistics(features: a, count: a.count / dimension, dimension: dimension),
                    FeatureStatistics(features: b, count: b.count / dimension, dimension: dimension))
}
