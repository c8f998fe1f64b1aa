/// The shape of a convolutional autoencoder: how wide its convolutions are, how many channels its
/// latent has, and whether it is variational.
///
/// The spatial downsampling factor is fixed at 4 (two stride-2 convolutions), so a 32×32 image
/// becomes an 8×8 latent: small enough that a diffusion model on it is cheap, large enough that
/// position stays a spatial property of the latent rather than something the code must spell out.
public struct AutoencoderConfig: Sendable, Hashable, CustomStringConvertible {
    /// Channels of the input image (3 for RGB).
    public var imageChannels: Int
    /// Channels of the full-resolution convolutions; the two lower resolutions use twice this.
    public var width: Int
    /// Channels of the latent.
    public var latentChannels: Int
    /// Whether the encoder outputs a Gaussian (mean and log-variance) rather than a single code.
    public var variational: Bool

    /// How much each side of the image shrinks on the way to the latent.
    public static let downsampling = 4

    /// A configuration; the defaults give a 3×32×32 → 4×8×8 autoencoder.
    public init(imageChannels: Int = 3, width: Int = 16, latentChannels: Int = 4, variational: Bool = false) {
        precondition(imageChannels >= 1 && width >= 1 && latentChannels >= 1,
                     "AutoencoderConfig: channels must be ≥ 1, got \(imageChannels), \(width), \(latentChannels)")
        self.imageChannels = imageChannels
        self.width = width
        self.latentChannels = latentChannels
        self.variational = variational
    }

    /// The latent shape [C, H/4, W/4] of one image of the given size (both divisible by 4).
    public func latentShape(height: Int, width w: Int) -> [Int] {
        precondition(height % Self.downsampling == 0 && w % Self.downsampling == 0,
                     "Autoencoder: image sides must be divisible by \(Self.downsampling), got \(height)×\(w)")
        return [latentChannels, height / Self.downsampling, w / Self.downsampling]
    }

    /// Floats in an image divided by floats in its latent (for 3×32×32 → 4×8×8: 3072/256 = 12).
    public func compressionRatio(height: Int, width w: Int) -> Double {
        Double(imageChannels * height * w) / Double(latentShape(height: height, width: w).reduce(1, *))
    }

    /// A short stable text naming the configuration, e.g. for cache file names.
    public var description: String {
        "\(variational ? "vae" : "ae")-c\(imageChannels)-w\(width)-z\(latentChannels)"
    }
}
