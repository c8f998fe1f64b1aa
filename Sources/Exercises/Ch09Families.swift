// Chapter 09, families: the GAN's losses and the spectral norm that steadies it.
// Replace each `throw ExerciseError.notImplemented(…)` with your code, then run
// `swift run -c release grade 9`. Matrices are row-major: element (i, j) of an r×c matrix is m[i * c + j].

/// Chapter 09's exercises.
public enum Ch09 {
    /// Exercise 09.generator-loss: the generator's non-saturating loss.
    ///
    /// - Task: the discriminator gives a logit l per fake sample (D = σ(l) is its belief the
    ///   sample is real). Return the mean over the samples of −log σ(l) = softplus(−l).
    /// - Shapes: one number.
    /// - Hint: softplus(z) = log(1 + eᶻ); compute it as max(z, 0) + log(1 + e^(−|z|)) so that
    ///   l = −800 gives 800, not ∞. The saturating loss log(1 − σ(l)) has a vanishing gradient
    ///   exactly when the generator is losing, which is why this one is used.
    public static func generatorLoss(fakeLogits: [Double]) throws -> Double {
        throw ExerciseError.notImplemented("09.generator-loss")
    }

    /// Exercise 09.discriminator-loss: the discriminator's binary cross-entropy.
    ///
    /// - Task: real samples should score 1, fakes 0. Return mean −log σ(r) over the real logits
    ///   plus mean −log(1 − σ(f)) over the fake logits.
    /// - Shapes: the two arrays may differ in length; the result is one number.
    /// - Hint: −log σ(r) = softplus(−r) and −log(1 − σ(f)) = softplus(f); use the stable
    ///   softplus from the exercise above.
    public static func discriminatorLoss(realLogits: [Double], fakeLogits: [Double]) throws -> Double {
        throw ExerciseError.notImplemented("09.discriminator-loss")
    }

    /// Exercise 09.spectral-norm: the largest singular value by power iteration.
    ///
    /// - Task: start from v = (1, 1, …, 1)/√columns and repeat `iterations` times:
    ///   u = W·v / ‖W·v‖, v = Wᵀ·u / ‖Wᵀ·u‖. Return σ = ‖W·v‖.
    /// - Shapes: w is [rows × columns]; the result is one number.
    /// - Hint: spectral normalisation divides the discriminator's weights by this σ, which caps
    ///   how fast its output can change with its input. The grader compares σ with the closed
    ///   form √(largest eigenvalue of WᵀW) on small matrices.
    public static func spectralNorm(_ w: [Double], rows: Int, columns: Int, iterations: Int) throws -> Double {
        throw ExerciseError.notImplemented("09.spectral-norm")
    }
}
