import Engine

/// A one-block, one-head transformer over bytes whose attention uses a mask supplied from
/// outside (the student's `causalMask`), so a student can watch their mask train a model.
///
/// The block is the textbook one: token and position embeddings, pre-norm attention with q, k, v
/// and output projections, pre-norm MLP, final norm and a byte head. Scores are
/// q·kᵀ/√C, then `maskedFill(mask, −∞)`, softmax over keys, times v.
final class MaskedLanguageModel: Module {
    let tokens: Embedding, positions: Tensor
    let norm1: LayerNorm, norm2: LayerNorm, normOut: LayerNorm
    let query: Linear, key: Linear, value: Linear, out: Linear
    let mlp: MLP, head: Linear
    let width: Int

    /// A model of width `width` for sequences of up to `context` bytes.
    init(width: Int, context: Int, rng: inout RNG) {
        self.width = width
        tokens = Embedding(256, width, rng: &rng)
        positions = Tensor.randn([context, width], std: 0.1, rng: &rng, requiresGrad: true)
        norm1 = LayerNorm(width); norm2 = LayerNorm(width); normOut = LayerNorm(width)
        query = Linear(width, width, rng: &rng); key = Linear(width, width, rng: &rng)
        value = Linear(width, width, rng: &rng); out = Linear(width, width, rng: &rng)
        mlp = MLP([width, 4 * width, width], rng: &rng)
        head = Linear(width, 256, rng: &rng)
        super.init()
    }

    override var localParameters: [(name: String, tensor: Tensor)] { [(name: "positions", tensor: positions)] }
    override var children: [(name: String, module: Module)] {
        [("tokens", tokens), ("norm1", norm1), ("norm2", norm2), ("normOut", normOut), ("query", query), ("key", key),
         ("value", value), ("out", out), ("mlp", mlp), ("head", head)]
    }

    /// Logits [B, T, 256] for ids [B, T]; `mask` is [T, T] with 1 where a key is hidden.
    func callAsFunction(_ ids: [[Int]], mask: Tensor) -> Tensor {
        let b = ids.count, t = ids[0].count
        var x = tokens(ids: ids.flatMap { $0 }, shape: [b, t]) + positions.slice(axis: 0, 0..<t)
        let h = norm1(x)
        let scores = query(h).matmul(key(h).transpose()).scaled(1 / Float(width).squareRoot())
        let weights = scores.maskedFill(mask, -Float.infinity).softmax()
        x = x + out(weights.matmul(value(h)))
        x = x + mlp(norm2(x))
        return head(normOut(x))
    }
}
