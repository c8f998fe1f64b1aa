import Datasets
import Engine
import Models

/// The frozen image features the captioner and the VQA model read: the alignment model's 8×8
/// feature grid of every image, computed once, [N, width, 8, 8].
///
/// Reusing a trained vision encoder and keeping it frozen is how ClipCap, BLIP-2 and LLaVA are
/// built: the expensive part (seeing shapes) is learned once, contrastively, and each new task
/// trains only what it adds. Here it also saves the convolutions' forward and backward pass at
/// every step of two more trainings.
public struct FrozenFeatures {
    /// The grids, [N, width, 8, 8].
    public let grid: Tensor

    /// The grids of every image of `set`.
    public init(_ model: AlignmentModel, _ set: SceneSet, batch: Int = 128) {
        grid = Tensor.noGrad {
            var parts: [Tensor] = []
            var s = 0
            while s < set.count {
                let e = min(set.count, s + batch)
                parts.append(model.image.features(set.images.tensor(s..<e)))
                s = e
            }
            return Tensor.concat(parts, axis: 0)
        }
    }

    /// Number of images.
    public var count: Int { grid.shape[0] }

    /// The grids of images `indices`, [n, width, 8, 8] (a copy, outside any graph).
    public func rows(_ indices: [Int]) -> Tensor {
        let per = grid.count / max(1, grid.shape[0])
        let out = Tensor.zeros([indices.count] + Array(grid.shape.dropFirst()))
        for (k, i) in indices.enumerated() { (out.storage.pointer + k * per).update(from: grid.data + i * per, count: per) }
        return out
    }
}

/// A short, stable name for a long cache key (64-bit FNV-1a in hex), so keys that include the
/// alignment model's key stay within file-name limits.
func shortHash(_ text: String) -> String {
    var h: UInt64 = 0xcbf2_9ce4_8422_2325
    for b in text.utf8 { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
    return String(h, radix: 16)
}
