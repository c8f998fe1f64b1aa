/// A low-rank adapter (LoRA, Hu et al. 2021) for one `Linear` layer.
///
/// Fine-tuning changes a pre-trained weight W [out, in] by some ΔW. LoRA bets that the change a new
/// task needs has low rank, and trains it as a product: ΔW = (α / r) · B · A with A [r, in] and
/// B [out, r], while W itself stays frozen. The layer computes
///
///     y = x·Wᵀ + b + (α / r) · (x·Aᵀ)·Bᵀ
///
/// so an adapter costs r·(in + out) trainable numbers instead of in·out. B starts at zero, so the
/// adapted model starts exactly where the pre-trained one is; A starts random (PyTorch's default
/// linear initialisation, as the `peft` library does), so the gradient reaching B is not zero
/// either. Dividing by r keeps the update's size comparable across ranks for a fixed α.
public final class LowRankAdapter {
    /// Down-projection A [rank, in]: trainable, random at the start.
    public let down: Tensor
    /// Up-projection B [out, rank]: trainable, zero at the start.
    public let up: Tensor
    /// The rank r.
    public let rank: Int
    /// The numerator of the scale α / r.
    public let alpha: Float

    /// The factor the low-rank product is multiplied by, α / r.
    public var scale: Float { alpha / Float(rank) }

    /// An adapter for a layer with `inFeatures` inputs and `outFeatures` outputs; A drawn from `rng`.
    public init(inFeatures: Int, outFeatures: Int, rank: Int, alpha: Float, rng: inout RNG) {
        precondition(rank >= 1 && rank <= min(inFeatures, outFeatures),
                     "LoRA rank must be in 1...\(min(inFeatures, outFeatures)) for a \(inFeatures) → \(outFeatures) layer, got \(rank)")
        self.rank = rank
        self.alpha = alpha
        down = Init.uniform([rank, inFeatures], bound: Init.fanInBound(inFeatures), rng: &rng)
        up = Tensor.zeros([outFeatures, rank], requiresGrad: true)
    }

    /// (α / r) · (x·Aᵀ)·Bᵀ for x [..., in]: the adapter's addition to the layer's output.
    public func callAsFunction(_ x: Tensor) -> Tensor {
        linear(linear(x, down, nil), up, nil).scaled(scale)
    }

    /// The update ΔW = (α / r)·B·A [out, in] that merging adds to the frozen weight.
    public var delta: Tensor {
        Tensor.noGrad { up.matmul(down).scaled(scale) }
    }

    /// Adds ΔW into `weight` [out, in] in place (the merge, on this layer's weight or a copy's).
    public func merge(into weight: Tensor) {
        precondition(weight.shape == [up.shape[0], down.shape[1]], "LoRA merge: weight \(weight.shape), adapter \(up.shape[0])×\(down.shape[1])")
        let w = weight.mutableData, n = weight.count
        // Scoped: `delta` is a temporary, freed after its last use.
        delta.withUnsafeValues { dv in for i in 0..<n { w[i] += dv[i] } }
    }
}

extension Linear {
    /// Attaches a fresh adapter of `rank` (B = 0, so outputs do not change) and returns it.
    /// Its parameters appear in `namedParameters` as `lora_A` and `lora_B` beside `weight`.
    @discardableResult
    public func attachAdapter(rank: Int, alpha: Float, rng: inout RNG) -> LowRankAdapter {
        precondition(adapter == nil, "this Linear already has an adapter; merge or detach it first")
        let a = LowRankAdapter(inFeatures: inFeatures, outFeatures: outFeatures, rank: rank, alpha: alpha, rng: &rng)
        adapter = a
        return a
    }

    /// Folds the adapter into the weight, W ← W + (α / r)·B·A, and removes it: the layer then
    /// computes the same function (up to float rounding) at the cost of a plain `Linear`.
    public func mergeAdapter() {
        guard let a = adapter else { return }
        a.merge(into: weight)
        adapter = nil
    }

    /// Removes the adapter without merging it (back to the frozen pre-trained layer).
    public func detachAdapter() { adapter = nil }
}
