import Datasets
import Diffusion
import Engine
import Foundation
import Models

/// Scoring generated images with a classifier trained on real ones (chapter 05's measures).
public struct ShapeJudge {
    /// The classifier (shape kind from pixels).
    public let classifier: ImageClassifier
    /// Its loss per training step.
    public let losses: [Float]

    /// Trains `ImageClassifier` to tell the shape kinds of `images` apart, or restores it from `cache`.
    public init(images: ImageSet, steps: Int, batch: Int = 32, width: Int = 16, stages: Int = 3, seed: UInt64, dataKey: String,
                cache: TrainingCache = TrainingCache(folder: nil, fresh: false)) {
        var rng = RNG(seed: seed)
        let model = ImageClassifier(channels: images.channels, classes: images.classCount, width: width, stages: stages, rng: &rng)
        let key = "classifier-w\(width)-st\(stages)-s\(steps)-b\(batch)-seed\(seed)-\(dataKey)"
        classifier = model
        if let series = cache.restore(model, key: key), let l = series["loss"], l.count == steps {
            losses = l
            return
        }
        let optimizer = Adam(model.parameters, lr: 3e-3)
        var history: [Float] = []
        for _ in 0..<steps {
            let idx = batchIndices(images.count, batch: batch, rng: &rng)
            let loss = crossEntropy(model(images.tensor(indices: idx)), idx.map { images.labels[$0] })
            optimizer.zeroGrad()
            loss.backward()
            optimizer.step()
            history.append(loss.item())
        }
        losses = history
        cache.store(model, key: key, series: ["loss": history])
    }

    /// Class probabilities [n, classes] and features [n, d] of images [n, C, H, W], in batches.
    public func evaluate(_ x: Tensor, batch: Int = 100) -> (probabilities: [[Float]], features: [Float]) {
        var probs: [[Float]] = [], feats: [Float] = []
        var start = 0
        while start < x.shape[0] {
            let end = min(x.shape[0], start + batch)
            let part = rows(x, Array(start..<end))
            let (p, f) = Tensor.noGrad { () -> (Tensor, Tensor) in
                let f = classifier.features(part)
                return (classifier(part).softmax(), f)
            }
            let k = p.shape[1]
            for i in 0..<(end - start) { probs.append(Array(p.values[(i * k)..<((i + 1) * k)])) }
            feats += f.values
            start = end
        }
        return (probs, feats)
    }

    /// Share of `labels` the classifier gets right on real images `x`.
    public func accuracy(_ x: Tensor, labels: [Int]) -> Double {
        let p = evaluate(x).probabilities
        let right = zip(p, labels).filter { argmax($0.0) == $0.1 }.count
        return Double(right) / Double(labels.count)
    }

    /// The chapter-05 measures of a set of images against real reference features.
    public func quality(_ x: Tensor, reference: FeatureStatistics, confidence: Float = 0.9) -> SampleQuality {
        let (p, f) = evaluate(x)
        let classes = p.first?.count ?? 0
        var counts = [Int](repeating: 0, count: classes)
        for row in p { counts[argmax(row)] += 1 }
        let confident = p.filter { ($0.max() ?? 0) >= confidence }.count
        let stats = FeatureStatistics(features: f, count: p.count, dimension: classifier.featureDimension)
        return SampleQuality(confidentShare: Double(confident) / Double(p.count), classCounts: counts,
                             frechet: frechetDistance(stats, reference))
    }
}

/// How real a set of generated images looks to the judge.
public struct SampleQuality: Sendable {
    /// Share of images the classifier assigns to one class with probability ≥ the threshold.
    public let confidentShare: Double
    /// How many images the classifier puts in each class (the spread over classes).
    public let classCounts: [Int]
    /// Fréchet distance between the images' features and the real reference features.
    public let frechet: Double

    /// The measures from their parts.
    public init(confidentShare: Double, classCounts: [Int], frechet: Double) {
        self.confidentShare = confidentShare
        self.classCounts = classCounts
        self.frechet = frechet
    }

    /// Entropy of the predicted-class histogram divided by log(classes): 1 for an even spread, 0
    /// when every image lands in one class.
    public var spread: Double {
        let n = Double(classCounts.reduce(0, +)), k = Double(classCounts.count)
        guard n > 0, k > 1 else { return 0 }
        var h = 0.0
        for c in classCounts where c > 0 { let p = Double(c) / n; h -= p * log(p) }
        return h / log(k)
    }
}

/// Index of the largest value.
func argmax(_ v: [Float]) -> Int { v.indices.max { v[$0] < v[$1] } ?? 0 }
