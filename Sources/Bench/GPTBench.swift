import Engine
import Models

/// One GPT training step (forward, cross-entropy, backward, AdamW) on random token ids, with
/// torch_reference.py's sizes: pre-LN blocks, fused qkv, 4× GELU MLP, untied head.
func gptWorkload(_ name: String, vocab: Int, context: Int, width: Int, heads: Int, layers: Int,
                 batch: Int, steps: Int) -> Workload {
    Workload(name: name) { row in
        var rng = RNG(seed: 0)
        let config = GPTConfig(vocab: vocab, context: context, width: width, heads: heads, layers: layers)
        let model = GPT(config, rng: &rng)
        let ids = (0..<batch).map { _ in (0..<context).map { _ in rng.int(vocab) } }
        let targets = (0..<batch).map { _ in (0..<context).map { _ in rng.int(vocab) } }
        let optimizer = AdamW(model.parameters, lr: 1e-3)
        let dt = medianSeconds(warmup: 3, steps: steps) {
            let loss = model.loss(ids, targets)
            optimizer.zeroGrad()
            loss.backward()
            optimizer.step()
        }
        row.ms = dt * 1e3
        row.params = model.parameterCount
    }
}
