/// Rescales all gradients together so their global L2 norm is at most `maxNorm`, as
/// `torch.nn.utils.clip_grad_norm_`: the norm is taken over every gradient as one vector, and when
/// it exceeds `maxNorm` every gradient is multiplied by maxNorm/(norm + 1e-6).
///
/// Parameters without a gradient are ignored. The sum of squares is accumulated in Double so a
/// model with millions of parameters loses nothing to float32 rounding.
/// - Returns: the global norm before clipping (useful to log: spikes warn of instability).
@discardableResult
public func clipGradNorm(_ parameters: [Tensor], maxNorm: Float) -> Float {
    var sumSquares = 0.0
    for p in parameters {
        guard let g = p.grad else { continue }
        let d = g.data
        for i in 0..<g.count { let v = Double(d[i]); sumSquares += v * v }
    }
    let norm = sumSquares.squareRoot()
    let coefficient = Double(maxNorm) / (norm + 1e-6)
    if coefficient < 1 {
        let c = Float(coefficient)
        for p in parameters {
            guard let g = p.grad else { continue }
            let d = g.mutableData
            for i in 0..<g.count { d[i] *= c }
        }
    }
    return Float(norm)
}
