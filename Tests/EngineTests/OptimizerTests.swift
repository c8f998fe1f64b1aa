import Foundation
import Testing
@testable import Engine

/// Feeds `grads[s]` as the gradient before step s and returns the parameter after each step.
private func trajectory(_ p0: [Float], _ grads: [[Float]], make: ([Tensor]) -> any Optimizer) -> [[Float]] {
    let p = Tensor(p0, requiresGrad: true)
    let opt = make([p])
    return grads.map { g in
        p.grad = Tensor(g)
        opt.step()
        return p.values
    }
}

/// The same run in Double, straight from the update formulas.
private func sgdReference(_ p0: [Float], _ grads: [[Float]], lr: Double, momentum: Double, wd: Double) -> [[Double]] {
    var p = p0.map(Double.init)
    var buf: [Double]? = nil
    return grads.map { gf in
        let g = zip(gf, p).map { Double($0) + wd * $1 }
        if momentum == 0 {
            p = zip(p, g).map { $0 - lr * $1 }
        } else {
            let b = buf.map { zip($0, g).map { momentum * $0 + $1 } } ?? g
            buf = b
            p = zip(p, b).map { $0 - lr * $1 }
        }
        return p
    }
}

private func adamReference(_ p0: [Float], _ grads: [[Float]], lr: Double, b1: Double, b2: Double, eps: Double,
                           wd: Double, decoupled: Bool) -> [[Double]] {
    var p = p0.map(Double.init)
    var m = [Double](repeating: 0, count: p.count), v = m
    var out: [[Double]] = []
    for (s, gf) in grads.enumerated() {
        let t = Double(s + 1)
        for i in p.indices {
            if decoupled { p[i] *= 1 - lr * wd }
            let g = Double(gf[i]) + (decoupled ? 0 : wd * p[i])
            m[i] = b1 * m[i] + (1 - b1) * g
            v[i] = b2 * v[i] + (1 - b2) * g * g
            let mHat = m[i] / (1 - pow(b1, t)), vHat = v[i] / (1 - pow(b2, t))
            p[i] -= lr * mHat / (vHat.squareRoot() + eps)
        }
        out.append(p)
    }
    return out
}

/// Largest |float − double| over all steps.
private func maxError(_ a: [[Float]], _ b: [[Double]]) -> Double {
    zip(a, b).reduce(0) { acc, pair in
        zip(pair.0, pair.1).reduce(acc) { max($0, abs(Double($1.0) - $1.1)) }
    }
}

/// Given parameters and gradients for three steps. Errors against the Double reference are a few
/// float32 roundings of values of size ~2 (ulp 2.4e-7), so 2e-6 is a safe bound; a missing bias
/// correction or a wrong momentum rule moves the values by more than 1e-3.
private let p0: [Float] = [1.0, -2.0, 0.5]
private let grads: [[Float]] = [[0.5, -1.0, 0.25], [0.2, 0.4, -0.1], [-0.3, 0.1, 0.05]]
private let tolerance = 2e-6

@Suite struct OptimizerTests {
    // MARK: Hand-computed updates

    @Test func sgdWithMomentumMatchesTheFormula() {
        for (mu, wd) in [(0.0, 0.0), (0.9, 0.0), (0.9, 0.05), (0.0, 0.05)] {
            let got = trajectory(p0, grads) { SGD($0, lr: 0.1, momentum: Float(mu), weightDecay: Float(wd)) }
            let want = sgdReference(p0, grads, lr: 0.1, momentum: mu, wd: wd)
            #expect(maxError(got, want) < tolerance, "momentum \(mu), weight decay \(wd)")
        }
        // Momentum by hand for the first coordinate: b = 0.5, 0.9·0.5 + 0.2 = 0.65, 0.9·0.65 − 0.3 = 0.285.
        let got = trajectory(p0, grads) { SGD($0, lr: 0.1, momentum: 0.9) }
        #expect(abs(Double(got[2][0]) - (1 - 0.1 * (0.5 + 0.65 + 0.285))) < tolerance)
    }

    @Test func adamMatchesTheFormula() {
        for wd in [0.0, 0.1] {
            let got = trajectory(p0, grads) { Adam($0, lr: 0.01, weightDecay: Float(wd)) }
            let want = adamReference(p0, grads, lr: 0.01, b1: 0.9, b2: 0.999, eps: 1e-8, wd: wd, decoupled: false)
            #expect(maxError(got, want) < tolerance, "weight decay \(wd)")
        }
        // The first bias-corrected step is lr·g/|g|: every coordinate moves by lr against its gradient.
        let first = trajectory(p0, [grads[0]]) { Adam($0, lr: 0.01) }[0]
        for i in 0..<3 {
            #expect(abs(Double(first[i] - p0[i]) + 0.01 * Double(grads[0][i].sign == .minus ? -1 : 1)) < tolerance)
        }
    }

    @Test func adamWMatchesTheFormula() {
        for (betas, wd) in [((Float(0.9), Float(0.999)), 0.01), ((0.8, 0.95), 0.1)] {
            let got = trajectory(p0, grads) { AdamW($0, lr: 0.02, betas: betas, weightDecay: Float(wd)) }
            let want = adamReference(p0, grads, lr: 0.02, b1: Double(betas.0), b2: Double(betas.1), eps: 1e-8,
                                     wd: wd, decoupled: true)
            #expect(maxError(got, want) < tolerance, "betas \(betas), weight decay \(wd)")
        }
    }

    @Test func adamWDecayIsDecoupledFromTheAdaptiveStep() {
        // Zero gradient, weight decay 0.1, lr 0.1, one step. AdamW shrinks p by exactly (1 − lr·wd);
        // Adam's L2 term wd·p passes through the normalisation and moves each coordinate by ≈ lr
        // whatever its size.
        let start: [Float] = [2, -0.5]
        let w = trajectory(start, [[0, 0]]) { AdamW($0, lr: 0.1, weightDecay: 0.1) }[0]
        #expect(abs(w[0] - 2 * 0.99) < 1e-6 && abs(w[1] + 0.5 * 0.99) < 1e-6)
        let a = trajectory(start, [[0, 0]]) { Adam($0, lr: 0.1, weightDecay: 0.1) }[0]
        #expect(abs(a[0] - 1.9) < 1e-6 && abs(a[1] + 0.4) < 1e-6)
    }

    @Test func parametersWithoutGradientsAreSkipped() {
        let a = Tensor([1.0], requiresGrad: true), b = Tensor([3.0], requiresGrad: true)
        let opt = AdamW([a, b], lr: 0.01, weightDecay: 0.1)
        for _ in 0..<2 {
            a.grad = Tensor([0.5])
            opt.step()
        }
        #expect(b.values == [3.0])  // not even decayed
        // b's first real update uses its own step count 1 (a move of lr against the gradient after
        // decay), not the optimizer's third step (which would move it by about 0.64·lr).
        b.grad = Tensor([0.2])
        opt.step()
        let expected = 3.0 * (1 - 0.01 * 0.1) - 0.01 * 0.2 / (0.2 + 1e-8)
        #expect(abs(Double(b.values[0]) - expected) < 1e-6)
        opt.zeroGrad()
        #expect(a.grad == nil && b.grad == nil)
    }

    // MARK: Schedule and clipping

    @Test func warmupCosineSchedule() {
        let s = LRSchedule.warmupCosine(base: 1e-3, warmup: 10, total: 110, minLR: 1e-4)
        #expect(s.lr(at: 0) == 0)
        #expect(abs(s.lr(at: 5) - 5e-4) < 1e-9)
        #expect(abs(s.lr(at: 10) - 1e-3) < 1e-9)
        #expect(abs(s.lr(at: 60) - 5.5e-4) < 1e-9)  // halfway through the decay: (base + min)/2
        let quarter = 1e-4 + 9e-4 * (1 + cos(Double.pi / 4)) / 2
        #expect(abs(Double(s.lr(at: 35)) - quarter) < 1e-9)
        #expect(abs(s.lr(at: 110) - 1e-4) < 1e-9)
        #expect(s.lr(at: 500) == 1e-4)
        let decay = (10...110).map { s.lr(at: $0) }
        #expect(zip(decay, decay.dropFirst()).allSatisfy { $0 >= $1 })
        #expect(LRSchedule.constant(0.3).lr(at: 7) == 0.3)
        #expect(LRSchedule.warmupCosine(base: 1, warmup: 0, total: 4, minLR: 0).lr(at: 0) == 1)
    }

    @Test func clipGradNormScalesToTheLimit() {
        let a = Tensor([0, 0], requiresGrad: true), b = Tensor([0], requiresGrad: true)
        let c = Tensor([5], requiresGrad: true)  // no gradient: ignored
        a.grad = Tensor([3, 4]); b.grad = Tensor([12])
        let norm = clipGradNorm([a, b, c], maxNorm: 6.5)  // global norm √(9 + 16 + 144) = 13
        #expect(norm == 13)
        let k = 6.5 / (13 + 1e-6)
        #expect(maxAbsDiff(a.grad!.values, [Float(3 * k), Float(4 * k)]) < 1e-6)
        #expect(abs(Double(b.grad![0]) - 12 * k) < 1e-6)
        let after = (a.grad!.values + b.grad!.values).reduce(0.0) { $0 + Double($1 * $1) }.squareRoot()
        #expect(abs(after - 6.5) < 1e-5)
        // Below the limit nothing changes, and the norm is still reported.
        let n2 = clipGradNorm([a, b], maxNorm: 100)
        #expect(abs(Double(n2) - 6.5) < 1e-5)
        #expect(maxAbsDiff(a.grad!.values, [Float(3 * k), Float(4 * k)]) == 0)
    }

    // MARK: Training

    @Test func adamWTrainsAnMLPOnARegression() {
        // y = sin(2x) on [−2, 2]: variance ≈ 0.44, and the best straight line still leaves ≈ 0.3.
        // A working AdamW gets the MLP to about 2e-5 in 400 full-batch steps; 1e-3 leaves a wide margin
        // while a stalled or wrong-signed update stays near 0.4.
        let n = 64
        let xs = (0..<n).map { -2 + 4 * Float($0) / Float(n - 1) }
        let x = Tensor(shape: [n, 1], values: xs)
        let y = Tensor(shape: [n, 1], values: xs.map { sinf(2 * $0) })
        var rng = RNG(seed: 42)
        let mlp = MLP([1, 32, 32, 1], activation: .tanh, rng: &rng)
        let opt = AdamW(mlp.parameters, lr: 1e-2, weightDecay: 1e-4)
        let schedule = LRSchedule.warmupCosine(base: 1e-2, warmup: 20, total: 400, minLR: 1e-3)
        let initial = mseLoss(mlp(x), y).item()
        var loss: Float = 0
        for step in 0..<400 {
            opt.learningRate = schedule.lr(at: step)
            opt.zeroGrad()
            let l = mseLoss(mlp(x), y)
            l.backward()
            clipGradNorm(opt.parameters, maxNorm: 1)
            opt.step()
            loss = l.item()
        }
        let final = mseLoss(mlp(x), y).item()
        #expect(initial > 0.2)
        #expect(final < 1e-3, "final loss \(final) (last training loss \(loss))")
    }
}
