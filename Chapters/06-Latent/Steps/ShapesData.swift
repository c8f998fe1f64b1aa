import Datasets
import Engine

/// The chapter's data: a training set and a disjoint held-out set of coloured shapes, drawn from
/// different seeds so no image is shared.
public struct ShapesData {
    /// Images the autoencoders, diffusion models and the classifier train on.
    public let train: ColorShapes
    /// Held-out images: reconstruction errors and the real reference for sample quality.
    public let test: ColorShapes

    /// `trainCount` training and `testCount` held-out images from `seed`.
    public init(trainCount: Int, testCount: Int, seed: UInt64) {
        train = ColorShapes(count: trainCount, seed: seed &* 2 &+ 1)
        test = ColorShapes(count: testCount, seed: seed &* 2 &+ 2)
    }
}

/// Random minibatch indices: `batch` distinct draws below `n` (chapter 08 uses it too).
public func batchIndices(_ n: Int, batch: Int, rng: inout RNG) -> [Int] {
    precondition(batch <= n, "batch \(batch) is larger than the \(n) images")
    var picked = Set<Int>(), out: [Int] = []
    while out.count < batch {
        let i = rng.int(n)
        if picked.insert(i).inserted { out.append(i) }
    }
    return out
}
