import Foundation
import Testing
@testable import Engine

/// conv2d against PyTorch on the shapes of issue 27 (Fixtures/make_conv_edge_cases.py): a 1×1
/// kernel with padding 1 on a 2×2 image and a 3×3 kernel with padding 2 on a 1×1 image, whose
/// backward used to abort, plus strides, a non-square kernel, a bias, and the implicit-GEMM and
/// Winograd shapes. Output and every gradient must agree with PyTorch's.
///
/// Tolerance: |engine − torch| ≤ |engine − exact| + |torch − exact|. PyTorch's CPU convolution sums
/// each output's L products in float32 in some order, so its error is within (L + 2)·u·A, A the sum
/// of the absolute terms (the Reference run on absolute values). The engine's is the same for its
/// GEMM paths, and for the Winograd case ConvWinogradTests' bound, (Cin + 10)·u·S with S that
/// test's scale of the Winograd formula on absolute values (dW: (tiles + 8)·u·S).
@Suite struct ConvTorchTests {
    struct Case: Decodable {
        let name: String, stride: Int, padding: Int
        let x_shape: [Int], w_shape: [Int], y_shape: [Int]
        let x: [Float], w: [Float], g: [Float], y: [Float], dx: [Float], dw: [Float]
        let b: [Float]?, db: [Float]?
    }

    struct Fixture: Decodable {
        let torch: String
        let cases: [Case]
    }

    static func fixture() throws -> Fixture {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Fixtures/conv_edge_cases.json")
        return try JSONDecoder().decode(Fixture.self, from: Data(contentsOf: url))
    }

    @Test func fixtureHoldsTheIssueCases() throws {
        let cases = try Self.fixture().cases
        #expect(cases.count == 7)
        // The two crashing shapes: padding above kernel − 1; a kernel larger than the unpadded input.
        #expect(cases[0].x_shape == [1, 1, 2, 2] && cases[0].w_shape == [1, 1, 1, 1] && cases[0].padding == 1)
        #expect(cases[1].x_shape == [1, 1, 1, 1] && cases[1].w_shape == [1, 1, 3, 3] && cases[1].padding == 2)
        // y.sum(): every input pixel of the 1×1-kernel case is seen once, so dx is w everywhere.
        #expect(cases[0].dx == [Float](repeating: cases[0].w[0], count: 4))
    }

    @Test(arguments: 0..<7)
    func gradientsMatchPyTorch(index: Int) throws {
        let c = try Self.fixture().cases[index]
        let x = leaf(c.x_shape, c.x), w = leaf(c.w_shape, c.w), b = c.b.map { leaf([c.w_shape[0]], $0) }
        let y = conv2d(x, w, b, stride: c.stride, padding: c.padding)
        #expect(y.shape == c.y_shape, "\(c.name)")
        y.backward(Tensor(shape: y.shape, values: c.g))

        let g = Reference.ConvShape(n: c.x_shape[0], cin: c.x_shape[1], h: c.x_shape[2], w: c.x_shape[3], cout: c.w_shape[0],
                                    kh: c.w_shape[2], kw: c.w_shape[3], stride: c.stride, padding: c.padding)
        let scale = Reference.conv2dForward(absolute(c.x), absolute(c.w), c.b.map(absolute), g)
        let gScale = Reference.conv2dBackward(absolute(c.g), absolute(c.x), absolute(c.w), g)
        let pixels = g.n * g.ho * g.wo
        var yBound = sumBound(scale, terms: g.cin * g.kh * g.kw, extra: 2)
        var dxBound = sumBound(gScale.dx, terms: g.cout * g.kh * g.kw, extra: 2)
        var dwBound = sumBound(gScale.dw, terms: pixels, extra: 2)
        let geo = ConvGeometry(x: c.x_shape, w: c.w_shape, stride: c.stride, padding: c.padding)
        if ConvWinograd.applies(geo) {
            // The engine's own error is Winograd's; PyTorch's the direct one above.
            let u = unitRoundoff
            let fwd = ConvWinogradTests.reference(c.x, c.w, c.b, n: g.n, cin: g.cin, h: g.h, wd: g.w, cout: g.cout)
            yBound = zip(yBound, fwd.scale).map { $0 + Double(g.cin + 10) * u * $1 }
            var flipped = [Float](repeating: 0, count: c.w.count)
            for co in 0..<g.cout { for ci in 0..<g.cin { for i in 0..<3 { for j in 0..<3 {
                flipped[((ci * g.cout + co) * 3 + 2 - i) * 3 + 2 - j] = c.w[((co * g.cin + ci) * 3 + i) * 3 + j]
            } } } }
            let bwd = ConvWinogradTests.reference(c.g, flipped, nil, n: g.n, cin: g.cout, h: g.h, wd: g.w, cout: g.cin)
            dxBound = zip(dxBound, bwd.scale).map { $0 + Double(g.cout + 10) * u * $1 }
            let dwScale = ConvWinogradTests.weightReference(c.x, c.g, n: g.n, cin: g.cin, h: g.h, wd: g.w, cout: g.cout)
            dwBound = zip(dwBound, dwScale.scale).map { $0 + Double(pixels / 4 + 8) * u * $1 }
        } else {
            yBound = yBound.map { 2 * $0 }; dxBound = dxBound.map { 2 * $0 }; dwBound = dwBound.map { 2 * $0 }
        }
        var check = TwinCheck()
        check.compare(y.values, c.y, bound: yBound, c.name + " y")
        check.compare(gradient(x), c.dx, bound: dxBound, c.name + " dx")
        check.compare(gradient(w), c.dw, bound: dwBound, c.name + " dW")
        if let b, let db = c.db { check.compare(gradient(b), db, bound: sumBound(gScale.db, terms: pixels).map { 2 * $0 }, c.name + " db") }
        #expect(check.worst <= 1, "\(check.worstCase) (\(check.worst) of the bound)")
    }
}
