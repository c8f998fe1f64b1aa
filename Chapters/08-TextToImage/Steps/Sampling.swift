import Ch06Latent
import Diffusion
import Engine
import Models

/// A caption every prompt shares and the scale a that pulls samples towards it (see
/// `twoScaleGuidedNoise`): a = 1 guides away from the caption alone, a = w is plain guidance.
public struct SharedCaption: Sendable, Equatable {
    /// The caption, e.g. "a shape".
    public var text: String
    /// Its scale a.
    public var scale: Float

    /// A shared caption with scale `scale`.
    public init(_ text: String, scale: Float) { self.text = text; self.scale = scale }
}

/// Draws latents from a trained text-to-image U-Net with classifier-free guidance and DDIM.
///
/// Every step runs the network once on a doubled batch, [x; x] with [prompt; negative], and
/// combines the halves with `guidedNoise`; the negative is the empty caption unless a negative
/// prompt is given. A sampler with a `shared` caption guides with two scales instead
/// (`twoScaleGuidedNoise`, a tripled batch [prompt; shared; empty]). The predicted clean latent
/// x̂₀ is clamped to each latent channel's range on the training set: with the cosine schedule ᾱ
/// at the first step is about 2·10⁻⁹, so x̂₀ = (x_t − √(1−ᾱ)·ε̂)/√ᾱ multiplies any error in ε̂ by
/// about 10⁴, and without the clamp the first jumps land far outside anything the decoder has seen.
public struct GuidedSampler {
    /// The noise predictor.
    public let unet: TextConditionedUNet
    /// The frozen text encoder.
    public let encoder: CaptionEncoder
    /// Per-channel range of the training latents (the x̂₀ clamp).
    public let channelRanges: [ClosedRange<Float>]
    /// Shape of one latent, [4, 8, 8].
    public let latentShape: [Int]
    /// DDIM's η: 0 deterministic, 1 fresh noise at every jump (DDPM's variance).
    public let eta: Double
    /// A caption every prompt shares ("a shape") and its scale a, for two-scale guidance; nil for
    /// plain classifier-free guidance away from the empty caption.
    public let shared: SharedCaption?

    /// A sampler over `unet` with DDIM noise level `eta`, guiding with `shared` when given.
    public init(unet: TextConditionedUNet, encoder: CaptionEncoder, channelRanges: [ClosedRange<Float>], latentShape: [Int], eta: Double = 0,
                shared: SharedCaption? = nil) {
        self.unet = unet; self.encoder = encoder; self.channelRanges = channelRanges; self.latentShape = latentShape; self.eta = eta
        self.shared = shared
    }

    /// The guided noise estimate for x [N, …] at timesteps t, prompts `text` and negatives `negative` (N rows each).
    public func noise(_ x: Tensor, _ t: [Int], text: TextCondition, negative: TextCondition, scale w: Float) -> Tensor {
        let n = x.shape[0]
        let both = Tensor.noGrad { unet(Tensor.concat([x, x], axis: 0), t + t, text.stacked(with: negative)) }
        let conditional = both.slice(axis: 0, 0..<n), unconditional = both.slice(axis: 0, n..<(2 * n))
        return guidedNoise(unconditional: unconditional, conditional: conditional, scale: w)
    }

    /// The two-scale estimate for x [N, …] at timesteps t: prompts `text`, the shared caption
    /// `sharedText` and the empty caption `empty` (N rows each), one tripled batch.
    public func noise(_ x: Tensor, _ t: [Int], text: TextCondition, sharedText: TextCondition, empty: TextCondition,
                      sharedScale a: Float, scale w: Float) -> Tensor {
        let n = x.shape[0]
        let all = Tensor.noGrad { unet(Tensor.concat([x, x, x], axis: 0), t + t + t, text.stacked(with: sharedText).stacked(with: empty)) }
        return twoScaleGuidedNoise(empty: all.slice(axis: 0, (2 * n)..<(3 * n)), shared: all.slice(axis: 0, n..<(2 * n)),
                                   conditional: all.slice(axis: 0, 0..<n), sharedScale: a, scale: w)
    }

    /// The guided estimate of one step for `prompts` (encoded as `text`): away from `negative`
    /// when given, otherwise as the sampler's guidance says. A shared scale of 1 needs no empty
    /// caption (ε̂(∅) + 1·(ε̂(s) − ε̂(∅)) is ε̂(s)), so it runs as plain guidance away from s.
    func stepNoise(count n: Int, text: TextCondition, negative: String?) -> (Tensor, [Int], Float) -> Tensor {
        if negative == nil, let shared, shared.scale != 1 {
            let sharedText = encoder.encodeKnown([String](repeating: shared.text, count: n))
            let empty = encoder.encodeKnown([String](repeating: "", count: n))
            return { x, t, w in noise(x, t, text: text, sharedText: sharedText, empty: empty, sharedScale: shared.scale, scale: w) }
        }
        let neg = encoder.encodeKnown([String](repeating: negative ?? shared?.text ?? "", count: n))
        return { x, t, w in noise(x, t, text: text, negative: neg, scale: w) }
    }

    /// One latent per prompt, guided with scale `w` (away from `negative` when given, otherwise
    /// by the sampler's guidance), in `steps` DDIM jumps. `start`
    /// replaces the initial noise (image-to-image); `firstStep` skips the noisiest jumps, starting
    /// at that index of the sampler's timesteps. `onStep(t, x, x̂₀)` sees each new x.
    public func sample(prompts: [String], negative: String? = nil, scale w: Float, steps: Int,
                       start: Tensor? = nil, firstStep: Int = 0, rng: inout RNG,
                       onStep: ((Int, Tensor) -> Void)? = nil) -> Tensor {
        let guided = stepNoise(count: prompts.count, text: encoder.encodeKnown(prompts), negative: negative)
        let sampler = DDIMSampler(schedule: chapterSchedule, steps: steps, eta: eta, channelRanges: channelRanges)
        var x = start ?? Tensor.randn([prompts.count] + latentShape, rng: &rng)
        let visited = Array(sampler.timesteps.dropFirst(firstStep))
        for (i, t) in visited.enumerated() {
            let earlier = i + 1 < visited.count ? visited[i + 1] : nil
            let rowsT = [Int](repeating: t, count: prompts.count)
            let eps = guided(x, rowsT, w)
            x = sampler.step(x, t: t, to: earlier, predictedNoise: eps, rng: &rng)
            onStep?(t, x)
        }
        return x
    }

    /// Image-to-image: noise `latents` to the level the sampler reaches after skipping the first
    /// (1 − strength) share of its jumps, then denoise towards `prompts`. Strength 1 starts from
    /// pure noise (the real image is forgotten); strength near 0 returns the image almost unchanged.
    public func imageToImage(_ latents: Tensor, prompts: [String], strength: Double, scale w: Float, steps: Int,
                             rng: inout RNG) -> Tensor {
        precondition((0...1).contains(strength), "imageToImage: strength must lie in 0...1, got \(strength)")
        let timesteps = DDIMSampler(schedule: chapterSchedule, steps: steps).timesteps
        let skip = min(steps - 1, Int((Double(steps) * (1 - strength)).rounded()))
        let t = timesteps[skip]
        let noised = Tensor.noGrad {
            chapterSchedule.noised(latents, t: [Int](repeating: t, count: latents.shape[0]), noise: Tensor.randn(latents.shape, rng: &rng))
        }
        return sample(prompts: prompts, scale: w, steps: steps, start: noised, firstStep: skip, rng: &rng)
    }

    /// Inpainting with a prompt (chapter 05's RePaint merge, in latent space): latent positions
    /// where `mask` is 1 are kept from `known`, the rest is generated to fit both them and the prompt
    /// (guided as the sampler's guidance says).
    public func inpaint(known: Tensor, mask: Tensor, prompts: [String], scale w: Float, steps: Int, resampling: Int = 2,
                        rng: inout RNG) -> Tensor {
        let guided = stepNoise(count: prompts.count, text: encoder.encodeKnown(prompts), negative: nil)
        // The inpainter clamps x̂₀ symmetrically; the widest channel range is the loosest safe limit.
        let limit = channelRanges.map { max(abs($0.lowerBound), abs($0.upperBound)) }.max() ?? 1
        let inpainter = Inpainter(schedule: chapterSchedule, steps: steps, eta: 1, resampling: resampling, clipDenoised: limit)
        return inpainter.inpaint(known: known, mask: mask, rng: &rng) { x, t in
            guided(x, t, w)
        }
    }
}
