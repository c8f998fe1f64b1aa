import Testing
@testable import Engine

/// conv2d on the shapes it runs as Winograd F(2×2, 3×3) (ConvWinograd): forward and dx against
/// their Double definitions, within the rounding bound of the Winograd formula; the same bits for
/// 1 and 2 threads.
///
/// The bound: the computed output is the exact Winograd expression with every term perturbed by
/// at most γ_d = d·u/(1 − d·u), u = 2⁻²⁴, d the most roundings on any term's path: U rounded from
/// Double (1), V's two additions (2), the product and Cin-long multiply-add chain (Cin), the
/// output transform's two three-term sums (4) and the bias (1). So |error| ≤ γ_(Cin+8)·S, where S
/// is the same expression evaluated with the absolute values of every matrix, filter and input
/// (|Aᵀ|·(|G||g||G|ᵀ ⊙ |Bᵀ||d||B|)·|A| summed over channels, plus |bias|). Rounding the Double
/// reference adds u·|y| ≤ u·S; (Cin + 10)·u·S covers both.
@Suite struct ConvWinogradTests {
    static let aT: [[Double]] = [[1, 1, 1, 0], [0, 1, -1, -1]]
    static let gMatrix: [[Double]] = [[1, 0, 0], [0.5, 0.5, 0.5], [0.5, -0.5, 0.5], [0, 0, 1]]
    static let bT: [[Double]] = [[1, 0, -1, 0], [0, 1, 1, 0], [0, -1, 1, 0], [0, 1, 0, -1]]

    /// The 3×3, padding 1 correlation of x [N, Cin, H, W] with w [Cout, Cin, 3, 3] plus bias, in
    /// Double, and its Winograd error scale S (see the suite's note), both [N, Cout, H, W].
    static func reference(_ x: [Float], _ w: [Float], _ bias: [Float]?, n: Int, cin: Int, h: Int, wd: Int, cout: Int)
        -> (value: [Double], scale: [Double]) {
        // Local copies: reading a `static let` in the inner loop calls `swift_once` each time,
        // which ThreadSanitizer turns into a contended lock (hours for the whole suite).
        let aT = Self.aT, gMatrix = Self.gMatrix, bT = Self.bT
        var value = [Double](repeating: 0, count: n * cout * h * wd), scale = value
        // |G||g||G|ᵀ per filter.
        var uAbs = [Double](repeating: 0, count: cout * cin * 16)
        for co in 0..<cout { for c in 0..<cin { for r in 0..<4 { for q in 0..<4 {
            var s = 0.0
            for i in 0..<3 { for j in 0..<3 {
                s += abs(gMatrix[r][i]) * abs(Double(w[((co * cin + c) * 3 + i) * 3 + j])) * abs(gMatrix[q][j])
            } }
            uAbs[((co * cin + c) * 4 + r) * 4 + q] = s
        } } } }
        func input(_ b: Int, _ c: Int, _ y: Int, _ xx: Int) -> Double {
            y >= 0 && y < h && xx >= 0 && xx < wd ? Double(x[((b * cin + c) * h + y) * wd + xx]) : 0
        }
        for b in 0..<n { for co in 0..<cout { for oy in 0..<h { for ox in 0..<wd {
            var v = Double(bias?[co] ?? 0), s = abs(v)
            let ty = oy / 2, tx = ox / 2, ra = oy % 2, qb = ox % 2
            for c in 0..<cin {
                for i in 0..<3 { for j in 0..<3 {
                    v += input(b, c, oy - 1 + i, ox - 1 + j) * Double(w[((co * cin + c) * 3 + i) * 3 + j])
                } }
                // |Bᵀ||d||B| for the tile's 4×4 patch (rows 2ty − 1..., columns 2tx − 1...).
                for r in 0..<4 { for q in 0..<4 {
                    var vAbs = 0.0
                    for i in 0..<4 { for j in 0..<4 {
                        vAbs += abs(bT[r][i]) * abs(input(b, c, 2 * ty - 1 + i, 2 * tx - 1 + j)) * abs(bT[q][j])
                    } }
                    s += abs(aT[ra][r]) * abs(aT[qb][q]) * uAbs[((co * cin + c) * 4 + r) * 4 + q] * vAbs
                } }
            }
            value[((b * cout + co) * h + oy) * wd + ox] = v
            scale[((b * cout + co) * h + oy) * wd + ox] = s
        } } } }
        return (value, scale)
    }

    /// The largest |got − want| / ((Cin + 10)·u·scale) over all elements: ≤ 1 within the bound.
    static func worst(_ got: [Float], _ want: [Double], _ scale: [Double], cin: Int) -> Double {
        let u = 1.0 / 16_777_216
        return zip(zip(got, want), scale).map { abs(Double($0.0) - $0.1) / max(Double(cin + 10) * u * $1, 1e-300) }
            .max() ?? 0
    }

    /// (n, cin, h, w, cout): conv16's middle layers on a short batch; a 16×8 image (one 32-tile
    /// sliver); 32×32 (a tile row is one vector); a width of 48 (24 tiles a row, so vectors end
    /// one row and start the next); a single tile row; ten chunks of four images; 14-row edges of
    /// Cout; Cin at its limit of 256.
    static let cases: [[Int]] = [[3, 32, 16, 16, 64], [2, 64, 16, 16, 32], [3, 9, 8, 16, 13], [1, 9, 32, 32, 13],
                                 [2, 12, 8, 48, 29], [3, 16, 2, 64, 14], [40, 8, 16, 16, 15], [1, 256, 16, 16, 9]]

    @Test("forward and dx match the definitions within the Winograd rounding bound; 1 and 2 threads agree",
          arguments: cases)
    func matchesDefinition(c: [Int]) throws {
        let (n, cin, h, wd, cout) = (c[0], c[1], c[2], c[3], c[4])
        let geo = ConvGeometry(x: [n, cin, h, wd], w: [cout, cin, 3, 3], stride: 1, padding: 1)
        #expect(ConvWinograd.applies(geo) && flippedGeometry(geo).map(ConvWinograd.applies) == true, "\(c) should run as Winograd")
        let x = randomTensor([n, cin, h, wd], seed: 500), w = randomTensor([cout, cin, 3, 3], seed: 501)
        let b = randomTensor([cout], seed: 502)
        let gr = randomTensor([n, cout, h, wd], seed: 503, requiresGrad: false)

        let forward = Self.reference(x.values, w.values, b.values, n: n, cin: cin, h: h, wd: wd, cout: cout)
        // dx[n, c, y, x] = Σ_(co, i, j) G[n, co, y + 1 − i, x + 1 − j]·W[co, c, i, j]: a correlation of
        // G with W'[c, co, i', j'] = W[co, c, 2 − i', 2 − j'], which `reference` evaluates.
        var flipped = [Float](repeating: 0, count: w.count)
        for co in 0..<cout { for ci in 0..<cin { for i in 0..<3 { for j in 0..<3 {
            flipped[((ci * cout + co) * 3 + 2 - i) * 3 + 2 - j] = w.values[((co * cin + ci) * 3 + i) * 3 + j]
        } } } }
        let backward = Self.reference(gr.values, flipped, nil, n: n, cin: cout, h: h, wd: wd, cout: cin)

        var runs: [[UInt32]] = []
        for threads in [1, 2] {
            for t in [x, w, b] { t.grad = nil }
            let y = withThreads(threads) { conv2d(x, w, b, stride: 1, padding: 1) }
            withThreads(threads) { y.backward(gr) }
            let dx = try #require(x.grad)
            let forwardError = Self.worst(y.values, forward.value, forward.scale, cin: cin)
            let dxError = Self.worst(dx.values, backward.value, backward.scale, cin: cout)
            #expect(forwardError <= 1, "forward \(c), \(threads) threads: \(forwardError) of the bound")
            #expect(dxError <= 1, "dx \(c), \(threads) threads: \(dxError) of the bound")
            runs.append((y.values + dx.values).map(\.bitPattern))
        }
        let differing = zip(runs[0], runs[1]).filter { $0.0 != $0.1 }.count
        #expect(differing == 0, "\(c): \(differing) values differ between 1 and 2 threads")
        // conv2d took this path for both: its results are ConvWinograd's own, bit for bit.
        let forwardKernel = ConvWinograd(geo, w: w.data), dxKernel = try #require(ConvWinograd.inputGradient(of: geo, w: w.data))
        defer { forwardKernel.release(); dxKernel.release() }
        var direct = [Float](repeating: 0, count: n * cout * h * wd), directDx = [Float](repeating: 0, count: x.count)
        direct.withUnsafeMutableBufferPointer { forwardKernel.forward(x: x.data, chunks: 0..<forwardKernel.chunks, bias: b.data, into: $0.baseAddress!) }
        directDx.withUnsafeMutableBufferPointer { dxKernel.forward(x: gr.data, chunks: 0..<dxKernel.chunks, bias: nil, into: $0.baseAddress!) }
        let direct0 = zip(direct.map(\.bitPattern), runs[0].prefix(direct.count)).filter { $0.0 != $0.1 }.count
        let directDx0 = zip(directDx.map(\.bitPattern), runs[0].suffix(directDx.count)).filter { $0.0 != $0.1 }.count
        #expect(direct0 == 0 && directDx0 == 0, "\(c): conv2d differs from ConvWinograd in \(direct0) outputs, \(directDx0) dx values")
    }

    /// dW[co, c, i, j] = Σ_(n, y, x) G[n, co, y, x]·x[n, c, y − 1 + i, x − 1 + j] in Double, and its
    /// Winograd error scale S[co, c, i, j] = Σ_(r, q) |G_ri||G_qj| Σ_tiles |dM|_rq·|V|_rq, with
    /// |dM| = |A||dY||A|ᵀ and |V| = |Bᵀ||d||B| per tile (the dW formula on absolute values).
    static func weightReference(_ x: [Float], _ gr: [Float], n: Int, cin: Int, h: Int, wd: Int, cout: Int)
        -> (value: [Double], scale: [Double]) {
        let aT = Self.aT, gMatrix = Self.gMatrix, bT = Self.bT  // local copies, as in `reference`
        var value = [Double](repeating: 0, count: cout * cin * 9), perPosition = [Double](repeating: 0, count: cout * cin * 16)
        func input(_ b: Int, _ c: Int, _ y: Int, _ xx: Int) -> Double {
            y >= 0 && y < h && xx >= 0 && xx < wd ? Double(x[((b * cin + c) * h + y) * wd + xx]) : 0
        }
        func upstream(_ b: Int, _ co: Int, _ y: Int, _ xx: Int) -> Double { Double(gr[((b * cout + co) * h + y) * wd + xx]) }
        for b in 0..<n {
            for co in 0..<cout { for c in 0..<cin { for i in 0..<3 { for j in 0..<3 {
                var s = 0.0
                for oy in 0..<h { for ox in 0..<wd { s += upstream(b, co, oy, ox) * input(b, c, oy - 1 + i, ox - 1 + j) } }
                value[((co * cin + c) * 3 + i) * 3 + j] += s
            } } } }
            for ty in 0..<h / 2 { for tx in 0..<wd / 2 {
                var dmAbs = [Double](repeating: 0, count: cout * 16), vAbs = [Double](repeating: 0, count: cin * 16)
                for r in 0..<4 { for q in 0..<4 {
                    for co in 0..<cout {
                        var s = 0.0
                        for a in 0..<2 { for e in 0..<2 {
                            s += abs(aT[a][r]) * abs(upstream(b, co, 2 * ty + a, 2 * tx + e)) * abs(aT[e][q])
                        } }
                        dmAbs[co * 16 + r * 4 + q] = s
                    }
                    for c in 0..<cin {
                        var s = 0.0
                        for i in 0..<4 { for j in 0..<4 {
                            s += abs(bT[r][i]) * abs(input(b, c, 2 * ty - 1 + i, 2 * tx - 1 + j)) * abs(bT[q][j])
                        } }
                        vAbs[c * 16 + r * 4 + q] = s
                    }
                } }
                for co in 0..<cout { for c in 0..<cin { for xi in 0..<16 {
                    perPosition[(co * cin + c) * 16 + xi] += dmAbs[co * 16 + xi] * vAbs[c * 16 + xi]
                } } }
            } }
        }
        var scale = [Double](repeating: 0, count: cout * cin * 9)
        for e in 0..<cout * cin { for i in 0..<3 { for j in 0..<3 {
            var s = 0.0
            for r in 0..<4 { for q in 0..<4 { s += abs(gMatrix[r][i]) * abs(gMatrix[q][j]) * perPosition[e * 16 + r * 4 + q] } }
            scale[e * 9 + i * 3 + j] = s
        } } }
        return (value, scale)
    }

    /// The bound for dW: each term's path has V's two roundings, dM's two, one multiply-add chain
    /// over at most a chunk's tiles (the block chains and the adds of blocks into the partial
    /// together), the partials' Double sum and the final rounding: d ≤ tiles per chunk + 6, and
    /// the Double reference's rounding adds u·S, so (tiles per chunk + 8)·u·S covers both.
    @Test("dW matches the definition within the Winograd rounding bound; 1 and 2 threads agree; conv2d uses it",
          arguments: cases)
    func weightGradientMatchesDefinition(c: [Int]) throws {
        let (n, cin, h, wd, cout) = (c[0], c[1], c[2], c[3], c[4])
        let geo = ConvGeometry(x: [n, cin, h, wd], w: [cout, cin, 3, 3], stride: 1, padding: 1)
        let x = randomTensor([n, cin, h, wd], seed: 510), w = randomTensor([cout, cin, 3, 3], seed: 511)
        let gr = randomTensor([n, cout, h, wd], seed: 512, requiresGrad: false)
        let want = Self.weightReference(x.values, gr.values, n: n, cin: cin, h: h, wd: wd, cout: cout)
        let blocks = ConvBlocking(geo)
        let chunkImages = (0..<blocks.chunks).map { chunk in
            blocks.groups(ofChunk: chunk).map { blocks.range($0, of: geo).count }.reduce(0, +)
        }
        let depth = (chunkImages.max() ?? 0) * (h / 2) * (wd / 2) + 8
        var runs: [[UInt32]] = []
        for threads in [1, 2] {
            w.grad = nil
            let y = withThreads(threads) { conv2d(x, w, nil, stride: 1, padding: 1) }
            withThreads(threads) { y.backward(gr) }
            let dw = try #require(w.grad).values
            let worst = Self.worst(dw, want.value, want.scale, cin: depth - 10)
            #expect(worst <= 1, "dW \(c), \(threads) threads: \(worst) of the bound")
            runs.append(dw.map(\.bitPattern))
        }
        let differing = zip(runs[0], runs[1]).filter { $0.0 != $0.1 }.count
        #expect(differing == 0, "\(c): \(differing) dW values differ between 1 and 2 threads")
        // conv2d took this path: its dW is the kernel's own, bit for bit.
        let kernel = ConvWinogradWeightGradient(geo)
        var partials = [Float](repeating: 0, count: blocks.chunks * kernel.partialCount)
        var direct = [Float](repeating: 0, count: w.count)
        partials.withUnsafeMutableBufferPointer { p in
            for chunk in 0..<blocks.chunks {
                let groups = blocks.groups(ofChunk: chunk)
                let samples = blocks.range(groups.lowerBound, of: geo).lowerBound..<blocks.range(groups.upperBound - 1, of: geo).upperBound
                kernel.partial(x: x.data, dy: gr.data, samples: samples, into: p.baseAddress! + chunk * kernel.partialCount)
            }
            direct.withUnsafeMutableBufferPointer { kernel.weightGradient(partials: p.baseAddress!, count: blocks.chunks, into: $0.baseAddress!) }
        }
        let mismatches = zip(direct.map(\.bitPattern), runs[0]).filter { $0.0 != $0.1 }.count
        #expect(mismatches == 0, "\(c): conv2d's dW differs from ConvWinogradWeightGradient in \(mismatches) values")
    }

    @Test("only 3×3, stride 1, padding 1, 8 to 256 channels in, 8 or more out, on a whole-vector tile grid take this path")
    func selection() {
        func geo(_ cin: Int, _ cout: Int, _ k: Int = 3, stride: Int = 1, padding: Int = 1, h: Int = 16, w: Int = 16)
            -> ConvGeometry {
            ConvGeometry(x: [2, cin, h, w], w: [cout, cin, k, k], stride: stride, padding: padding)
        }
        #expect(ConvWinograd.applies(geo(8, 8)))
        #expect(ConvWinograd.applies(geo(256, 8)))
        #expect(ConvWinograd.applies(geo(8, 8, h: 8, w: 16)))
        #expect(ConvWinograd.applies(geo(8, 8, h: 32, w: 48)))
        #expect(!ConvWinograd.applies(geo(257, 8)))
        #expect(!ConvWinograd.applies(geo(7, 64)))
        #expect(!ConvWinograd.applies(geo(64, 7)))
        #expect(!ConvWinograd.applies(geo(16, 16, 5, padding: 2)))
        #expect(!ConvWinograd.applies(geo(16, 16, stride: 2)))
        #expect(!ConvWinograd.applies(geo(16, 16, padding: 0)))
        // Widths not a multiple of 16, odd heights, fewer than 32 tiles per image.
        #expect(!ConvWinograd.applies(geo(16, 16, h: 8, w: 8)))
        #expect(!ConvWinograd.applies(geo(16, 16, h: 16, w: 24)))
        #expect(!ConvWinograd.applies(geo(16, 16, h: 15, w: 16)))
        #expect(!ConvWinograd.applies(geo(16, 16, h: 4, w: 16)))
    }
}
