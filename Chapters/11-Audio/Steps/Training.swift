import Engine

/// The loop both of the chapter's models train with: AdamW (weight decay 0.01), a linear warmup
/// over the first 5 % of the steps then cosine decay to a tenth of the peak rate, the gradient
/// norm clipped at 1, and batches drawn in order from reshuffled passes over `count` examples
/// (every example once per pass). `loss` maps a batch of example indices to its loss; a loss
/// that is not finite stops training with an error naming `label` and the step.
func trainSteps(_ model: Module, steps: Int, batch: Int, learningRate: Float, count: Int, rng: inout RNG,
                label: String, onStep: (Int) -> Void, loss: ([Int]) -> Tensor) throws -> [Float] {
    let opt = AdamW(model.parameters, lr: learningRate, weightDecay: 0.01)
    let schedule = LRSchedule.warmupCosine(base: learningRate, warmup: steps / 20, total: steps, minLR: learningRate / 10)
    var order: [Int] = []
    var losses: [Float] = []
    for step in 0..<steps {
        if order.count < batch { order += rng.permutation(count) }
        let idx = Array(order.prefix(batch))
        order.removeFirst(batch)
        let l = loss(idx)
        try l.checkFinite(label, step: step)
        opt.zeroGrad()
        l.backward()
        _ = clipGradNorm(model.parameters, maxNorm: 1)
        opt.learningRate = schedule.lr(at: step)
        opt.step()
        losses.append(l.item())
        onStep(step)
    }
    return losses
}
