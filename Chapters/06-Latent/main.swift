// Chapter 06: latent space. Autoencoders and VAEs on procedural coloured shapes, walks through their
// latent spaces, and diffusion run in a VAE's latent space against diffusion on pixels.
// The steps live in Steps/ (module Ch06Latent, tested in Tests/Ch06LatentTests); this file narrates
// them in order and writes the figures and report to Figures/06-latent.
import Ch06Latent
import Datasets
import Engine
import Foundation
import Models
import Notebook
import Plot

/// A number with a fixed number of decimals, for tables.
func f(_ x: Double, _ digits: Int = 3) -> String { String(format: "%.\(digits)f", x) }
func f(_ x: Float, _ digits: Int = 3) -> String { f(Double(x), digits) }
/// An integer with thousands separators.
func grouped(_ n: Int) -> String {
    let s = String(n)
    var out = ""
    for (i, c) in s.enumerated() {
        if i > 0 && (s.count - i) % 3 == 0 { out.append(",") }
        out.append(c)
    }
    return out
}

Notebook.run(number: 6, slug: "latent", title: "Latent space") { nb in
    let settings = nb.pick(quick: LatentSettings.quick, full: LatentSettings.full)
    let cache = TrainingCache(folder: nb.cacheDir, fresh: nb.fresh)
    nb.say("""
        Chapter 05 ran diffusion directly on pixels. Every denoising step then has to process every \
        pixel, although most of what a picture holds (which object, what colour, where) could be said \
        in far fewer numbers. Stable Diffusion therefore splits the job in two: an autoencoder learns \
        to squeeze images into a small *latent* grid and to restore them, and the diffusion model \
        works only on that grid. This chapter builds both halves on a small image set: a plain \
        autoencoder, a variational autoencoder (VAE), what their latent spaces look like when we walk \
        through them, and finally the same diffusion model trained on pixels and on VAE latents, \
        with what the latent costs and buys measured rather than asserted.
        """)

    // MARK: 1. Data
    nb.section("1. Coloured shapes")
    let data = ShapesData(trainCount: settings.trainCount, testCount: settings.testCount, seed: nb.seed)
    let train = data.train.images, test = data.test.images
    nb.say("""
        The images are drawn by code, so nothing is downloaded: one filled circle, square or \
        triangle on a black 32×32 background, in one of four colours, with a size (radius 5 to 11 \
        pixels) and a position drawn at random. Each attribute is stored with its image, which lets \
        later sections ask questions such as "where in the latent space do the large shapes live?". \
        Edges are anti-aliased (every pixel is the share of a 4×4 grid of sample points that falls \
        inside the shape), so moving a shape by half a pixel changes the image a little rather than \
        not at all. Pixels are stored in [-1, 1], channel first: 3 × 32 × 32 = 3,072 numbers per image.
        """)
    nb.number("training images", train.count)
    nb.number("held-out images", test.count)
    let show = Array(0..<24)
    try nb.figure(ImageGrid(title: "Coloured shapes: 24 training images (colour, kind)",
                            images: gridImages(train.tensor(indices: show), captions: show.map { caption(data.train.attributes[$0]) }),
                            columns: 8, width: 1200, height: 560),
                  name: "shapes", caption: "The first 24 training images with their colour and kind labels.")

    // MARK: 2. Autoencoder
    nb.section("2. A convolutional autoencoder")
    let aeConfig = AutoencoderConfig(width: settings.autoencoderWidth, latentChannels: 4)
    let latentShape = aeConfig.latentShape(height: 32, width: 32)
    let ratio = aeConfig.compressionRatio(height: 32, width: 32)
    nb.say("""
        The encoder is five 3×3 convolutions with SiLU between them; two of them have stride 2, so \
        each side shrinks by 4 and a 3×32×32 image becomes a \(latentShape[0])×\(latentShape[1])×\(latentShape[2]) \
        latent. The decoder mirrors it, growing the grid back with nearest-neighbour upsampling \
        followed by a convolution. The latent keeps its spatial layout: latent cell (i, j) mostly \
        describes the 4×4 patch of pixels above it, so a shape's position stays a position. Training \
        minimises the mean squared error between each image and its reconstruction, nothing else.
        """)
    nb.code("""
        let ae = Autoencoder(AutoencoderConfig(width: \(aeConfig.width), latentChannels: 4), rng: &rng)
        let z = ae.encode(x).mean          // [N, 4, 8, 8]
        let loss = mseLoss(ae.decode(z), x) // reconstruction only
        """)
    nb.number("floats per image", 3 * 32 * 32)
    nb.number("floats per latent", latentShape.reduce(1, *))
    nb.number("compression ratio", ratio, format: "%.0f : 1")
    nb.say("""
        Twelve to one is a modest ratio: the first Stable Diffusion also downsampled by 8 per side \
        with 4 latent channels, which is 48 : 1 for RGB. The ratio counts floats, not bits: a 32-bit \
        float latent is not smaller on disk than an 8-bit image. What matters for diffusion is the \
        number of positions its network has to process at every step: 64 here instead of 1,024.
        """)

    func fit(_ config: AutoencoderConfig, beta: Float, label: String, seed: UInt64) -> TrainedAutoencoder {
        let recipe = AutoencoderTraining(config: config, klWeight: beta, steps: settings.autoencoderSteps,
                                         batch: settings.autoencoderBatch, learningRate: 3e-3, seed: seed)
        var bar = nb.progress(0..<recipe.steps, label: label).makeIterator()
        return nb.timed("train \(label)") {
            trainAutoencoder(recipe, images: train, dataKey: "shapes\(train.count)-seed\(nb.seed)", cache: cache) { _ in _ = bar.next() }
        }
    }
    let ae = fit(aeConfig, beta: 0, label: "autoencoder", seed: nb.seed &+ 100)
    let baseline = meanImageError(train: train, test: test)
    let aeError = reconstructionError(ae.model, images: test)
    nb.number("held-out error of the mean image (MSE per value)", baseline, format: "%.4f")
    nb.number("held-out autoencoder reconstruction error (MSE per value)", aeError, format: "%.4f")

    // MARK: 3. VAE
    nb.section("3. A variational autoencoder and its KL weight")
    nb.say("""
        A plain autoencoder puts each image wherever in the latent space helps the decoder most. \
        Nothing says what lies *between* the codes of training images, or which latents are valid \
        at all, so a latent picked at random usually decodes to rubbish. A VAE adds two things. The \
        encoder outputs a Gaussian for every image, a mean μ and a log-variance log σ² for each \
        latent coordinate, and the decoder is trained on a *draw* from it, so nearby latents must \
        decode to similar images. And a KL term pulls each of those Gaussians toward the standard \
        normal N(0, I), so all codes share one region of known shape that we can sample from.

        Drawing z ~ N(μ, σ²) would break the chain of derivatives, since a random draw is not a \
        function of μ and σ. The reparameterisation trick writes the draw as z = μ + σ·ε with \
        ε ~ N(0, I) drawn outside the graph; now z is a plain function of μ and log σ² and the \
        gradients reach both. The KL divergence between two diagonal Gaussians has a closed form, \
        ½·Σ(μ² + σ² − 1 − log σ²) nats summed over the latent coordinates; the tests check it \
        against a Monte Carlo estimate.
        """)
    nb.code("""
        let code = vae.encode(x)                                        // mean, logVar: [N, 4, 8, 8]
        let z = code.mean + (code.logVar * 0.5).exp() * Tensor.randn(code.mean.shape, rng: &rng)
        let kl = gaussianKL(mean: code.mean, logVar: code.logVar)       // nats per image
        let loss = mseLoss(vae.decode(z), x) + kl * (β / 3072)
        """)
    nb.say("""
        The weight β sets the exchange rate between the two terms: one nat of KL per image costs as \
        much as β units of squared error summed over the image's 3,072 values. (With a Gaussian \
        decoder of variance s² the true evidence lower bound has β = 2s², so β = 1 means a decoder \
        that expects its reconstructions to be off by 0.7 per value, which is very blurry.) Below, \
        three VAEs that differ only in β train for the same \(settings.autoencoderSteps) steps as \
        the autoencoder.
        """)
    var vaes: [TrainedAutoencoder] = []
    for (i, beta) in settings.klWeights.enumerated() {
        vaes.append(fit(AutoencoderConfig(width: settings.autoencoderWidth, latentChannels: 4, variational: true),
                          beta: beta, label: "VAE β=\(beta)", seed: nb.seed &+ 200 &+ UInt64(i)))
    }
    let vae = vaes[settings.klWeights.count / 2]
    var klRows: [[String]] = [["autoencoder", f(aeError, 4), "-"]]
    var codeStats: [(mean: Double, std: Double)] = []
    let trainCodesAE = encodeAll(ae.model, train)
    let aeStats = codeStatistics(trainCodesAE)
    klRows[0] += [f(aeStats.mean, 2), f(aeStats.std, 2)]
    for v in vaes {
        let err = reconstructionError(v.model, images: test)
        let klTail = v.kl.suffix(50).reduce(0, +) / Float(min(50, v.kl.count))
        let stats = codeStatistics(encodeAll(v.model, train))
        codeStats.append(stats)
        klRows.append(["VAE β = \(v.recipe.klWeight)", f(err, 4), f(klTail, 1), f(stats.mean, 2), f(stats.std, 2)])
    }
    nb.table(headers: ["model", "held-out MSE per value", "KL (nats per image, last 50 steps)", "mean of codes", "std of codes"], rows: klRows)
    let smooth = max(1, settings.autoencoderSteps / 25)
    var curves = [LineSeries(name: "autoencoder", y: runningMean(ae.reconstruction, window: smooth))]
    for v in vaes { curves.append(LineSeries(name: "VAE β = \(v.recipe.klWeight)", y: runningMean(v.reconstruction, window: smooth))) }
    try nb.figure(LinePlot(title: "Reconstruction error while training (running mean over \(smooth) steps)",
                           xLabel: "training step", yLabel: "MSE per pixel value", yScale: .log10, series: curves,
                           referenceLines: [ReferenceLine(value: baseline, label: "mean image", dashed: true)]),
                  name: "training", caption: "Reconstruction error per step of the autoencoder and the three VAEs; the dashed line is the held-out error of always answering the mean image.")

    let picks = Array(0..<10)
    let originals = test.tensor(indices: picks)
    var recon = gridImages(originals)
    recon += gridImages(decodeImages(ae.model, encodeMeans(ae.model, test, indices: picks)))
    recon += gridImages(decodeImages(vae.model, encodeMeans(vae.model, test, indices: picks)))
    try nb.figure(ImageGrid(title: "Held-out originals and their reconstructions",
                            images: recon, columns: 10,
                            rowLabels: ["original", "autoencoder", "VAE β=\(vae.recipe.klWeight)"], width: 1200, height: 460),
                  name: "reconstructions", caption: "Top: ten held-out images. Middle: the autoencoder's reconstructions. Bottom: the VAE's (decoding the mean code).")

    var klGrid = gridImages(originals)
    var priorRNG = nb.rng(3)
    let priorNoise = Tensor.randn([10] + latentShape, rng: &priorRNG)
    for v in vaes { klGrid += gridImages(decodeImages(v.model, encodeMeans(v.model, test, indices: picks))) }
    for v in vaes { klGrid += gridImages(decodeImages(v.model, priorNoise)) }
    try nb.figure(ImageGrid(title: "KL weight β: reconstructions and prior samples",
                            images: klGrid, columns: 10,
                            rowLabels: ["original"] + vaes.map { "recon β=\($0.recipe.klWeight)" } + vaes.map { "prior β=\($0.recipe.klWeight)" },
                            width: 1200, height: 900),
                  name: "kl-weight", caption: "Each VAE reconstructs the same ten held-out images, then decodes the same ten draws from the prior N(0, I).")
    nb.say("""
        Reading the table and the figure together: with a small β the VAE behaves almost like a plain \
        autoencoder, sharp reconstructions and a large KL (the codes spread far from N(0, I)), so \
        decoding a draw from the prior gives shapes that are only partly formed. A large β squeezes \
        the KL down: the codes crowd into the prior, every prior draw decodes to something \
        plausible, but the decoder gets too little information per image and reconstructions blur \
        toward an average blob. The middle value is the compromise this chapter keeps. The two \
        right-hand columns of the table measure the same thing from the data side: the codes of a \
        plain autoencoder have an arbitrary scale, while a VAE's codes are pulled toward mean 0 and \
        spread 1.
        """)

    // MARK: 4. Walking the latent space
    nb.section("4. Walking the latent space")
    nb.say("""
        If the latent space is organised, a straight line between the codes of two images should \
        decode to a smooth morph between them, and a fixed direction should mean the same change \
        everywhere. Both models get the same pairs of held-out images; each row decodes eight evenly \
        spaced points on the line between the two codes (the VAE uses its means).
        """)
    let pairs = [(0, 1), (2, 3), (4, 5)]
    var walk: [GridImage] = []
    var walkRows: [String] = []
    let frames = 8
    for (a, b) in pairs {
        for (name, m) in [("AE", ae.model), ("VAE", vae.model)] {
            let za = encodeMeans(m, test, indices: [a]), zb = encodeMeans(m, test, indices: [b])
            walk += gridImages(decodeImages(m, interpolate(za, zb, frames: frames)))
            walkRows.append("\(name) \(a)→\(b)")
        }
    }
    try nb.figure(ImageGrid(title: "Interpolating between two held-out images in latent space",
                            images: walk, columns: frames, rowLabels: walkRows,
                            columnLabels: (0..<frames).map { "t=\(f(Double($0) / Double(frames - 1), 2))" }, width: 1200, height: 900),
                  name: "interpolation", caption: "Rows in pairs: autoencoder then VAE, between the same two held-out images; t is the position along the line.")
    nb.say("""
        Neither model moves the shape across the image the way a person would picture it: on a \
        straight line between two codes, the decoder mostly fades one shape out while the other fades \
        in, because the latent is a grid and position is *where* the activity sits. The VAE's \
        midpoints are closer to real images (single, if blurred, shapes); the autoencoder's \
        midpoints are more often two ghosts or smudges, because the path leaves the region its \
        decoder was trained on.
        """)

    let trainCodes = encodeAll(vae.model, train)
    let sizeVector = attributeVector(codes: trainCodes, labels: data.train.sizeLabels, positive: 1, negative: 0)
    let colorVector = attributeVector(codes: trainCodes, labels: data.train.colorLabels,
                                      positive: ShapeColor.red.rawValue, negative: ShapeColor.blue.rawValue)
    let smallIdx = Array((0..<test.count).filter { data.test.sizeLabels[$0] == 0 }.prefix(6))
    let blueIdx = Array((0..<test.count).filter { data.test.attributes[$0].color == .blue }.prefix(6))
    let scales: [Float] = [0, 0.5, 1, 1.5]
    var arith: [GridImage] = []
    var arithRows: [String] = []
    for s in scales {
        arith += gridImages(decodeImages(vae.model, shifted(encodeMeans(vae.model, test, indices: smallIdx), by: sizeVector, scale: s)))
        arithRows.append("small + \(f(s, 1))·size")
    }
    for s in scales {
        arith += gridImages(decodeImages(vae.model, shifted(encodeMeans(vae.model, test, indices: blueIdx), by: colorVector, scale: s)))
        arithRows.append("blue + \(f(s, 1))·(red−blue)")
    }
    try nb.figure(ImageGrid(title: "Attribute arithmetic in the VAE's latent space",
                            images: arith, columns: 6, rowLabels: arithRows, width: 1100, height: 1000),
                  name: "attribute-arithmetic", caption: "Top four rows: small held-out shapes plus a multiple of the size vector (mean code of large shapes minus mean code of small ones). Bottom four: blue shapes plus a multiple of the red-minus-blue vector.")
    nb.say("""
        An attribute vector is a difference of averages: the mean code of every large training shape \
        minus the mean code of every small one, or of the red shapes minus the blue ones. Adding it \
        to a code asks the decoder for "this image, but larger" or "this image, but redder". Colour \
        works well because colour is nearly the same at every position: the same channel mix shifts \
        everywhere. Size works only roughly: "large" means more filled cells *around the shape*, but \
        the average difference is spread over the whole grid (shapes can be anywhere), so the \
        vector mostly grows a halo round the centre of the image. Directions in a latent space are \
        only as meaningful as the averages they come from.
        """)

    var prior: [GridImage] = []
    let priorCount = 10
    var priorRows: [String] = []
    var sampleRNG = nb.rng(4)
    let z = Tensor.randn([priorCount] + latentShape, rng: &sampleRNG)
    prior += gridImages(decodeImages(ae.model, z)); priorRows.append("AE, N(0, I)")
    let aeScaled = Tensor.noGrad { z * Float(aeStats.std) + Float(aeStats.mean) }
    prior += gridImages(decodeImages(ae.model, aeScaled)); priorRows.append("AE, matched scale")
    prior += gridImages(decodeImages(vae.model, z)); priorRows.append("VAE, N(0, I)")
    try nb.figure(ImageGrid(title: "Decoding random latents", images: prior, columns: priorCount, rowLabels: priorRows, width: 1200, height: 460),
                  name: "prior-samples", caption: "Ten draws of z ~ N(0, I): decoded by the autoencoder as they are, by the autoencoder after matching its codes' mean and spread, and by the VAE.")
    nb.say("""
        Sampling is where the VAE's KL term pays off. The plain autoencoder has no prior: feeding it \
        standard normal noise, even rescaled to the mean and spread of its real codes, gives \
        textures and blotches, because real codes occupy a thin, structured subset of the space and \
        independent noise in every coordinate almost never lands in it. The VAE was trained so that \
        N(0, I) covers its codes, and its prior samples are blurry but recognisable shapes. \
        Blurry, because a VAE with a Gaussian decoder averages over what the latent leaves \
        uncertain. That is the opening for diffusion: keep the VAE as a compressor and let a \
        diffusion model, rather than N(0, I), generate the latents.
        """)
}
