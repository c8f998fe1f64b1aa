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
    let optimizer = AdamW(params, lr: 1e-3)

    let dt = medianSeconds(warmup: 3, steps: 200) {
        var h = x
        for (i, layer) in layers.enumerated() {
            h = linear(h, layer.w, layer.b)
            if i < layers.count - 1 { h = h.gelu() }
        }
        let loss = mseLoss(h, y)
        optimizer.zeroGrad()
        loss.backward()
        optimizer.step()
    }
    row.ms = dt * 1e3
    row.params = params.reduce(0) { $0 + $1.count }
}
