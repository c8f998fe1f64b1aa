import Engine
import Testing
@testable import Diffusion

@Suite("Denoisers")
struct DenoiserTests {
    @Test func unetShapesAndZeroStart() {
        var rng = RNG(seed: 1)
        let net = UNet(UNetConfig(inChannels: 2, outChannels: 1, baseChannels: 8, channelMultipliers: [1, 2, 2], groups: 4, timeDim: 16), rng: &rng)
        let x = Tensor.randn([3, 2, 8, 8], rng: &rng)
        let y = net(x, [0, 10, 999])
        #expect(y.shape == [3, 1, 8, 8])
        // The last conv starts at zero, so an untrained U-Net predicts no noise at all.
        #expect(y.values.allSatisfy { $0 == 0 })
        #expect(net.namedParameters().map(\.name).contains("down.1.conv1.weight"))
    }

    @Test func unetGradientsMatchFiniteDifferences() {
        var rng = RNG(seed: 2)
        let net = UNet(UNetConfig(inChannels: 1, outChannels: 1, baseChannels: 4, channelMultipliers: [1, 2], groups: 2, timeDim: 8), rng: &rng)
        // Give the zero-initialised output conv values so the gradient reaches everything.
        for (i, p) in [net.outputConv.weight].enumerated() {
            var r = RNG(seed: UInt64(30 + i))
            let v = Tensor.randn(p.shape, std: 0.3, rng: &r)
            v.withUnsafeValues { p.storage.pointer.update(from: $0, count: p.count) }
        }
        let x = Tensor.randn([2, 1, 4, 4], rng: &rng, requiresGrad: true)
        let reports = gradientCheck([x, net.inputConv.weight, net.downBlocks[1].time.weight]) { inputs in
            net(inputs[0], [3, 40])
        }
        #expect(reports.count == 3)
        for r in reports { #expect(r.passed, "\(r)") }
    }

    /// A few hundred steps on two fixed points: the loss must fall well below the 1.0 an
    /// untrained (zero) predictor pays, and the same seed gives the same numbers.
    @Test func pointDenoiserLearns() {
        func train(seed: UInt64) -> [Float] {
            var rng = RNG(seed: seed)
            let model = PointDenoiser(width: 64, depth: 2, timeDim: 16, rng: &rng)
            let opt = Adam(model.parameters, lr: 3e-3)
            let s = NoiseSchedule.linear(steps: 100)
            let x0 = Tensor(shape: [128, 2], values: (0..<128).flatMap { $0 % 2 == 0 ? [Float(1), 1] : [-1, -1] })
            var losses: [Float] = []
            for _ in 0..<300 {
                opt.zeroGrad()
                let loss = denoisingLoss(x0, schedule: s, rng: &rng) { model($0, $1) }
                loss.backward()
                opt.step()
                losses.append(loss.item())
            }
            return losses
        }
        let a = train(seed: 1)
        let early = a.prefix(20).reduce(0, +) / 20, late = a.suffix(50).reduce(0, +) / 50
        #expect(early > 0.6)
        #expect(late < 0.5 * early)
        #expect(train(seed: 1) == a)
    }
}
