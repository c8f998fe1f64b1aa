import Testing
@testable import Engine

/// Reductions, shape ops and matrix products: values against loops, gradients against differences.
@Suite struct ReduceShapeGradTests {
    @Test func sumMeanMaxValues() {
        let x = Tensor(shape: [2, 3], values: [1, 5, 3, -4, 2, 0])
        #expect(x.sum().item() == 7)
        #expect(x.sum(axes: [0]).values == [-3, 7, 3])
        #expect(x.sum(axes: [1], keepDims: true).shape == [2, 1])
        #expect(x.mean(axes: [1]).values == [3, -2 / 3])
        #expect(x.max(axis: 1).values == [5, 2])
        #expect(x.max(axis: 0, keepDims: true).values == [1, 5, 3])
    }

    @Test func reductionGradients() {
        let x = randomTensor([3, 4, 2], seed: 10)
        expectGradients([x]) { $0[0].sum(axes: [1]) }
        expectGradients([x]) { $0[0].sum(axes: [0, 2], keepDims: true) }
        expectGradients([x]) { $0[0].mean(axes: [2]) }
        expectGradients([x]) { $0[0].mean() }
        expectGradients([x]) { $0[0].max(axis: 1) }
    }

    @Test func shapeOpGradients() {
        let x = randomTensor([2, 3, 4], seed: 11)
        expectGradients([x]) { $0[0].reshape([6, 4]) }
        expectGradients([x]) { $0[0].permute([2, 0, 1]) }
        expectGradients([x]) { $0[0].transpose(0, 1) }
        expectGradients([x]) { $0[0].slice(axis: 2, 1..<3) }
        expectGradients([x]) { t in
            let parts = t[0].split(axis: 1, sizes: [1, 2])
            return parts[0] * parts[1].sum(axes: [1], keepDims: true)
        }
        let y = randomTensor([2, 1, 4], seed: 12)
        expectGradients([x, y]) { Tensor.concat([$0[0], $0[1]], axis: 1) }
    }

    @Test func permuteMatchesIndexing() {
        let x = randomTensor([2, 3, 4], seed: 13, requiresGrad: false)
        let y = x.permute([2, 0, 1])
        #expect(y.shape == [4, 2, 3])
        for i in 0..<2 { for j in 0..<3 { for k in 0..<4 { #expect(y[k, i, j] == x[i, j, k]) } } }
    }

    @Test func matmulMatchesTripleLoop() {
        for (m, k, n) in [(1, 1, 1), (7, 33, 5), (4, 127, 9)] {
            let a = randomTensor([m, k], seed: 20, requiresGrad: false)
            let b = randomTensor([k, n], seed: 21, requiresGrad: false)
            let c = a.matmul(b)
            for i in 0..<m { for j in 0..<n {
                var s: Double = 0
                for p in 0..<k { s += Double(a[i, p]) * Double(b[p, j]) }
                // Float32 dot of length k: error ≤ k·u·Σ|a||b| ≈ k·6e-8·k for unit normals.
                #expect(abs(Double(c[i, j]) - s) <= Double(k * k) * 6e-8 + 1e-6)
            } }
        }
    }

    @Test func matmulGradientsSharedAndBatched() {
        let a = randomTensor([2, 3, 4], seed: 22), w = randomTensor([4, 5], seed: 23)
        expectGradients([a, w]) { $0[0].matmul($0[1]) }
        let b = randomTensor([2, 4, 2], seed: 24)
        expectGradients([a, b]) { $0[0].matmul($0[1]) }
    }

    @Test func linearGradients() {
        let x = randomTensor([2, 3, 4], seed: 25), w = randomTensor([5, 4], seed: 26), b = randomTensor([5], seed: 27)
        expectGradients([x, w, b]) { linear($0[0], $0[1], $0[2]) }
        expectGradients([x, w]) { linear($0[0], $0[1], nil) }
        // Against the unfused form x·Wᵀ + b.
        let y1 = linear(x, w, b).values, y2 = (x.matmul(w.transpose()) + b).values
        #expect(maxAbsDiff(y1, y2) < 1e-5)
    }

    /// The bias gradient adds the rows of G one after another, in row order, for every column:
    /// its bits must be exactly those of that float loop (a pairwise or row-split sum would
    /// differ). Widths cover one and several columns, odd ones, and a split over threads.
    @Test func linearBiasGradientSumsRowsInOrder() {
        let rows = 37, inF = 3
        for outF in [1, 7, 16, 64, 65, 150] {
            let x = randomTensor([rows, inF], seed: 30), w = randomTensor([outF, inF], seed: 31)
            let b = randomTensor([outF], seed: 32), g = randomTensor([rows, outF], seed: UInt64(33 + outF), requiresGrad: false)
            linear(x, w, b).backward(g)
            let gv = g.values
            var want = [Float](repeating: 0, count: outF)
            for r in 0..<rows { for c in 0..<outF { want[c] += gv[r * outF + c] } }
            let got = b.grad?.values ?? []
            #expect(got.map(\.bitPattern) == want.map(\.bitPattern), "outF \(outF)")
        }
    }
}
