import Engine

/// Step 2: every op family of the engine against finite differences, one row per op.
public struct GradientSurveyRow: Sendable {
    /// The op, for example "matmul" or "layerNorm".
    public let op: String
    /// Largest |autograd − finite difference| over all inputs' elements.
    public let maxError: Double
    /// Largest error as a fraction of the tolerance argued in `gradientCheck` (≤ 1 passes).
    public let worstRatio: Double
}

/// Runs `gradientCheck` on small random inputs for a representative op of each family.
public func gradientSurvey(seed: UInt64) -> [GradientSurveyRow] {
    var rng = RNG(seed: seed)
    func r(_ shape: [Int]) -> Tensor { Tensor.randn(shape, rng: &rng, requiresGrad: true) }
    let a = r([3, 4]), b = r([4]), m = r([4, 5]), c = r([2, 4, 3, 3]), w = r([3, 4, 3, 3])
    let positive = Tensor((0..<6).map { 0.5 + Float($0) * 0.3 }, requiresGrad: true)
    let cases: [(String, [Tensor], Double, ([Tensor]) -> Tensor)] = [
        ("add (broadcast)", [a, b], 4, { $0[0] + $0[1] }),
        ("mul (broadcast)", [a, b], 4, { $0[0] * $0[1] }),
        ("div", [a, positive.slice(axis: 0, 0..<4).detach()], 4, { $0[0] / $0[1] }),
        ("exp, log", [positive], 8, { $0[0].log().exp().log() }),
        ("tanh, sigmoid", [a], 8, { $0[0].tanh().sigmoid() }),
        ("gelu, silu", [a], 8, { $0[0].gelu().silu() }),
        ("sum, mean, max", [a], 8, { $0[0].sum(axes: [1]) + $0[0].mean(axes: [1]) + $0[0].max(axis: 1) }),
        ("matmul", [a, m], 8, { $0[0].matmul($0[1]) }),
        ("permute, slice, concat", [a], 4, { Tensor.concat([$0[0].transpose().slice(axis: 0, 1..<3), $0[0].transpose()], axis: 0) }),
        ("softmax", [a], 16, { $0[0].softmax() }),
        ("cross-entropy", [a], 16, { crossEntropy($0[0], [0, 3, 1]) }),
        ("layerNorm", [a], 64, { $0[0].layerNorm(weight: nil, bias: nil) }),
        ("groupNorm", [c], 64, { $0[0].groupNorm(groups: 2, weight: nil, bias: nil) }),
        ("conv2d", [c, w], 64, { conv2d($0[0], $0[1], nil, stride: 1, padding: 1) }),
    ]
    return cases.map { name, inputs, depth, f in
        let reports = gradientCheck(inputs, depth: depth, only: Array(inputs.indices).filter { inputs[$0].requiresGrad }, f)
        return GradientSurveyRow(op: name, maxError: reports.map(\.maxError).max() ?? 0,
                                 worstRatio: reports.map(\.worstRatio).max() ?? 0)
    }
}
