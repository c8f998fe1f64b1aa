import Diffusion
import Engine
import Plot
import Testing
@testable import Ch05Diffusion

@Suite struct ClassBalanceTests {
    /// Hand cases: a perfectly even histogram is 0 away from uniform, all mass in one of K classes
    /// is 1 − 1/K away, and shares ¾, ¼ of two classes are ½(¼ + ¼) = ¼ away.
    @Test func totalVariationOfKnownHistograms() {
        #expect(totalVariationFromUniform([10, 10, 10, 10]) == 0)
        #expect(abs(totalVariationFromUniform([40, 0, 0, 0]) - 0.75) < 1e-12)
        #expect(abs(totalVariationFromUniform([3, 1]) - 0.25) < 1e-12)
        // The histogram shape: 55 in one class of 10, the rest spread over nine. With 300
        // images the extra 25 images of the big class alone account for 25/300 of the distance.
        let counts = [12, 37, 32, 27, 55, 10, 30, 30, 31, 36]
        let n = Double(counts.reduce(0, +))
        let byHand = 0.5 * counts.map { abs(Double($0) / n - 0.1) }.reduce(0, +)
        #expect(abs(totalVariationFromUniform(counts) - byHand) < 1e-12)
        #expect(totalVariationFromUniform(counts) > 25 / n)
    }

    /// Only rows whose top probability reaches the threshold are counted, in their argmax class.
    @Test func confidentCountsSkipUnsureRows() {
        let p: [[Float]] = [[0.9, 0.1, 0], [0.3, 0.4, 0.3], [0.2, 0.2, 0.6], [0.05, 0.95, 0]]
        #expect(confidentClassCounts(p, threshold: 0.5) == [1, 1, 1])
        #expect(confidentClassCounts(p, threshold: 0.7) == [1, 1, 0])
        #expect(confidentClassCounts(p, threshold: 0) == [1, 2, 1])
    }
}

@Suite struct ShapeFitTests {
    /// Sample (0, 0) sits on a reference point; (3, 4) is √(3² + 3²) from (0, 1) and 5 from (0, 0).
    @Test func nearestDistancesOfKnownPoints() {
        let d = nearestDistances([0, 0, 3, 4], reference: [0, 1, 0, 0])
        #expect(d[0] == 0)
        #expect(abs(d[1] - 18.0.squareRoot()) < 1e-6)
        let fit = shapeFit(samples: [0, 0, 3, 4, 0, 1.5], reference: [0, 1, 0, 0], radius: 1)
        #expect(abs(fit.shareWithin - 2.0 / 3) < 1e-12)
        #expect(abs(fit.meanDistance - (0 + 18.0.squareRoot() + 0.5) / 3) < 1e-6)
    }
}

@Suite struct InpaintingScoreTests {
    /// Known pixels stay; hidden ones take the per-pixel mean, for every image of the batch.
    @Test func meanFillKeepsKnownPixels() {
        let images = Tensor(shape: [2, 1, 1, 3], values: [1, 2, 3, 4, 5, 6])
        let mean = pixelMean(images)
        #expect(mean == [2.5, 3.5, 4.5])
        let mask = Tensor(shape: [2, 1, 1, 3], values: [1, 0, 1, 0, 0, 1])
        #expect(meanFill(known: images, mask: mask, pixelMean: mean).values == [1, 3.5, 3, 2.5, 3.5, 6])
    }

    @Test func agreementCountsArgmaxMatches() {
        let p: [[Float]] = [[0.1, 0.9], [0.6, 0.4], [0.3, 0.7]]
        #expect(abs(classAgreement(p, labels: [1, 1, 1]) - 2.0 / 3) < 1e-12)
        #expect(classAgreement(p, labels: [1, 0, 1]) == 1)
    }

    /// Of four background pixels of the reference (≤ −0.9) two are painted above −0.8 in the
    /// image (−0.85 is still background); the ink pixel of the reference does not count.
    @Test func speckleShareOfBackground() {
        let reference = Tensor(shape: [1, 1, 1, 5], values: [-1, -1, -0.95, -1, 1])
        let image = Tensor(shape: [1, 1, 1, 5], values: [-1, 0.2, -0.85, -0.4, -1])
        #expect(backgroundSpeckle(image, reference: reference) == 0.5)
        #expect(backgroundSpeckle(reference, reference: reference) == 0)
    }
}

@Suite struct NoiseTargetTests {
    /// The standardised total noise after a step-by-step walk is N(0, 1) (mean 0, variance 1 to
    /// within a few standard errors, √(2/n) ≈ 0.01 for the variance at n = 20,000), and the last
    /// step's own draw enters it with weight √β_t, so their correlation is √(β_t/(1 − ᾱ_t)) ≈ 0.10
    /// at t = 500 (standard error 1/√n ≈ 0.007). Treating the last draw as the target would give 1.
    @Test func totalNoiseIsTheTarget() {
        let schedule = NoiseSchedule.linear()
        let n = 20_000, t = 500
        let walk = forwardWalk([Float](repeating: 2, count: n), schedule: schedule, t: t, seed: 11)
        let mean = walk.total.reduce(0.0) { $0 + Double($1) } / Double(n)
        let variance = walk.total.reduce(0.0) { $0 + (Double($1) - mean) * (Double($1) - mean) } / Double(n - 1)
        #expect(abs(mean) < 0.03)
        #expect(abs(variance - 1) < 0.05)
        let expected = (schedule.betas[t] / (1 - schedule.alphaBars[t])).squareRoot()
        #expect(abs(correlation(walk.total, walk.lastStep) - expected) < 0.03)
        #expect(expected < 0.2)
    }
}

@Suite struct PathPanelTests {
    /// The start and end markers are drawn over the path lines: the pixel at each end of a path is
    /// the path's own colour, not the line's anti-aliased edge or the background.
    @Test func markersSitOnTopOfPaths() throws {
        var base = ScatterPlot(title: "t", xLabel: "x", yLabel: "y", x: [Float(0)], y: [Float(0)], pointSize: 2, width: 600, height: 500)
        base.xAxis.range = -2...2
        base.yAxis.range = -2...2
        let panel = PathPanel(base: base, paths: [[-1, -1, 0, 1, 1, 0.5]])
        try panel.validate()
        let canvas = panel.render()
        let layout = panel.base.layout(in: Rect(x: 0, y: 0, width: 600, height: 500))
        let colour = Palette.color(1)
        for (x, y) in [(-1.0, -1.0), (1.0, 0.5)] {
            let p = layout.point(x, y)
            #expect(canvas.pixel(x: Int(p.x), y: Int(p.y)) == colour)
        }
        #expect(throws: PlotError.self) { try PathPanel(base: base, paths: [[0, 0, 1]]).validate() }
    }
}
