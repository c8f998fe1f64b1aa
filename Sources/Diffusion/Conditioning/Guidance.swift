import Engine

/// Classifier-free guidance (Ho & Salimans 2022): push the noise estimate away from the
/// unconditional one, in the direction the condition moves it.
///
///     ε̂ = ε̂(∅) + w · (ε̂(c) − ε̂(∅))
///
/// This is the convention of this course (and of the diffusers library's `guidance_scale`):
/// w = 0 ignores the text, w = 1 is the plain conditional model, w > 1 exaggerates the text.
/// The paper writes ε̂ = (1 + w′)·ε̂(c) − w′·ε̂(∅) instead; the two agree when w = 1 + w′, so the
/// paper's neutral w′ = 0 is our w = 1. With a negative prompt, ε̂(∅) is replaced by the negative
/// prompt's estimate, so the sample is pushed away from what that prompt describes.
public func guidedNoise(unconditional: Tensor, conditional: Tensor, scale w: Float) -> Tensor {
    precondition(unconditional.shape == conditional.shape,
                 "guidedNoise: shapes differ, \(unconditional.shape) and \(conditional.shape)")
    return Tensor.noGrad { unconditional + (conditional - unconditional).scaled(w) }
}

/// The paper's guidance weight w′ for this course's w (w = 1 + w′).
public func paperGuidanceWeight(_ w: Float) -> Float { w - 1 }

/// Guidance with two scales and a caption in between (the nested form InstructPix2Pix uses for
/// its image and text conditions, Brooks et al. 2023):
///
///     ε̂ = ε̂(∅) + a·(ε̂(s) − ε̂(∅)) + w·(ε̂(c) − ε̂(s))
///
/// where s is a caption every prompt shares ("a shape") and c the prompt. `a` pushes towards what
/// the shared caption says rather than any training image (one shape, not a scene of several);
/// `w` pushes towards what the prompt adds to the shared caption (a kind and a colour). With
/// a = w it is plain guidance away from ∅ at scale w; with a = 1 it is guidance away from s alone.
public func twoScaleGuidedNoise(empty: Tensor, shared: Tensor, conditional: Tensor, sharedScale a: Float, scale w: Float) -> Tensor {
    precondition(empty.shape == shared.shape && shared.shape == conditional.shape,
                 "twoScaleGuidedNoise: shapes differ, \(empty.shape), \(shared.shape) and \(conditional.shape)")
    return Tensor.noGrad { empty + (shared - empty).scaled(a) + (conditional - shared).scaled(w) }
}
