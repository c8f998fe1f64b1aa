import Testing
@testable import Engine

/// matmul, linear and conv2d against their Reference twins (TwinSupport.swift says how).
///
/// Tolerance: each output of these ops is a float32 sum of L products (plus a bias) that the fast
/// path adds in its own order (packed depth blocks, fused multiply-adds, lane sums, partial sums
/// per chunk); whatever the order, |error| ≤ γ_L·Σ|terms|. Σ|terms| is the Reference run on the
/// absolute values, and L + 3 covers the bias, γ's denominator and the reference's final rounding.
@Suite struct TwinLinearAlgebraTests {
    @Test func matmulMatchesReference() {
        checkTwin("matmul", seed: 2_501) { draw, check in
            // Mostly tiny; one in five up to 48 on a side, where the packed kernel and its edge tiles run.
            let large = draw.chance(0.2)
            let size: ClosedRange<Int> = large ? 1...48 : 1...9
            let batch = draw.int(1...3), m = draw.int(size), k = draw.int(size), n = draw.int(size)
            let shared = draw.chance(0.5)
            let aShape = batch == 1 && draw.chance(0.5) ? [m, k] : [batch, m, k]
            let bShape = shared ? [k, n] : Array(aShape.dropLast(2)) + [k, n]
            let av = draw.values(batch * m * k), bv = draw.values((shared ? 1 : batch) * k * n)
            let gv = draw.values(batch * m * n)
            let a = leaf(aShape, av), b = leaf(bShape, bv)
            let y = a.matmul(b)
            y.backward(Tensor(shape: y.shape, values: gv))
            let what = "matmul \(aShape)·\(bShape)"
            let want = Reference.matmulForward(av, bv, batch: batch, m: m, k: k, n: n, sharedB: shared)
            let scale = Reference.matmulForward(absolute(av), absolute(bv), batch: batch, m: m, k: k, n: n, sharedB: shared)
            check.compare(y.values, want, bound: sumBound(scale, terms: k), what)
            let grads = Reference.matmulBackward(gv, av, bv, batch: batch, m: m, k: k, n: n, sharedB: shared)
            let gScale = Reference.matmulBackward(absolute(gv), absolute(av), absolute(bv), batch: batch, m: m, k: k, n: n,
                                                  sharedB: shared)
            check.compare(gradient(a), grads.da, bound: sumBound(gScale.da, terms: n), what + " dA")
            check.compare(gradient(b), grads.db, bound: sumBound(gScale.db, terms: shared ? batch * m : m), what + " dB")
        }
    }

    @Test func linearMatchesReference() {
        checkTwin("linear", seed: 2_502) { draw, check in
            let size: ClosedRange<Int> = draw.chance(0.2) ? 1...48 : 1...9
            let rows = draw.int(size), inF = draw.int(size), outF = draw.int(size)
            let xShape = draw.rowsShape(rows, inF)
            let xv = draw.values(rows * inF), wv = draw.values(outF * inF)
            let bv: [Float]? = draw.chance(0.7) ? draw.values(outF) : nil
            let gv = draw.values(rows * outF)
            let x = leaf(xShape, xv), w = leaf([outF, inF], wv), b = bv.map { leaf([outF], $0) }
            let y = linear(x, w, b)
            y.backward(Tensor(shape: y.shape, values: gv))
            let what = "linear x \(xShape), w [\(outF), \(inF)], bias \(bv != nil)"
            let want = Reference.linearForward(xv, wv, bv, rows: rows, inFeatures: inF, outFeatures: outF)
            let scale = Reference.linearForward(absolute(xv), absolute(wv), bv.map(absolute), rows: rows, inFeatures: inF,
                                                outFeatures: outF)
            check.compare(y.values, want, bound: sumBound(scale, terms: inF), what)
            let grads = Reference.linearBackward(gv, xv, wv, rows: rows, inFeatures: inF, outFeatures: outF)
            let gScale = Reference.linearBackward(absolute(gv), absolute(xv), absolute(wv), rows: rows, inFeatures: inF,
                                                  outFeatures: outF)
            check.compare(gradient(x), grads.dx, bound: sumBound(gScale.dx, terms: outF), what + " dx")
            check.compare(gradient(w), grads.dw, bound: sumBound(gScale.dw, terms: rows), what + " dW")
            if let b { check.compare(gradient(b), grads.db, bound: sumBound(gScale.db, terms: rows), what + " db") }
        }
    }

    /// A random legal convolution: mostly tiny, with strides up to 3 and paddings up to one beyond
    /// the kernel (the shapes of issue 27 included); one in six a stride-1 "same" shape of 32-pixel
    /// planes, which runs through the implicit GEMM (its dx always, its forward on batches of ≥ 4 groups).
    /// Winograd's shapes (≥ 8 channels, 16-wide) are left to ConvWinogradTests, whose bound
    /// follows its transforms.
    static func drawConv(_ draw: inout Draw) -> Reference.ConvShape {
        if draw.chance(1.0 / 6) {
            let k = draw.pick([1, 3, 5]), plane = draw.pick([(4, 8), (8, 4), (1, 32), (2, 16), (8, 8)])
            return Reference.ConvShape(n: draw.pick([1, 2, 5, 40, 70]), cin: draw.int(1...3), h: plane.0, w: plane.1,
                                       cout: draw.int(2...6), kh: k, kw: k, stride: 1, padding: (k - 1) / 2)
        }
        while true {
            let kh = draw.int(1...4), kw = draw.int(1...4)
            let g = Reference.ConvShape(n: draw.int(1...3), cin: draw.int(1...4), h: draw.int(1...7), w: draw.int(1...7),
                                        cout: draw.int(1...4), kh: kh, kw: kw, stride: draw.int(1...3),
                                        padding: draw.int(0...(max(kh, kw) + 1)))
            if g.h + 2 * g.padding >= g.kh && g.w + 2 * g.padding >= g.kw { return g }
        }
    }

    @Test func conv2dMatchesReference() {
        checkTwin("conv2d", seed: 2_503) { draw, check in
            let g = Self.drawConv(&draw)
            let xv = draw.values(g.n * g.cin * g.h * g.w), wv = draw.values(g.cout * g.cin * g.kh * g.kw)
            let bv: [Float]? = draw.chance(0.7) ? draw.values(g.cout) : nil
            let gv = draw.values(g.n * g.cout * g.ho * g.wo)
            let x = leaf([g.n, g.cin, g.h, g.w], xv), w = leaf([g.cout, g.cin, g.kh, g.kw], wv), b = bv.map { leaf([g.cout], $0) }
            let y = conv2d(x, w, b, stride: g.stride, padding: g.padding)
            y.backward(Tensor(shape: y.shape, values: gv))
            let what = "conv2d \(g), bias \(bv != nil)"
            let want = Reference.conv2dForward(xv, wv, bv, g)
            let scale = Reference.conv2dForward(absolute(xv), absolute(wv), bv.map(absolute), g)
            check.compare(y.values, want, bound: sumBound(scale, terms: g.cin * g.kh * g.kw), what)
            let grads = Reference.conv2dBackward(gv, xv, wv, g)
            let gScale = Reference.conv2dBackward(absolute(gv), absolute(xv), absolute(wv), g)
            let pixels = g.n * g.ho * g.wo
            check.compare(gradient(x), grads.dx, bound: sumBound(gScale.dx, terms: g.cout * g.kh * g.kw), what + " dx")
            check.compare(gradient(w), grads.dw, bound: sumBound(gScale.dw, terms: pixels), what + " dW")
            if let b { check.compare(gradient(b), grads.db, bound: sumBound(gScale.db, terms: pixels), what + " db") }
        }
    }
}
