import Engine
import Datasets

/// Step 3: a small MLP learns to separate the two moons.
public struct TwoMoonsConfig: Sendable {
    /// Training and test points.
    public var trainPoints = 1000, testPoints = 1000
    /// Hidden layer widths.
    public var hidden = [32, 32]
    /// Full-batch AdamW steps and learning rate.
    public var steps = 600, learningRate: Float = 0.01
    /// Label noise of the moons.
    public var noise: Float = 0.1

    public init() {}

    /// A smaller run for `--quick` and tests.
    public static var quick: TwoMoonsConfig {
        var c = TwoMoonsConfig()
        c.steps = 300
        return c
    }
}

/// What training produced: the curve, the model and its accuracy on unseen points.
public struct TwoMoonsResult {
    public let model: MLP
    public let train: PointSet, test: PointSet
    /// Cross-entropy (nats) after each step.
    public let losses: [Float]
    /// Training accuracy after each step.
    public let trainAccuracy: [Float]
    /// Accuracy on the held-out points after training.
    public let testAccuracy: Float
}

/// Fraction of points whose arg-max logit is their label.
public func accuracy(_ model: MLP, _ set: PointSet) -> Float {
    let logits = Tensor.noGrad { model(set.tensor) }
    var right = 0
    for i in 0..<set.count where (logits[i, 1] > logits[i, 0] ? 1 : 0) == set.labels[i] { right += 1 }
    return Float(right) / Float(set.count)
}

/// Trains the classifier with full-batch AdamW. Deterministic for a given seed.
public func trainTwoMoons(_ config: TwoMoonsConfig, seed: UInt64, onStep: (Int) -> Void = { _ in }) throws -> TwoMoonsResult {
    var rng = RNG(seed: seed)
    let train = Points2D.twoMoons(config.trainPoints, noise: config.noise, rng: &rng)
    let test = Points2D.twoMoons(config.testPoints, noise: config.noise, rng: &rng)
    let model = MLP([2] + config.hidden + [2], activation: .tanh, rng: &rng)
    let optimizer = AdamW(model.parameters, lr: config.learningRate, weightDecay: 0)
    var accs: [Float] = []
    let x = train.tensor
    let losses = try trainingLoop(steps: config.steps, optimizer: optimizer, lossName: "loss",
                                  afterStep: { step, _ in onStep(step) }) { _ in
        let logits = model(x)
        // Accuracy of the logits this step trains on (before its update).
        var right = 0
        for i in 0..<train.count where (logits[i, 1] > logits[i, 0] ? 1 : 0) == train.labels[i] { right += 1 }
        accs.append(Float(right) / Float(train.count))
        return crossEntropy(logits, train.labels)
    }
    return TwoMoonsResult(model: model, train: train, test: test, losses: losses, trainAccuracy: accs,
                          testAccuracy: accuracy(model, test))
}

/// Probability of class 1 at the centres of a `resolution`×`resolution` grid over the box, row 0
/// at the bottom (lowest y), as the decision-boundary figure's background field expects.
public func decisionGrid(_ model: MLP, x: ClosedRange<Float>, y: ClosedRange<Float>, resolution: Int) -> [Float] {
    var pts: [Float] = []
    for r in 0..<resolution {
        let py = y.lowerBound + (y.upperBound - y.lowerBound) * (Float(r) + 0.5) / Float(resolution)
        for c in 0..<resolution {
            let px = x.lowerBound + (x.upperBound - x.lowerBound) * (Float(c) + 0.5) / Float(resolution)
            pts += [px, py]
        }
    }
    let probs = Tensor.noGrad { model(Tensor(shape: [resolution * resolution, 2], values: pts)).softmax() }
    return (0..<(resolution * resolution)).map { probs.data[2 * $0 + 1] }
}
