import Engine
import Foundation

/// Sinusoidal timestep embedding [N, dim]: for frequencies f_j = maxPeriod^(−j/half), j < half =
/// dim/2, the row for step t is [sin(t·f_0) … sin(t·f_{half−1}), cos(t·f_0) … cos(t·f_{half−1})].
///
/// The same construction as the transformer's positional encoding: nearby steps get similar
/// vectors, and the geometric spread of frequencies lets a network read both coarse and fine
/// differences in t. `dim` must be even.
public func timestepEmbedding(_ t: [Int], dim: Int, maxPeriod: Double = 10_000) -> Tensor {
    precondition(dim >= 2 && dim % 2 == 0, "timestepEmbedding: dim must be even and ≥ 2, got \(dim)")
    let half = dim / 2
    let frequencies = (0..<half).map { exp(-log(maxPeriod) * Double($0) / Double(half)) }
    var values = [Float](repeating: 0, count: t.count * dim)
    for (row, step) in t.enumerated() {
        for j in 0..<half {
            let angle = Double(step) * frequencies[j]
            values[row * dim + j] = Float(sin(angle))
            values[row * dim + half + j] = Float(cos(angle))
        }
    }
    return Tensor(shape: [t.count, dim], values: values)
}
