import Engine
import Models

/// Step 7: text from a byte-level GPT under a sampling rule, with the prompt included.
///
/// Uses the KV cache when the whole text fits in the context, and otherwise the generator that
/// slides a context-sized window along (both draw one random number per byte).
public func sampleText(_ model: GPT, prompt: String, count: Int, rule: SamplingRule, rng: inout RNG) -> String {
    let prompt = byteIDs(prompt)
    let ids = prompt.count + count - 1 <= model.config.context
        ? model.generateCached(prompt: prompt, count: count, rule: rule, rng: &rng).tokens
        : model.generate(prompt: prompt, count: count, rule: rule, rng: &rng)
    return printable(ids)
}

/// The probabilities softmax(logits / temperature) restricted to the `topK` largest logits (all
/// when nil), renormalised: what `SamplingRule.sample` draws from. Shown as a table in the chapter.
public func samplingDistribution(_ logits: [Float], temperature: Float, topK: Int?) -> [Float] {
    precondition(temperature > 0, "temperature must be positive")
    var keep = Array(repeating: true, count: logits.count)
    if let k = topK, k < logits.count {
        let order = logits.indices.sorted { logits[$0] != logits[$1] ? logits[$0] > logits[$1] : $0 < $1 }
        keep = Array(repeating: false, count: logits.count)
        for i in order.prefix(k) { keep[i] = true }
    }
    let m = logits.max() ?? 0
    var w = logits.indices.map { keep[$0] ? expf((logits[$0] - m) / temperature) : 0 }
    let s = w.reduce(0, +)
    for i in w.indices { w[i] /= s }
    return w
}

