import Engine

/// LoRA on a GPT: which layers get adapters, how many numbers they add, merging them, copying.
extension GPT {
    /// The projections LoRA adapts in every block, in order: attention's `qkv` (d → 3d) and `proj`
    /// (d → d), the MLP's `fc` (d → 4d) and `proj` (4d → d). Embeddings, norms and the output head
    /// stay frozen.
    public var loraTargets: [Linear] {
        blocks.flatMap { [$0.attn.qkv, $0.attn.proj, $0.mlp.fc, $0.mlp.proj] }
    }

    /// The rank and α of the attached adapters, or nil when there are none.
    public var loraSettings: (rank: Int, alpha: Float)? {
        loraTargets.first?.adapter.map { ($0.rank, $0.alpha) }
    }

    /// Attaches a rank-`rank` adapter to every target (B = 0, so the model's outputs do not
    /// change), freezes every other parameter, and returns the adapters' trainable tensors.
    @discardableResult
    public func attachLoRA(rank: Int, alpha: Float, seed: UInt64) -> [Tensor] {
        var rng = RNG(seed: seed)
        for p in parameters { p.requiresGrad = false }
        return loraTargets.flatMap { layer -> [Tensor] in
            let a = layer.attachAdapter(rank: rank, alpha: alpha, rng: &rng)
            return [a.down, a.up]
        }
    }

    /// Folds every adapter into its weight (W ← W + (α/r)·B·A): a plain GPT again, as fast as the
    /// original, computing the adapted function.
    public func mergeLoRA() {
        for layer in loraTargets { layer.mergeAdapter() }
    }

    /// The adapters' parameter count for a GPT of `config` at `rank`: r·(in + out) per target,
    /// r·(4d + 2d + 5d + 5d) = 16·r·d per block.
    public static func loraParameterCount(_ config: GPTConfig, rank: Int) -> Int {
        config.layers * rank * 16 * config.width
    }

    /// An independent copy (same configuration and weights, no adapters, eval mode). With
    /// `merging`, each adapter is folded into the copy's weight; without, adapters are left out.
    public func copy(merging: Bool = false) -> GPT {
        let out = GPT(config, seed: 0)
        let source = namedParameters().filter { !$0.name.contains("lora_") }
        for (dst, src) in zip(out.namedParameters(), source) {
            precondition(dst.name == src.name && dst.tensor.count == src.tensor.count, "GPT.copy: parameter \(dst.name) does not match \(src.name)")
            dst.tensor.storage.pointer.update(from: src.tensor.data, count: src.tensor.count)
        }
        if merging {
            for (dst, src) in zip(out.loraTargets, loraTargets) { src.adapter?.merge(into: dst.weight) }
        }
        out.eval()
        return out
    }
}
