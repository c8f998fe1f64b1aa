import Engine
import Testing
@testable import Diffusion

@Suite struct InpaintingTests {
    /// Four 4×4 "images" with a known pattern, and a mask that hides the centre 2×2 of each.
    func fixture() -> (image: Tensor, mask: Tensor) {
        var rng = RNG(seed: 11)
        let image = Tensor(shape: [4, 1, 4, 4], values: (0..<64).map { _ in rng.uniform(-0.9, 0.9) })
        var m = [Float](repeating: 1, count: 64)
        for n in 0..<4 { for r in 1...2 { for c in 1...2 { m[n * 16 + r * 4 + c] = 0 } } }
        return (image, Tensor(shape: [4, 1, 4, 4], values: m))
    }

    /// An oracle that knows the clean images returns the exact noise in x_t:
    /// ε = (x_t − √ᾱ x₀)/√(1−ᾱ).
    func oracle(_ x0: Tensor, _ schedule: NoiseSchedule) -> NoisePredictor {
        let clean = x0.values, per = x0.count / x0.shape[0]
        return { xt, t in
            let v = xt.values
            var out = [Float](repeating: 0, count: v.count)
            for k in 0..<v.count {
                let a = schedule.alphaBars[t[k / per]]
                out[k] = Float((Double(v[k]) - a.squareRoot() * Double(clean[k])) / (1 - a).squareRoot())
            }
            return Tensor(shape: xt.shape, values: out)
        }
    }

    /// With a useless predictor (always zero noise) the hole is nonsense, but the known pixels of
    /// the result are still exactly the original's: the final merge puts the clean image there.
    @Test func knownPixelsAreKeptExactly() {
        let (image, mask) = fixture()
        let schedule = NoiseSchedule.linear(steps: 100)
        for (steps, eta, resampling) in [(100, 1.0, 1), (10, 0.0, 1), (20, 1.0, 3)] {
            var rng = RNG(seed: 5)
            let out = Inpainter(schedule: schedule, steps: steps, eta: eta, resampling: resampling)
                .inpaint(known: image, mask: mask, rng: &rng) { xt, _ in Tensor.zeros(xt.shape) }
            let o = out.values, x = image.values, m = mask.values
            for k in 0..<64 where m[k] == 1 { #expect(o[k] == x[k]) }
            // The hole is not a copy of the original (the predictor knew nothing about it).
            let holeError = (0..<64).filter { m[$0] == 0 }.map { abs(o[$0] - x[$0]) }.max()!
            #expect(holeError > 0.05)
        }
    }

    /// Given the true noise, every reverse step predicts the clean image exactly, so the hole is
    /// filled with the original pixels (to float rounding, ~1e-5 after dividing by √ᾱ ≈ 0.006 at
    /// the noisiest step and multiplying back); checked for DDPM-like and DDIM-like settings.
    @Test func oracleRecoversTheWholeImage() {
        let (image, mask) = fixture()
        let schedule = NoiseSchedule.linear(steps: 1000)
        for (steps, eta, resampling) in [(1000, 1.0, 1), (25, 0.0, 1), (50, 1.0, 2)] {
            var rng = RNG(seed: 6)
            let out = Inpainter(schedule: schedule, steps: steps, eta: eta, resampling: resampling)
                .inpaint(known: image, mask: mask, rng: &rng, predictor: oracle(image, schedule))
            let err = zip(out.values, image.values).map { abs($0 - $1) }.max()!
            #expect(err < 1e-3, "steps \(steps), eta \(eta), resampling \(resampling): max error \(err)")
        }
    }

    /// The timesteps run from T−1 down to 0, evenly spaced, and the step callback sees each level
    /// once per step, ending with −1 (the clean image).
    @Test func timestepsAndCallbacks() {
        let schedule = NoiseSchedule.linear(steps: 1000)
        let inp = Inpainter(schedule: schedule, steps: 4)
        #expect(inp.timesteps == [999, 666, 333, 0])
        #expect(Inpainter(schedule: schedule).timesteps == Array((0..<1000).reversed()))
        var seen: [Int] = []
        var rng = RNG(seed: 1)
        let (image, mask) = fixture()
        _ = inp.inpaint(known: image, mask: mask, rng: &rng, predictor: { xt, _ in Tensor.zeros(xt.shape) },
                        onStep: { t, _ in seen.append(t) })
        #expect(seen == [666, 333, 0, -1])
    }

    /// Same seed, same fill; η = 0 without resampling draws noise only for x_T and the known
    /// pixels, so two runs that share x_T agree exactly.
    @Test func deterministicForASeed() {
        let (image, mask) = fixture()
        let schedule = NoiseSchedule.linear(steps: 200)
        let inp = Inpainter(schedule: schedule, steps: 20, eta: 1)
        var r1 = RNG(seed: 9), r2 = RNG(seed: 9)
        let zero: NoisePredictor = { xt, _ in xt.scaled(0.1) }
        #expect(inp.inpaint(known: image, mask: mask, rng: &r1, predictor: zero).values
                == inp.inpaint(known: image, mask: mask, rng: &r2, predictor: zero).values)
    }
}
