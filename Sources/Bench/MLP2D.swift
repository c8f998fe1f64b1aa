import Engine

/// The DDPM noise predictor for 2-D points: 18 → 128 → 128 → 128 → 2 with GELU between layers,
/// batch 256, MSE loss; one step is forward, backward and an AdamW update (200 timed steps).
func mlp2d(_ row: inout Row) {
    var rng = RNG(seed: 0)
    let sizes = [18, 128, 128, 128, 2]
    var layers: [(w: Tensor, b: Tensor)] = []
    for (fanIn, fanOut) in zip(sizes, sizes.dropFirst()) {
        // PyTorch's nn.Linear default: uniform in ±1/√fan_in for weight and bias.
        let bound = 1 / Float(fanIn).squareRoot()
        layers.append((Tensor.uniform([fanOut, fanIn], -bound, bound, rng: &rng, requiresGrad: true),
                       Tensor.uniform([fanOut], -bound, bound, rng: &rng, requiresGrad: true)))
    }
    let x = Tensor.randn([256, 18], rng: &rng), y = Tensor.randn([256, 2], rng: &rng)
    let params = layers.flatMap { [$0.w, $0.b] }
    var optimizer = InlineAdamW(params)

    let dt = medianSeconds(warmup: 3, steps: 200) {
        var h = x
        for (i, layer) in layers.enumerated() {
            h = linear(h, layer.w, layer.b)
            if i < layers.count - 1 { h = h.gelu() }
        }
        let loss = mseLoss(h, y)
        for p in params { p.zeroGrad() }
        loss.backward()
        optimizer.step()
    }
    row.ms = dt * 1e3
    row.params = params.reduce(0) { $0 + $1.count }
}

/// AdamW with PyTorch's defaults (lr 1e-3, betas 0.9/0.999, eps 1e-8, weight decay 0.01).
///
/// A stand-in so the benchmark measures a full training step; replace it with the engine's
/// optimizer once that lands.
struct InlineAdamW {
    let params: [Tensor]
    var m: [[Float]], v: [[Float]]
    /// beta1ᵗ and beta2ᵗ for the bias corrections, updated each step.
    var beta1Power: Float = 1, beta2Power: Float = 1
    let lr: Float = 1e-3, beta1: Float = 0.9, beta2: Float = 0.999, eps: Float = 1e-8, decay: Float = 0.01

    init(_ params: [Tensor]) {
        self.params = params
        m = params.map { [Float](repeating: 0, count: $0.count) }
        v = m
    }

    mutating func step() {
        beta1Power *= beta1
        beta2Power *= beta2
        let c1 = 1 - beta1Power, c2 = 1 - beta2Power
        for (i, p) in params.enumerated() {
            guard let g = p.grad else { continue }
            let w = p.data, gp = g.data
            m[i].withUnsafeMutableBufferPointer { mb in
                v[i].withUnsafeMutableBufferPointer { vb in
                    for j in 0..<p.count {
                        w[j] -= lr * decay * w[j]
                        mb[j] = beta1 * mb[j] + (1 - beta1) * gp[j]
                        vb[j] = beta2 * vb[j] + (1 - beta2) * gp[j] * gp[j]
                        w[j] -= lr * (mb[j] / c1) / ((vb[j] / c2).squareRoot() + eps)
                    }
                }
            }
        }
    }
}
