import Testing
@testable import Engine

/// Finite-difference checks of the element-wise ops, including broadcasting in both directions.
@Suite struct ElementwiseGradTests {
    @Test func addSubMulDivWithBroadcasting() {
        let a = randomTensor([3, 4], seed: 1), b = randomTensor([4], seed: 2)
        let c = randomTensor([3, 1], seed: 3)
        expectGradients([a, b]) { $0[0] + $0[1] }
        expectGradients([a, b]) { $0[0] - $0[1] }
        expectGradients([a, c]) { $0[0] * $0[1] }
        // Keep divisors away from zero so 1/b is smooth over the finite-difference step.
        let d = Tensor(shape: [3, 1], values: [1.5, -2, 2.5], requiresGrad: true)
        expectGradients([a, d]) { $0[0] / $0[1] }
    }

    @Test func broadcastValuesMatchExplicitLoops() {
        let a = randomTensor([2, 1, 3], seed: 4, requiresGrad: false)
        let b = randomTensor([4, 1], seed: 5, requiresGrad: false)
        let y = a * b
        #expect(y.shape == [2, 4, 3])
        for i in 0..<2 { for j in 0..<4 { for k in 0..<3 {
            #expect(y[i, j, k] == a[i, 0, k] * b[j, 0])
        } } }
    }

    @Test func unaryOps() {
        let x = randomTensor([2, 5], seed: 6)
        expectGradients([x]) { $0[0].exp() }
        expectGradients([x]) { $0[0].tanh() }
        expectGradients([x]) { $0[0].sigmoid() }
        expectGradients([x]) { $0[0].gelu() }
        expectGradients([x]) { $0[0].silu() }
        expectGradients([x]) { $0[0].square() }
        expectGradients([x]) { -$0[0] }
        // log, sqrt and pow on positive inputs well away from 0.
        let p = Tensor((0..<6).map { 0.5 + Float($0) * 0.4 }, requiresGrad: true)
        expectGradients([p]) { $0[0].log() }
        expectGradients([p]) { $0[0].sqrt() }
        expectGradients([p]) { $0[0].pow(2.5) }
        // relu away from its kink at 0 (the finite difference is undefined there).
        let r = Tensor([-1.5, -0.7, 0.4, 1.2, 2.0, -0.3], requiresGrad: true)
        expectGradients([r]) { $0[0].relu() }
    }

    @Test func geluMatchesErfDefinition() {
        // GELU(x) = x·Φ(x); Φ(1) = 0.8413447460685429, Φ(-2) = 0.022750131948179195.
        let y = Tensor([1, -2]).gelu().values
        #expect(abs(y[0] - 0.8413447) < 1e-6)
        #expect(abs(y[1] - (-2 * 0.02275013)) < 1e-6)
    }

    @Test func gradientsAccumulateAcrossUsesAndCalls() {
        let x = Tensor([2, 3], requiresGrad: true)
        let y = (x * x + x).sum()  // dy/dx = 2x + 1
        y.backward()
        #expect(x.grad!.values == [5, 7])
        y.backward()  // no zeroGrad: accumulates
        #expect(x.grad!.values == [10, 14])
        x.zeroGrad()
        y.backward()
        #expect(x.grad!.values == [5, 7])
    }

    @Test func noGradRecordsNothing() {
        let x = Tensor([1, 2], requiresGrad: true)
        let y = Tensor.noGrad { x * x }
        #expect(!y.requiresGrad)
        #expect(y.node == nil)
        let z = (x * x).detach()
        #expect(!z.requiresGrad)
    }

    @Test func graphDoesNotRetainOutputs() {
        // The output owns its node; the node's closure must not own the output back.
        weak var weakOut: Tensor?
        let x = Tensor([1, 2, 3], requiresGrad: true)
        do {
            let y = x.exp().sum()
            weakOut = y
            y.backward()
        }
        #expect(weakOut == nil)
    }

    @Test func deepChainBackwardIsIterative() {
        // 20,000 nodes would overflow a recursive topological sort's stack.
        let x = Tensor([0.5], requiresGrad: true)
        var y = x
        for _ in 0..<20_000 { y = y.shifted(0.0001) }
        y.sum().backward()
        #expect(x.grad!.values == [1])
    }
}

/// The checker itself must reject a wrong gradient, or every other check proves nothing.
@Suite struct GradCheckSelfTests {
    @Test func detectsAWrongBackwardRule() {
        let x = randomTensor([4], seed: 50)
        // x³ with the derivative off by a factor 2 (2x² instead of 3x²).
        let reports = gradientCheck([x]) { t in
            let v = t[0]
            let out = mapUnary(v) { $0 * $0 * $0 }
            return Tensor.record(out, [v]) { g in [mapBinary(g, v) { $0 * 2 * $1 * $1 }] }
        }
        #expect(reports.count == 1)
        #expect(!reports[0].passed)
    }

    @Test func acceptsTheRightRule() {
        let x = randomTensor([4], seed: 50)
        let reports = gradientCheck([x]) { t in
            let v = t[0]
            let out = mapUnary(v) { $0 * $0 * $0 }
            return Tensor.record(out, [v]) { g in [mapBinary(g, v) { $0 * 3 * $1 * $1 }] }
        }
        #expect(reports.allSatisfy { $0.passed })
    }
}
