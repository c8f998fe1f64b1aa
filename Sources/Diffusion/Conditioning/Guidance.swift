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
