import Testing
@testable import Engine

/// conv2d against hand-computed values and a direct-loop reference, its gradients, upsampling and
/// average pooling, thread-count independence, and the Conv2d layer.
@Suite struct ConvolutionTests {
    /// A tensor with the absolute values of `t` (no graph).
    private func absolute(_ t: Tensor) -> Tensor { Tensor(shape: t.shape, values: t.values.map { abs($0) }) }

    /// Compares conv2d with the Double reference, element by element.
    ///
    /// Tolerance: each output is K = Cin·kH·kW float32 products summed in order from 0, then the bias
    /// added: K + 1 roundings of partial sums, so |error| ≤ γ_{K+1}·(Σ|w·x| + |b|) with
    /// γ_n = n·u/(1 − n·u), u = 2⁻²⁴. Rounding the Double reference to float32 adds u·|y| more.
    /// The magnitude Σ|w·x| + |b| is the reference convolution of the absolute values, so the bound
    /// is (K + 3)·u·that, the extra u covering γ's denominator and the Double sums' own error.
    private func expectMatchesReference(n: Int, cin: Int, cout: Int, h: Int, w: Int, kh: Int, kw: Int,
                                        stride: Int, padding: Int, bias: Bool, seed: UInt64,
                                        sourceLocation: SourceLocation = #_sourceLocation) {
        let x = randomTensor([n, cin, h, w], seed: seed, requiresGrad: false)
        let wt = randomTensor([cout, cin, kh, kw], seed: seed + 1, requiresGrad: false)
        let b = bias ? randomTensor([cout], seed: seed + 2, requiresGrad: false) : nil
        let y = conv2d(x, wt, b, stride: stride, padding: padding)
        let ref = conv2dReference(x, wt, b, stride: stride, padding: padding)
        let mag = conv2dReference(absolute(x), absolute(wt), b.map(absolute), stride: stride, padding: padding)
        let ho = (h + 2 * padding - kh) / stride + 1, wo = (w + 2 * padding - kw) / stride + 1
        #expect(y.shape == [n, cout, ho, wo], sourceLocation: sourceLocation)
        #expect(ref.shape == y.shape, sourceLocation: sourceLocation)
        let k = Double(cin * kh * kw), u = 1.0 / 16_777_216.0
        let yv = y.values, rv = ref.values, mv = mag.values
        var worst = 0.0
        for i in 0..<yv.count {
            let tol = (k + 3) * u * Double(mv[i])
            let err = abs(Double(yv[i]) - Double(rv[i]))
            worst = max(worst, tol > 0 ? err / tol : (err > 0 ? .infinity : 0))
        }
        #expect(worst <= 1, "error reached \(worst) of the rounding bound", sourceLocation: sourceLocation)
    }

    @Test func handComputedTinyConvolution() {
        // x = 1…9 as a 3×3 image, kernel [[1, 2], [3, 4]]: each output is x[i,j] + 2x[i,j+1] + 3x[i+1,j] + 4x[i+1,j+1].
        // A flipped kernel (true convolution) would give 23, 33, 53, 63 instead.
        let x = Tensor(shape: [1, 1, 3, 3], values: [1, 2, 3, 4, 5, 6, 7, 8, 9])
        let w = Tensor(shape: [1, 1, 2, 2], values: [1, 2, 3, 4])
        #expect(conv2d(x, w, nil).values == [37, 47, 67, 77])
        #expect(conv2d(x, w, Tensor([0.5])).values == [37.5, 47.5, 67.5, 77.5])
        // Padding 1, stride 2: windows start at (−1, −1), (−1, 1), (1, −1), (1, 1).
        // (−1,−1) sees only x[0,0]·4 = 4; (−1,1) sees 2·3 + 3·4 = 18; (1,−1) sees 4·2 + 7·4 = 36; (1,1) = 77.
        let y = conv2d(x, w, nil, stride: 2, padding: 1)
        #expect(y.shape == [1, 1, 2, 2])
        #expect(y.values == [4, 18, 36, 77])
    }

    @Test func handComputedChannelsAndSamples() {
        // Two input channels are summed; two output channels and two samples stay apart.
        // Sample 0: channel 0 all 1, channel 1 all 2; sample 1 is sample 0 times 10. 1×1 kernels.
        let x = Tensor(shape: [2, 2, 1, 2], values: [1, 1, 2, 2, 10, 10, 20, 20])
        let w = Tensor(shape: [2, 2, 1, 1], values: [1, 1, 3, -1])  // out0 = c0 + c1, out1 = 3c0 − c1
        let y = conv2d(x, w, Tensor([0, 100]))
        #expect(y.shape == [2, 2, 1, 2])
        #expect(y.values == [3, 3, 101, 101, 30, 30, 110, 110])
    }

    @Test func matchesDirectLoopsOnAwkwardShapes() {
        // 3×3 padding 1 on odd sizes, one input channel.
        expectMatchesReference(n: 1, cin: 1, cout: 3, h: 7, w: 5, kh: 3, kw: 3, stride: 1, padding: 1, bias: true, seed: 100)
        // 1×1 kernels, three samples.
        expectMatchesReference(n: 3, cin: 2, cout: 3, h: 5, w: 7, kh: 1, kw: 1, stride: 1, padding: 0, bias: true, seed: 110)
        // Stride 2 with padding on odd sizes.
        expectMatchesReference(n: 3, cin: 3, cout: 2, h: 7, w: 7, kh: 3, kw: 3, stride: 2, padding: 1, bias: false, seed: 120)
        // Stride 2 that leaves the last row and column unused: (6 − 3)/2 + 1 = 2.
        expectMatchesReference(n: 2, cin: 1, cout: 1, h: 6, w: 6, kh: 3, kw: 3, stride: 2, padding: 0, bias: true, seed: 130)
        // Rectangular kernel, padding wider than needed (outputs that see only padding plus bias).
        expectMatchesReference(n: 2, cin: 4, cout: 5, h: 5, w: 9, kh: 3, kw: 1, stride: 1, padding: 2, bias: true, seed: 140)
        // Kernel as large as the image: one output pixel per channel.
        expectMatchesReference(n: 1, cin: 2, cout: 3, h: 5, w: 5, kh: 5, kw: 5, stride: 1, padding: 0, bias: true, seed: 150)
        // A larger case with a long dot product (K = 144).
        expectMatchesReference(n: 3, cin: 16, cout: 8, h: 9, w: 11, kh: 3, kw: 3, stride: 1, padding: 1, bias: true, seed: 160)
    }

    @Test func gradientsWithStrideAndPadding() {
        let x = randomTensor([2, 2, 5, 5], seed: 200), w = randomTensor([3, 2, 3, 3], seed: 201)
        let b = randomTensor([3], seed: 202)
        // Depth: 18 products and the bias per output.
        expectGradients([x, w, b], depth: 19) { conv2d($0[0], $0[1], $0[2], stride: 2, padding: 1) }
        expectGradients([x, w, b], depth: 19) { conv2d($0[0], $0[1], $0[2], stride: 1, padding: 1) }
    }

    @Test func gradientsOfOddShapesAndNoBias() {
        let x = randomTensor([3, 1, 7, 5], seed: 210), w = randomTensor([2, 1, 2, 3], seed: 211)
        expectGradients([x, w], depth: 7) { conv2d($0[0], $0[1], nil, stride: 2, padding: 0) }
        let x1 = randomTensor([2, 3, 4, 3], seed: 212), w1 = randomTensor([4, 3, 1, 1], seed: 213)
        let b1 = randomTensor([4], seed: 214)
        expectGradients([x1, w1, b1], depth: 4) { conv2d($0[0], $0[1], $0[2]) }
    }

    @Test func gradientReachesOnlyInputsThatAskForIt() {
        let x = randomTensor([1, 2, 4, 4], seed: 220, requiresGrad: false)
        let w = randomTensor([2, 2, 3, 3], seed: 221)
        let y = conv2d(x, w, nil, padding: 1)
        y.backward(Tensor.ones(y.shape))
        #expect(x.grad == nil)
        // With a seed of ones, dW[co, c, i, j] is the sum of x[c] over the pixels window (i, j) visits.
        let dw = try! #require(w.grad)
        var expected: Float = 0
        for yy in 0..<4 { for xx in 0..<4 where yy <= 2 && xx <= 2 { expected += x[0, 0, yy, xx] } }
        #expect(abs(dw[1, 0, 0, 0] - expected) < 1e-5)  // top-left tap sees rows/cols 0…2 only
    }

    @Test func upsampleValuesAndGradient() {
        let x = Tensor(shape: [1, 1, 2, 2], values: [1, 2, 3, 4], requiresGrad: true)
        let y = x.upsampleNearest(factor: 2)
        #expect(y.shape == [1, 1, 4, 4])
        #expect(y.values == [1, 1, 2, 2,
                             1, 1, 2, 2,
                             3, 3, 4, 4,
                             3, 3, 4, 4])
        // Gradient 0…15: each input gets the sum of its 2×2 block,
        // 0+1+4+5, 2+3+6+7, 8+9+12+13, 10+11+14+15.
        y.backward(Tensor(shape: [1, 1, 4, 4], values: (0..<16).map(Float.init)))
        #expect(x.grad!.values == [10, 18, 42, 50])
        let z = randomTensor([2, 3, 3, 2], seed: 230)
        #expect(z.upsampleNearest(factor: 3).shape == [2, 3, 9, 6])
        expectGradients([z], depth: 1) { $0[0].upsampleNearest(factor: 3) }
    }

    @Test func avgPoolValuesAndGradient() {
        let x = Tensor(shape: [1, 1, 4, 4], values: (0..<16).map(Float.init), requiresGrad: true)
        let y = x.avgPool2d(kernel: 2)
        #expect(y.shape == [1, 1, 2, 2])
        #expect(y.values == [2.5, 4.5, 10.5, 12.5])  // (0+1+4+5)/4, (2+3+6+7)/4, …
        y.backward(Tensor(shape: [1, 1, 2, 2], values: [4, 8, 12, 16]))
        #expect(x.grad!.values == [1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4])

        // Overlapping windows (stride 1): the centre pixel is in all four windows.
        let o = Tensor(shape: [1, 1, 3, 3], values: (0..<9).map(Float.init), requiresGrad: true)
        let p = o.avgPool2d(kernel: 2, stride: 1)
        #expect(p.values == [2, 3, 5, 6])
        p.backward(Tensor.ones(p.shape))
        #expect(o.grad!.values == [0.25, 0.5, 0.25, 0.5, 1, 0.5, 0.25, 0.5, 0.25])

        // Odd size: the last row and column fall outside every window and get no gradient.
        let r = randomTensor([2, 2, 5, 5], seed: 240)
        #expect(r.avgPool2d(kernel: 2).shape == [2, 2, 2, 2])
        expectGradients([r], depth: 5) { $0[0].avgPool2d(kernel: 2) }
        expectGradients([r], depth: 10) { $0[0].avgPool2d(kernel: 3, stride: 1) }
        r.grad = nil
        r.avgPool2d(kernel: 2).backward(Tensor.ones([2, 2, 2, 2]))
        #expect(r.grad![0, 1, 4, 2] == 0 && r.grad![1, 0, 3, 4] == 0 && r.grad![1, 1, 3, 3] == 0.25)
    }

    /// conv2d's gradients in Double by their definitions: dx[n,c,y,x] = Σ g·w over the windows that
    /// read the pixel, dw[co,c,i,j] = Σ g·x over samples and pixels, db[co] = Σ g; with the sums of
    /// absolute products as error scales.
    private func referenceGradients(_ x: Tensor, _ w: Tensor, _ g: Tensor, stride: Int, padding: Int)
        -> (dx: [Double], dw: [Double], db: [Double], dxScale: [Double], dwScale: [Double], dbScale: [Double]) {
        let geo = ConvGeometry(x: x.shape, w: w.shape, stride: stride, padding: padding)
        var dx = [Double](repeating: 0, count: x.count), dxs = dx
        var dw = [Double](repeating: 0, count: w.count), dws = dw
        var db = [Double](repeating: 0, count: geo.cout), dbs = db
        for n in 0..<geo.n { for co in 0..<geo.cout { for oy in 0..<geo.ho { for ox in 0..<geo.wo {
            let gv = Double(g.data[((n * geo.cout + co) * geo.ho + oy) * geo.wo + ox])
            db[co] += gv; dbs[co] += abs(gv)
            for c in 0..<geo.cin { for i in 0..<geo.kh { for j in 0..<geo.kw {
                let y = oy * stride - padding + i, xx = ox * stride - padding + j
                guard y >= 0 && y < geo.h && xx >= 0 && xx < geo.w else { continue }
                let xi = ((n * geo.cin + c) * geo.h + y) * geo.w + xx, wi = ((co * geo.cin + c) * geo.kh + i) * geo.kw + j
                dx[xi] += gv * Double(w.data[wi]); dxs[xi] += abs(gv * Double(w.data[wi]))
                dw[wi] += gv * Double(x.data[xi]); dws[wi] += abs(gv * Double(x.data[xi]))
            } } }
        } } } }
        return (dx, dw, db, dxs, dws, dbs)
    }

    /// The grouped kernels (ConvBlocking) on batches that make one group, several groups with a
    /// short last one, and more groups than dW chunks, against the Double definitions; the same
    /// bits for 1 and 2 threads. The last two are "same" stride-1 shapes of 32-pixel multiples,
    /// whose dx conv2d computes as a convolution of the upstream gradient (3×3 and 5×5 filters).
    /// Tolerance: a sum of m products is within (m + 2)·u of its absolute sum, m the longest sum
    /// (dW's N·Ho·Wo).
    @Test("conv2d forward and backward over sample groups match the definitions",
          arguments: [[1, 3, 5, 7, 4, 3, 1, 1], [7, 2, 4, 4, 3, 3, 1, 1], [33, 2, 3, 3, 3, 3, 2, 1],
                      [127, 2, 3, 3, 3, 3, 1, 1], [1100, 1, 3, 3, 2, 2, 1, 0], [5, 3, 33, 17, 2, 3, 1, 1],
                      [6, 5, 8, 8, 7, 3, 1, 1], [3, 4, 8, 4, 3, 5, 1, 2]])
    func groupedMatchesDefinitions(c: [Int]) throws {
        let (n, cin, h, wd, cout, k, stride, padding) = (c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7])
        let geo = ConvGeometry(x: [n, cin, h, wd], w: [cout, cin, k, k], stride: stride, padding: padding)
        var runs: [[UInt32]] = []
        for threads in [1, 2] {
            let x = randomTensor([n, cin, h, wd], seed: 300), w = randomTensor([cout, cin, k, k], seed: 301)
            let b = randomTensor([cout], seed: 302)
            let seed = randomTensor([n, cout, geo.ho, geo.wo], seed: 303, requiresGrad: false)
            let y = withThreads(threads) { conv2d(x, w, b, stride: stride, padding: padding) }
            withThreads(threads) { y.backward(seed) }
            let dx = try #require(x.grad), dw = try #require(w.grad), db = try #require(b.grad)
            let ref = referenceGradients(x, w, seed, stride: stride, padding: padding)
            let m = Double(max(geo.columns, geo.k, geo.cout * k * k)) + 2, u = 1.0 / 16_777_216
            func worst(_ got: [Float], _ want: [Double], _ scale: [Double]) -> Double {
                zip(zip(got, want), scale).map { abs(Double($0.0) - $0.1) / max($1 * m * u, 1e-30) }.max() ?? 0
            }
            let fwd = conv2dReference(x, w, b, stride: stride, padding: padding)
            let fwdScale = conv2dReference(absolute(x), absolute(w), absolute(b), stride: stride, padding: padding)
            #expect(worst(y.values, fwd.values.map(Double.init), fwdScale.values.map(Double.init)) <= 1, "forward \(c)")
            #expect(worst(dx.values, ref.dx, ref.dxScale) <= 1, "dx \(c)")
            #expect(worst(dw.values, ref.dw, ref.dwScale) <= 1, "dw \(c)")
            #expect(worst(db.values, ref.db, ref.dbScale) <= 1, "db \(c)")
            runs.append((y.values + dx.values + dw.values + db.values).map(\.bitPattern))
        }
        #expect(runs[0] == runs[1], "\(c)")
    }

    @Test func resultsDoNotDependOnThreadCount() {
        let x = randomTensor([3, 4, 12, 10], seed: 250), w = randomTensor([8, 4, 3, 3], seed: 251)
        let b = randomTensor([8], seed: 252)
        let seed = randomTensor([3, 8, 6, 5], seed: 253, requiresGrad: false)
        func run(threads: Int) -> [[Float]] { Parallel.withThreads(threads) { runOnce() } }
        func runOnce() -> [[Float]] {
            for t in [x, w, b] { t.grad = nil }
            let y = conv2d(x, w, b, stride: 2, padding: 1)
            y.backward(seed)
            let up = x.upsampleNearest(factor: 2), pool = x.avgPool2d(kernel: 3, stride: 2)
            return [y.values, x.grad!.values, w.grad!.values, b.grad!.values, up.values, pool.values]
        }
        let one = run(threads: 1), two = run(threads: 2)
        for (a, c) in zip(one, two) {
            #expect(a.map(\.bitPattern) == c.map(\.bitPattern))
        }
    }

    @Test func conv2dLayerParametersAndForward() {
        var rng = RNG(seed: 260)
        let layer = Conv2d(3, 5, kernel: 3, stride: 2, padding: 1, rng: &rng)
        #expect(layer.namedParameters().map(\.name) == ["weight", "bias"])
        #expect(layer.weight.shape == [5, 3, 3, 3] && layer.bias?.shape == [5])
        #expect(layer.parameterCount == 5 * 3 * 3 * 3 + 5)
        // PyTorch's default: uniform in ±1/√27, so all inside and the extremes near the bound.
        let bound = 1 / Float(27).squareRoot()
        let all = layer.weight.values + layer.bias!.values
        #expect(all.allSatisfy { abs($0) <= bound })
        #expect(all.map { abs($0) }.max()! > 0.8 * bound)
        #expect(layer.weight.requiresGrad && layer.bias!.requiresGrad)

        let x = randomTensor([2, 3, 7, 7], seed: 261, requiresGrad: false)
        let y = layer(x)
        #expect(y.shape == [2, 5, 4, 4])
        #expect(y.values == conv2d(x, layer.weight, layer.bias, stride: 2, padding: 1).values)

        var rng2 = RNG(seed: 260)
        let again = Conv2d(3, 5, kernel: 3, stride: 2, padding: 1, rng: &rng2)
        #expect(again.weight.values == layer.weight.values && again.bias!.values == layer.bias!.values)

        var rng3 = RNG(seed: 262)
        let plain = Conv2d(1, 2, kernel: 1, bias: false, rng: &rng3)
        #expect(plain.namedParameters().map(\.name) == ["weight"])
        #expect(plain.parameterCount == 2 && plain.bias == nil)
    }
}
