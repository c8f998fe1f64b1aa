import Engine

/// The losses of a generative adversarial network (Goodfellow et al. 2014), written on the
/// discriminator's *logits* ℓ, so that D(x) = σ(ℓ) never has to be formed and then logged.
///
/// With log σ(ℓ) = −softplus(−ℓ) and log(1 − σ(ℓ)) = −softplus(ℓ):
/// * the discriminator minimises the binary cross-entropy of "real" on real data and "fake" on
///   generated data: mean softplus(−ℓ_real) + mean softplus(ℓ_fake);
/// * the *minimax* generator maximises that same loss, i.e. minimises −mean softplus(ℓ_fake) =
///   mean log(1 − D(G(z))). When D confidently rejects a sample (ℓ ≪ 0) its gradient
///   σ(ℓ) vanishes: the generator learns nothing exactly when it is worst (it *saturates*);
/// * the *non-saturating* generator minimises mean softplus(−ℓ_fake) = −mean log D(G(z))
///   instead, whose gradient −σ(−ℓ) → −1 for a rejected sample: strongest when it is worst.
public enum GANLoss {
    /// softplus(x) = log(1 + eˣ), computed as max(x, 0) + log(1 + e^(−|x|)) so that neither term
    /// overflows; its derivative is σ(x).
    public static func softplus(_ x: Tensor) -> Tensor {
        let positive = x.relu(), negative = (-x).relu()
        let absolute = positive + negative
        return positive + ((-absolute).exp() + 1).log()
    }

    /// Discriminator loss: mean softplus(−ℓ_real) + mean softplus(ℓ_fake) (nats).
    public static func discriminator(realLogits: Tensor, fakeLogits: Tensor) -> Tensor {
        softplus(-realLogits).mean() + softplus(fakeLogits).mean()
    }

    /// Non-saturating generator loss: mean softplus(−ℓ_fake) = −mean log D(G(z)).
    public static func generatorNonSaturating(fakeLogits: Tensor) -> Tensor {
        softplus(-fakeLogits).mean()
    }

    /// Minimax (saturating) generator loss: −mean softplus(ℓ_fake) = mean log(1 − D(G(z))).
    public static func generatorMinimax(fakeLogits: Tensor) -> Tensor {
        -softplus(fakeLogits).mean()
    }
}
