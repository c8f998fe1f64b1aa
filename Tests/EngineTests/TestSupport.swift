import Testing
@testable import Engine

/// A leaf tensor of normal values with a fixed seed.
func randomTensor(_ shape: [Int], seed: UInt64, std: Float = 1, requiresGrad: Bool = true) -> Tensor {
    var rng = RNG(seed: seed)
    return Tensor.randn(shape, std: std, rng: &rng, requiresGrad: requiresGrad)
}

/// Runs the finite-difference check and records every failing input.
func expectGradients(_ inputs: [Tensor], depth: Double = 16, step: Float = 1e-2,
                     sourceLocation: SourceLocation = #_sourceLocation, _ f: ([Tensor]) -> Tensor) {
    let reports = gradientCheck(inputs, step: step, depth: depth, f)
    #expect(!reports.isEmpty, sourceLocation: sourceLocation)
    for r in reports {
        #expect(r.passed, "\(r)", sourceLocation: sourceLocation)
    }
}

/// Largest |a − b| over two equally long arrays.
func maxAbsDiff(_ a: [Float], _ b: [Float]) -> Float {
    precondition(a.count == b.count)
    return zip(a, b).reduce(0) { max($0, abs($1.0 - $1.1)) }
}
