import Ch06Latent
import Datasets
import Diffusion
import Engine
import Models

/// Why a file is not a usable text-to-image bundle (beyond the safetensors errors of `CheckpointError`).
public enum TextToImageBundleError: Error, Equatable, CustomStringConvertible {
    /// The file's metadata does not say it holds a text-to-image bundle.
    case notABundle(file: String, format: String?)
    /// A field is missing from the metadata.
    case missingField(file: String, field: String)
    /// A field is present but not a valid value.
    case invalidField(file: String, field: String, value: String, expected: String)

    public var description: String {
        switch self {
        case let .notABundle(file, format):
            return "\(file): not a text-to-image checkpoint (metadata format is \(format.map { "\"\($0)\"" } ?? "missing"), expected \"\(TextToImageBundle.format)\")"
        case let .missingField(file, field):
            return "\(file): text-to-image checkpoint metadata lacks \"\(field)\""
        case let .invalidField(file, field, value, expected):
            return "\(file): text-to-image checkpoint metadata \"\(field)\" is \"\(value)\", expected \(expected)"
        }
    }
}

/// Everything needed to turn a prompt into pictures, in one safetensors file: the U-Net (with any
/// LoRA adapters on its cross-attention, unmerged), the VAE, the text encoder and its vocabulary,
/// the latent scale and per-channel ranges, and DDIM's η. Tensor names carry the prefixes
/// `unet.`, `vae.` and `text.`; the configurations are in the metadata.
public struct TextToImageBundle {
    /// The metadata `format` value.
    public static let format = "course-text-to-image-v1"

    /// The noise predictor, with any adapters on its cross-attention.
    public let unet: TextConditionedUNet
    /// The autoencoder whose decoder turns latents into pictures.
    public let vae: Autoencoder
    /// The frozen text encoder and the words it reads.
    public let encoder: CaptionEncoder
    /// The latents' scale (the VAE's codes are divided by it before diffusion).
    public let scale: Float
    /// Each latent channel's range, for the sampler's x̂₀ clamp.
    public let channelRanges: [ClosedRange<Float>]
    /// DDIM's η.
    public let eta: Double
    /// Side of the square images in pixels.
    public let imageSide: Int

    /// A bundle of trained parts.
    public init(unet: TextConditionedUNet, vae: Autoencoder, encoder: CaptionEncoder, scale: Float,
                channelRanges: [ClosedRange<Float>], eta: Double, imageSide: Int = 32) {
        self.unet = unet; self.vae = vae; self.encoder = encoder; self.scale = scale
        self.channelRanges = channelRanges; self.eta = eta; self.imageSide = imageSide
    }

    /// Writes the bundle (atomically, as every safetensors file here).
    public func save(to path: String) throws {
        let u = unet.config.unet, c = unet.config, v = vae.config, t = encoder.text.config
        var meta: [String: String] = [
            "format": Self.format,
            "unet.in": String(u.inChannels), "unet.out": String(u.outChannels), "unet.base": String(u.baseChannels),
            "unet.mults": u.channelMultipliers.map(String.init).joined(separator: ","), "unet.groups": String(u.groups),
            "unet.time": String(u.timeDim), "unet.context": String(c.contextDim), "unet.pooled": String(c.pooledDim),
            "unet.heads": String(c.heads), "unet.mode": c.mode.rawValue,
            "vae.channels": String(v.imageChannels), "vae.width": String(v.width), "vae.latent": String(v.latentChannels),
            "vae.variational": v.variational ? "1" : "0",
            "text.vocab": String(t.vocab), "text.context": String(t.context), "text.width": String(t.width),
            "text.heads": String(t.heads), "text.layers": String(t.layers), "text.embed": String(t.embedDim),
            "vocabulary": encoder.vocabulary.words.joined(separator: " "),
            "latent_scale": String(scale), "eta": String(eta), "image_side": String(imageSide),
            "channel_ranges": channelRanges.map { "\($0.lowerBound):\($0.upperBound)" }.joined(separator: ","),
        ]
        if let a = unet.attentionBlocks.first?.projections.first?.adapter {
            meta["lora_rank"] = String(a.rank)
            meta["lora_alpha"] = String(a.alpha)
        }
        var arrays: [NamedArray] = []
        for (prefix, module) in [("unet.", unet as Module), ("vae.", vae), ("text.", encoder.text)] {
            arrays += try module.namedParameters().map { try NamedArray(name: prefix + $0.name, shape: $0.tensor.shape, values: $0.tensor.values) }
        }
        try SafetensorsFile(arrays: arrays, metadata: meta).write(to: path)
    }

    /// Rebuilds a bundle saved by `save`, checking every field, name and shape first; a problem
    /// throws an error naming the file and the field or tensor.
    public static func load(from path: String) throws -> TextToImageBundle {
        let file = try SafetensorsFile.read(from: path)
        let meta = file.metadata
        guard meta["format"] == format else { throw TextToImageBundleError.notABundle(file: path, format: meta["format"]) }
        func text(_ field: String) throws -> String {
            guard let v = meta[field] else { throw TextToImageBundleError.missingField(file: path, field: field) }
            return v
        }
        func int(_ field: String, _ range: ClosedRange<Int> = 1...100_000) throws -> Int {
            let v = try text(field)
            guard let n = Int(v), range.contains(n) else {
                throw TextToImageBundleError.invalidField(file: path, field: field, value: v, expected: "an integer in \(range)")
            }
            return n
        }
        func float(_ field: String) throws -> Float {
            let v = try text(field)
            guard let x = Float(v), x.isFinite else { throw TextToImageBundleError.invalidField(file: path, field: field, value: v, expected: "a finite number") }
            return x
        }
        let multsText = try text("unet.mults")
        let mults = multsText.split(separator: ",").compactMap { Int($0) }
        guard !mults.isEmpty, mults.count == multsText.split(separator: ",").count, mults.allSatisfy({ (1...64).contains($0) }) else {
            throw TextToImageBundleError.invalidField(file: path, field: "unet.mults", value: multsText, expected: "comma-separated integers in 1...64")
        }
        let modeText = try text("unet.mode")
        guard let mode = TextConditioningMode(rawValue: modeText) else {
            throw TextToImageBundleError.invalidField(file: path, field: "unet.mode", value: modeText, expected: "crossAttention or pooled")
        }
        let unetConfig = TextUNetConfig(
            unet: UNetConfig(inChannels: try int("unet.in"), outChannels: try int("unet.out"), baseChannels: try int("unet.base"),
                             channelMultipliers: mults, groups: try int("unet.groups"), timeDim: try int("unet.time")),
            contextDim: try int("unet.context"), pooledDim: try int("unet.pooled"), heads: try int("unet.heads"), mode: mode)
        if let problem = unetConfig.problem {
            throw TextToImageBundleError.invalidField(file: path, field: "unet", value: "\(unetConfig)", expected: "a valid U-Net (\(problem))")
        }
        let textWidth = try int("text.width"), textHeads = try int("text.heads")
        guard textWidth % textHeads == 0 else {
            throw TextToImageBundleError.invalidField(file: path, field: "text.heads", value: String(textHeads), expected: "a divisor of text.width \(textWidth)")
        }
        let textConfig = TextEncoderConfig(vocab: try int("text.vocab"), context: try int("text.context"), width: textWidth,
                                           heads: textHeads, layers: try int("text.layers", 1...64), embedDim: try int("text.embed"))
        let words = try text("vocabulary").split(separator: " ").map(String.init)
        guard words.count == textConfig.vocab, Array(words.prefix(3)) == Array(SceneVocabulary.standard.words.prefix(3)) else {
            throw TextToImageBundleError.invalidField(file: path, field: "vocabulary", value: "\(words.count) words",
                                                      expected: "\(textConfig.vocab) words starting with the pad, start and end markers")
        }
        let vaeConfig = AutoencoderConfig(imageChannels: try int("vae.channels"), width: try int("vae.width"),
                                          latentChannels: try int("vae.latent"), variational: try text("vae.variational") == "1")
        let rangesText = try text("channel_ranges")
        let ranges = rangesText.split(separator: ",").compactMap { pair -> ClosedRange<Float>? in
            let p = pair.split(separator: ":").compactMap { Float($0) }
            return p.count == 2 && p[0] <= p[1] ? p[0]...p[1] : nil
        }
        guard ranges.count == vaeConfig.latentChannels, ranges.count == rangesText.split(separator: ",").count else {
            throw TextToImageBundleError.invalidField(file: path, field: "channel_ranges", value: rangesText,
                                                      expected: "\(vaeConfig.latentChannels) ranges low:high")
        }
        let side = try int("image_side", 4...1024)
        guard side % AutoencoderConfig.downsampling == 0 else {
            throw TextToImageBundleError.invalidField(file: path, field: "image_side", value: String(side), expected: "a multiple of \(AutoencoderConfig.downsampling)")
        }
        var rng = RNG(seed: 0)
        let unet = TextConditionedUNet(unetConfig, rng: &rng)
        if meta["lora_rank"] != nil {
            let rank = try int("lora_rank"), alpha = try float("lora_alpha")
            let narrowest = unet.attentionBlocks.flatMap(\.projections).map { min($0.inFeatures, $0.outFeatures) }.min() ?? 0
            guard rank <= narrowest, alpha > 0 else {
                throw TextToImageBundleError.invalidField(file: path, field: "lora_rank", value: String(rank), expected: "at most \(narrowest), with a positive lora_alpha")
            }
            for block in unet.attentionBlocks { for layer in block.projections { layer.attachAdapter(rank: rank, alpha: alpha, rng: &rng) } }
        }
        let vae = Autoencoder(vaeConfig, rng: &rng)
        let textEncoder = TextEncoder(textConfig, rng: &rng)
        let prefixes = ["unet.", "vae.", "text."]
        if let stray = file.arrays.first(where: { a in !prefixes.contains { a.name.hasPrefix($0) } }) {
            throw CheckpointError.unexpectedParameter(file: path, name: stray.name)
        }
        for (prefix, module) in zip(prefixes, [unet as Module, vae, textEncoder]) {
            let part = try file.arrays.filter { $0.name.hasPrefix(prefix) }
                .map { try NamedArray(name: String($0.name.dropFirst(prefix.count)), shape: $0.shape, values: $0.values) }
            try module.load(SafetensorsFile(arrays: part), source: path + " (\(prefix.dropLast()))")
        }
        unet.eval(); vae.eval(); textEncoder.eval()
        return TextToImageBundle(unet: unet, vae: vae, encoder: CaptionEncoder(textEncoder, vocabulary: SceneVocabulary(words: words)),
                                 scale: try float("latent_scale"), channelRanges: ranges, eta: Double(try float("eta")), imageSide: side)
    }

    /// `count` images [count, 3, side, side] in [-1, 1] for `prompt`, by `steps` DDIM steps at
    /// guidance `guidance`; the same seed gives the same images. Throws when a word of the prompt
    /// is not in the vocabulary, naming it.
    public func images(prompt: String, count: Int, steps: Int, guidance: Float, seed: UInt64) throws -> Tensor {
        _ = try encoder.encode([prompt])  // unknown words are reported here, before any work
        let latentSide = imageSide / AutoencoderConfig.downsampling
        let sampler = GuidedSampler(unet: unet, encoder: encoder, channelRanges: channelRanges,
                                    latentShape: [vae.config.latentChannels, latentSide, latentSide], eta: eta)
        var rng = RNG(seed: seed)
        let z = sampler.sample(prompts: [String](repeating: prompt, count: count), scale: guidance, steps: steps, rng: &rng)
        return decodeImages(vae, Tensor.noGrad { z * scale })
    }
}
