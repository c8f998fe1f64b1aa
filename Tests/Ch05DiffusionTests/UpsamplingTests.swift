import Engine
import Testing
@testable import Ch05Diffusion

@Suite struct UpsamplingTests {
    /// Every pixel off by 0.2: MSE 0.04 and PSNR 10·log10(2²/0.04) = 20 dB; identical images: +∞.
    @Test func psnrOfAKnownError() {
        let a = [Float](repeating: 0.5, count: 64), b = [Float](repeating: 0.3, count: 64)
        #expect(abs(psnr(a[...], reference: b[...]) - 20) < 1e-5)
        #expect(psnr(a[...], reference: a[...]) == .infinity)
        // Mean over images averages the per-image dB: 20 dB and 40 dB (error 0.02) → 30 dB.
        let x = Tensor(shape: [2, 1, 8, 8], values: a + a)
        let y = Tensor(shape: [2, 1, 8, 8], values: b + [Float](repeating: 0.48, count: 64))
        #expect(abs(meanPSNR(x, reference: y) - 30) < 1e-4)
    }

    /// Bilinear ×2 of a ramp v(c) = c: output column o samples c = (o + ½)/2 − ½, clamped at the
    /// edges, so the row reads 0, 0.25, 0.75, 1.25, 1.75, 2.25, 2.75, 3.
    @Test func bilinearOfARamp() {
        let ramp = Tensor(shape: [1, 1, 2, 4], values: [0, 1, 2, 3, 0, 1, 2, 3])
        let up = upsampleBilinear2x(ramp)
        #expect(up.shape == [1, 1, 4, 8])
        let expected: [Float] = [0, 0.25, 0.75, 1.25, 1.75, 2.25, 2.75, 3]
        for r in 0..<4 { #expect(Array(up.values[(r * 8)..<(r * 8 + 8)]) == expected) }
        // Across rows: a vertical ramp of 0 and 4 gives 0, 1, 3, 4.
        let vert = upsampleBilinear2x(Tensor(shape: [1, 1, 2, 1], values: [0, 4]))
        #expect(vert.values == [0, 0, 1, 1, 3, 3, 4, 4])
    }

    /// Nearest repeats pixels, and averaging 2×2 blocks undoes it exactly.
    @Test func nearestAndDownsampling() {
        var rng = RNG(seed: 4)
        let x = Tensor(shape: [2, 1, 4, 4], values: (0..<32).map { _ in rng.uniform(-1, 1) })
        let up = upsampleNearest2x(x)
        #expect(up.shape == [2, 1, 8, 8])
        #expect(up[0, 0, 3, 5] == x[0, 0, 1, 2])
        #expect(downsample2x(up).values == x.values)
    }

    /// The upscaler's condition is the 8×8 average repeated back to 16×16.
    @Test func conditionChannel() {
        let x = Tensor(shape: [1, 1, 2, 2], values: [1, -1, 0.5, 0.5])
        #expect(lowResolutionCondition(x).values == [0.25, 0.25, 0.25, 0.25])
    }

    @Test func masks() {
        let centre = InpaintingMask.centre.values(size: 16)
        #expect(centre.filter { $0 == 0 }.count == 64)
        #expect(centre[0] == 1 && centre[8 * 16 + 8] == 0 && centre[4 * 16 + 4] == 0 && centre[12 * 16 + 12] == 1)
        #expect(InpaintingMask.rightHalf.values(size: 16)[15] == 0 && InpaintingMask.rightHalf.values(size: 16)[7] == 1)
        #expect(InpaintingMask.bottomHalf.values(size: 16)[8 * 16] == 0 && InpaintingMask.bottomHalf.values(size: 16)[7 * 16 + 15] == 1)
    }
}
