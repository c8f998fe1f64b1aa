/// The model families the chapter compares.
public enum Family: String, CaseIterable, Sendable {
    /// A GAN with the non-saturating generator loss and a plain MLP discriminator.
    case gan
    /// The same GAN with a spectrally normalised discriminator (the stabilised variant).
    case ganSN = "gan-sn"
    /// A VAE with a Gaussian decoder.
    case vae
    /// Chapter 05's diffusion model (an MLP noise predictor).
    case diffusion

    /// A readable name for tables and legends.
    public var title: String {
        switch self {
        case .gan: return "GAN"
        case .ganSN: return "GAN + spectral norm"
        case .vae: return "VAE"
        case .diffusion: return "diffusion"
        }
    }
}
