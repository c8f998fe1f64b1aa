import Engine

/// Five 3×3 convolutions, padding 1, channels 1 → 32 → 64 → 64 → 32 → 1 with GELU between,
/// on a batch of 64 single-channel 16×16 images, MSE loss; one AdamW step (20 timed steps).
func conv16(_ row: inout Row) {
    var rng = RNG(seed: 0)
    let channels = [1, 32, 64, 64, 32, 1]
    let layers = (0..<5).map { Conv2d(channels[$0], channels[$0 + 1], kernel: 3, padding: 1, rng: &rng) }
    let x = Tensor.randn([64, 1, 16, 16], rng: &rng), y = Tensor.randn([64, 1, 16, 16], rng: &rng)
    let params = layers.flatMap(\.parameters)
    let optimizer = AdamW(params, lr: 1e-3)
    let dt = medianSeconds(warmup: 3, steps: 20) {
        var h = x
        for (i, layer) in layers.enumerated() {
            h = layer(h)
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
