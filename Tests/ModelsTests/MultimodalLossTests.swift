import Engine
import Foundation
import Testing
@testable import Models

/// The symmetric InfoNCE loss against hand-computed values and finite differences, and CLIP's
/// temperature parameter and clamp.
@Suite struct MultimodalLossTests {
    func t(_ rows: [[Float]]) -> Tensor { Tensor(shape: [rows.count, rows[0].count], values: rows.flatMap { $0 }) }

    /// Images e1, e2, e3 against texts e1, e2, e1 at scale 1: the logits are the dot products
    ///     [1 0 1]
    ///     [0 1 0]
    ///     [0 0 0]
    /// Rows (image → text): −log softmax at the diagonal = log(2e+1) − 1, log(e+2) − 1, log 3.
    /// Columns (text → image): column j is [1,0,0], [0,1,0], [1,0,0] with targets 0, 1, 2, giving
    /// log(e+2) − 1, log(e+2) − 1, log(e+2). The loss is the mean of the two row means.
    @Test func infoNCEMatchesHandComputed3x3() {
        let e = M_E
        let rows = (log(2 * e + 1) - 1 + log(e + 2) - 1 + log(3.0)) / 3
        let cols = (3 * log(e + 2) - 2) / 3
        let expected = (rows + cols) / 2
        let image = t([[1, 0, 0], [0, 1, 0], [0, 0, 1]])
        let text = t([[1, 0, 0], [0, 1, 0], [1, 0, 0]])
        let loss = contrastiveLoss(image: image, text: text, logScale: Tensor(shape: [1], values: [0]))
        // Float32 softmax of three O(1) logits: a few ulps of a value near 1.
        #expect(abs(Double(loss.item()) - expected) < 1e-6)
        // Lengths do not matter (both sides are normalised) and the scale multiplies every logit:
        // at scale 2 the same batch is the hand formula with e replaced by e².
        let scaled = contrastiveLoss(image: image * 3, text: text * 0.5, logScale: Tensor(shape: [1], values: [Float(log(2.0))]))
        let e2 = e * e
        let rows2 = (log(2 * e2 + 1) - 2 + log(e2 + 2) - 2 + log(3.0)) / 3
        let cols2 = (3 * log(e2 + 2) - 4) / 3
        #expect(abs(Double(scaled.item()) - (rows2 + cols2) / 2) < 1e-5)
    }

    /// A perfectly aligned batch (each text equals its image, all orthogonal) has loss
    /// log(e^s + B − 1) − s, which falls toward 0 as the scale s grows.
    @Test func alignedBatchLossFollowsTheScale() {
        let b = 4
        let eye = Tensor(shape: [b, b], values: (0..<(b * b)).map { $0 / b == $0 % b ? 1 : 0 })
        for s: Float in [1, 5, 20] {
            let loss = contrastiveLoss(image: eye, text: eye, logScale: Tensor(shape: [1], values: [logf(s)])).item()
            let expected = log(exp(Double(s)) + Double(b - 1)) - Double(s)
            #expect(abs(Double(loss) - expected) < 1e-5 * max(1, expected))
        }
    }

    /// Gradients of the loss with respect to both embeddings and the log-scale, against central
    /// finite differences (the engine's checker sets the tolerance from float32 rounding).
    @Test func infoNCEGradientMatchesFiniteDifferences() {
        var rng = RNG(seed: 5)
        let image = Tensor.randn([4, 3], rng: &rng, requiresGrad: true)
        let text = Tensor.randn([4, 3], rng: &rng, requiresGrad: true)
        let logScale = Tensor(shape: [1], values: [0.7], requiresGrad: true)
        let reports = gradientCheck([image, text, logScale]) { x in
            contrastiveLoss(image: x[0], text: x[1], logScale: x[2])
        }
        for r in reports { #expect(r.passed, "\(r)") }
    }

    /// The temperature starts at 0.07 (scale 1/0.07), and the clamp keeps the scale in [1, 100]
    /// without touching values inside that range.
    @Test func temperatureStartsAt007AndIsClamped() {
        let s = LogitScale()
        #expect(abs(s.scale - 1 / 0.07) < 1e-3)
        s.clamp()
        #expect(abs(s.scale - 1 / 0.07) < 1e-3)
        s.logScale.storage.pointer[0] = 9  // scale e^9 ≈ 8103
        s.clamp()
        #expect(abs(s.scale - 100) < 1e-3)
        s.logScale.storage.pointer[0] = -3
        s.clamp()
        #expect(s.scale == 1)
    }

    /// Rows come out with unit length whatever their scale (up to the eps of 1e-8 under the
    /// root, which shortens a row of length r by about 1e-8/(2r²): 5e-7 for r = 0.1); a zero row
    /// stays zero instead of becoming NaN.
    @Test func l2NormalizedRowsHaveUnitLength() {
        let z = l2Normalized(t([[0, 0]]))
        #expect(z.values == [0, 0])
        let x = t([[3, 4], [0.1, 0], [-2, 2]])
        let y = l2Normalized(x)
        for r in 0..<3 {
            let n = (y.data[2 * r] * y.data[2 * r] + y.data[2 * r + 1] * y.data[2 * r + 1]).squareRoot()
            #expect(abs(n - 1) < 1e-5)
        }
        #expect(abs(y.data[0] - 0.6) < 1e-6 && abs(y.data[1] - 0.8) < 1e-6)
    }
}
