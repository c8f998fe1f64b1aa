import Datasets
import Diffusion
import Engine
import Foundation
import Models

/// Scoring images with a classifier trained on real ones: which kind and colour it sees, and where
/// the images sit in its feature space compared with real images.
///
/// The classifier learns the 12 combinations of kind (3) and colour (4) jointly, so one network
/// gives both attributes and one feature space. Its verdicts are only worth what its accuracy on
/// real held-out images is, so the chapter reports that ceiling beside every score, and the same
/// score for pure noise images as the floor.
public struct ShapeJudge {
    /// The classifier (12 classes: kind · 4 + colour).
    public let classifier: ImageClassifier
    /// Its loss per training step.
    public let losses: [Float]

    /// Number of colours, the stride of the joint label.
    static let colors = ShapeColor.allCases.count

    /// The joint class of an image: kind · 4 + colour.
    public static func jointLabel(_ a: ShapeAttributes) -> Int { a.kind.rawValue * colors + a.color.rawValue }

    /// Trains the classifier on `shapes` (kind and colour jointly), or restores it from `cache`.
    public init(shapes: ColorShapes, steps: Int, batch: Int = 32, width: Int = 16, stages: Int = 3, seed: UInt64, dataKey: String,
                cache: TrainingCache = TrainingCache(folder: nil, fresh: false)) {
        self.init(images: shapes.images, attributes: shapes.attributes, steps: steps, batch: batch, width: width, stages: stages,
                  seed: seed, dataKey: dataKey, cache: cache)
    }

    /// Trains the classifier on any single-shape `images` whose shapes are `attributes` (one per
    /// image), or restores it from `cache`; chapter 08 trains it on single-shape scenes.
    public init(images: ImageSet, attributes: [ShapeAttributes], steps: Int, batch: Int = 32, width: Int = 16, stages: Int = 3,
                seed: UInt64, dataKey: String, cache: TrainingCache = TrainingCache(folder: nil, fresh: false)) {
        precondition(images.count == attributes.count, "ShapeJudge: \(images.count) images, \(attributes.count) attribute sets")
        var rng = RNG(seed: seed)
        let classes = ShapeKind.allCases.count * Self.colors
        let model = ImageClassifier(channels: 3, classes: classes, width: width, stages: stages, rng: &rng)
        let key = "judge-kc-soft-w\(width)-st\(stages)-s\(steps)-b\(batch)-seed\(seed)-\(dataKey)"
        classifier = model
        if let series = cache.restore(model, key: key), let l = series["loss"], l.count == steps {
            losses = l
            return
        }
        let labels = attributes.map(Self.jointLabel)
        let optimizer = Adam(model.parameters, lr: 3e-3)
        var history: [Float] = []
        for _ in 0..<steps {
            let idx = batchIndices(images.count, batch: batch, rng: &rng)
            let x = softenedAtRandom(images.tensor(indices: idx), rng: &rng)
            let loss = crossEntropy(model(x), idx.map { labels[$0] })
            optimizer.zeroGrad()
            loss.backward()
            optimizer.step()
            history.append(loss.item())
        }
        losses = history
        cache.store(model, key: key, series: ["loss": history])
    }

    /// Predicted joint classes and features [n · featureDimension] of images [n, 3, H, W], in batches.
    public func evaluate(_ x: Tensor, batch: Int = 100) -> (classes: [Int], features: [Float]) {
        var classes: [Int] = [], feats: [Float] = []
        var start = 0
        while start < x.shape[0] {
            let end = min(x.shape[0], start + batch)
            let part = rows(x, Array(start..<end))
            let (logits, f) = Tensor.noGrad { () -> (Tensor, Tensor) in
                let f = classifier.features(part)
                return (classifier.logits(features: f), f)
            }
            let k = logits.shape[1], v = logits.values
            for i in 0..<(end - start) { classes.append(argmax(Array(v[(i * k)..<((i + 1) * k)]))) }
            feats += f.values
            start = end
        }
        return (classes, feats)
    }

    /// How often the kind and the colour the classifier sees in `x` match `attributes`.
    public func attributeAccuracy(_ x: Tensor, attributes: [ShapeAttributes]) -> AttributeAccuracy {
        precondition(x.shape[0] == attributes.count, "attributeAccuracy: \(x.shape[0]) images, \(attributes.count) attribute sets")
        let predicted = evaluate(x).classes
        var kindRight = [Int](repeating: 0, count: ShapeKind.allCases.count)
        var kindTotal = kindRight
        var colorRight = 0
        for (p, a) in zip(predicted, attributes) {
            kindTotal[a.kind.rawValue] += 1
            if p / Self.colors == a.kind.rawValue { kindRight[a.kind.rawValue] += 1 }
            if p % Self.colors == a.color.rawValue { colorRight += 1 }
        }
        return AttributeAccuracy(
            perKind: zip(kindRight, kindTotal).map { $1 == 0 ? 0 : Double($0) / Double($1) },
            kind: Double(kindRight.reduce(0, +)) / Double(attributes.count),
            color: Double(colorRight) / Double(attributes.count))
    }

    /// Precision, recall and Fréchet distance of `x` against real images `reference`, plus the
    /// kinds the classifier sees in `x`.
    public func quality(_ x: Tensor, reference: Tensor) -> SampleQuality {
        let (classes, f) = evaluate(x)
        let real = evaluate(reference).features
        let d = classifier.featureDimension
        var kinds = [Int](repeating: 0, count: ShapeKind.allCases.count)
        for c in classes { kinds[c / Self.colors] += 1 }
        let pr = PrecisionRecall(real: real, generated: f, dimension: d)
        let fd = frechetDistance(FeatureStatistics(features: f, count: classes.count, dimension: d),
                                 FeatureStatistics(features: real, count: reference.shape[0], dimension: d))
        return SampleQuality(precision: pr.precision, recall: pr.recall, kindCounts: kinds, frechet: fd)
    }
}

/// Each image of [N, C, H, W] mixed with its 3×3 blur by a random amount a ~ U(0, 1):
/// (1 − a)·x + a·blur(x), where blur weights the centre 4, edges 2 and corners 1 (sum 16) and
/// repeats the border. The judge trains on such images so that its features describe kind,
/// colour, size and place rather than how crisp an edge is: every decoded image is a little
/// softer than a drawn one, and a judge that keyed on crispness would call them all fake.
public func softenedAtRandom(_ x: Tensor, rng: inout RNG) -> Tensor {
    softened(x, amounts: (0..<x.shape[0]).map { _ in rng.uniform() })
}

/// Image i of [N, C, H, W] mixed with its 3×3 blur: (1 − amounts[i])·x + amounts[i]·blur(x).
public func softened(_ x: Tensor, amounts: [Float]) -> Tensor {
    let n = x.shape[0], c = x.shape[1], h = x.shape[2], w = x.shape[3]
    precondition(amounts.count == n, "softened: \(amounts.count) amounts for \(n) images")
    let src = x.values
    var out = src
    let weights: [Float] = [1, 2, 1, 2, 4, 2, 1, 2, 1]
    for i in 0..<n {
        let a = amounts[i]
        for ch in 0..<c {
            let base = (i * c + ch) * h * w
            for y in 0..<h {
                for xx in 0..<w {
                    var s: Float = 0
                    for dy in -1...1 {
                        for dx in -1...1 {
                            let yy = min(max(y + dy, 0), h - 1), xc = min(max(xx + dx, 0), w - 1)
                            s += weights[(dy + 1) * 3 + dx + 1] * src[base + yy * w + xc]
                        }
                    }
                    out[base + y * w + xx] = (1 - a) * src[base + y * w + xx] + a * s / 16
                }
            }
        }
    }
    return Tensor(shape: x.shape, values: out)
}

/// Share of images whose kind and colour the judge names correctly.
public struct AttributeAccuracy: Sendable {
    /// Kind accuracy among images of each kind (circle, square, triangle).
    public let perKind: [Double]
    /// Kind accuracy over all images.
    public let kind: Double
    /// Colour accuracy over all images.
    public let color: Double
}

/// How real a set of generated images looks to the judge.
public struct SampleQuality: Sendable {
    /// Share of the images inside the real images' region of feature space (k = 3 balls).
    public let precision: Double
    /// Share of the real images inside the generated images' region (do samples cover the data?).
    public let recall: Double
    /// How many images the classifier puts in each kind (circle, square, triangle).
    public let kindCounts: [Int]
    /// Fréchet distance between the images' features and the real reference features.
    public let frechet: Double

    /// The measures from their parts.
    public init(precision: Double, recall: Double, kindCounts: [Int], frechet: Double) {
        self.precision = precision
        self.recall = recall
        self.kindCounts = kindCounts
        self.frechet = frechet
    }
}

/// Index of the largest value.
func argmax(_ v: [Float]) -> Int { v.indices.max { v[$0] < v[$1] } ?? 0 }
