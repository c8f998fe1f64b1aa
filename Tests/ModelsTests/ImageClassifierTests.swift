import Engine
import Testing
@testable import Models

@Suite("Image classifier")
struct ImageClassifierTests {
    @Test func shapes() {
        var rng = RNG(seed: 1)
        let net = ImageClassifier(channels: 3, classes: 5, width: 8, stages: 3, rng: &rng)
        let x = Tensor.randn([4, 3, 16, 16], rng: &rng)
        #expect(net.featureDimension == 32)
        #expect(net.features(x).shape == [4, 32])
        #expect(net(x).shape == [4, 5])
    }

    /// Images whose class is where a bright bar lies (left half or right half): a global average
    /// of pixel values cannot tell them apart, the convolutions can. Accuracy on fresh images must
    /// reach 95% (chance is 50%).
    @Test func learnsWhereTheBarIs() {
        func batch(_ n: Int, _ rng: inout RNG) -> (Tensor, [Int]) {
            var px = [Float](repeating: -1, count: n * 64), labels: [Int] = []
            for i in 0..<n {
                let c = rng.int(2), col = c == 0 ? rng.int(3) : 5 + rng.int(3)
                for r in 0..<8 { px[i * 64 + r * 8 + col] = 1 }
                for k in 0..<64 { px[i * 64 + k] += 0.3 * rng.normal() }
                labels.append(c)
            }
            return (Tensor(shape: [n, 1, 8, 8], values: px), labels)
        }
        var rng = RNG(seed: 2)
        let net = ImageClassifier(channels: 1, classes: 2, width: 8, stages: 2, rng: &rng)
        let opt = Adam(net.parameters, lr: 1e-2)
        for _ in 0..<60 {
            let (x, y) = batch(32, &rng)
            opt.zeroGrad()
            crossEntropy(net(x), y).backward()
            opt.step()
        }
        let (x, y) = batch(200, &rng)
        let logits = Tensor.noGrad { net(x) }
        let correct = (0..<200).filter { i in (logits[i, 1] > logits[i, 0] ? 1 : 0) == y[i] }.count
        #expect(correct >= 190)
    }
}
