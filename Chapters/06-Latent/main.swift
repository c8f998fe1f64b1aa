// Chapter 06: latent space. Autoencoders and VAEs on procedural coloured shapes, walks through their
// latent spaces, and diffusion run in a VAE's latent space against diffusion on pixels.
// The steps live in Steps/ (module Ch06Latent, tested in Tests/Ch06LatentTests); this file narrates
// them in order and writes the figures and report to Figures/06-latent.
import Ch06Latent
import Datasets
import Diffusion
import Engine
import Foundation
import Models
import Notebook
import Plot

/// A number with a fixed number of decimals, for tables.

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
    nb.number("training images", train.count, key: "ch06_train_images", unit: "count")
    nb.number("held-out images", test.count, key: "ch06_test_images", unit: "count")
    let show = Array(0..<24)
    try nb.figure(ImageGrid(title: "Coloured shapes: 24 training images (colour, kind)",
                            images: gridImages(train.tensor(indices: show), captions: show.map { caption(data.train.attributes[$0]) }),
                            columns: 6, pixelScale: 6),
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
    nb.number("floats per image", 3 * 32 * 32, key: "ch06_floats_per_image", unit: "count")
    nb.number("floats per latent", latentShape.reduce(1, *), key: "ch06_floats_per_latent", unit: "count")
    nb.number("compression ratio", ratio, key: "ch06_compression_ratio", unit: "floats per image / floats per latent", format: "%.0f : 1")
    nb.say("""
        Twelve to one is a modest ratio: the first Stable Diffusion also downsampled by 8 per side \
        with 4 latent channels, which is 48 : 1 for RGB. The ratio counts floats, not bits: a 32-bit \
        float latent is not smaller on disk than an 8-bit image. What matters for diffusion is the \
        number of positions its network has to process at every step: 64 here instead of 1,024.
        """)

    func fit(_ config: AutoencoderConfig, beta: Float, steps: Int, label: String, seed: UInt64) -> TrainedAutoencoder {
        let recipe = AutoencoderTraining(config: config, klWeight: beta, steps: steps,
                                         batch: settings.autoencoderBatch, learningRate: 3e-3, seed: seed)
        var bar = nb.progress(0..<recipe.steps, label: label).makeIterator()
        return nb.timed("train \(label) (\(steps) steps, or load from cache)") {
            trainAutoencoder(recipe, images: train, dataKey: settings.trainingDataKey(seed: nb.seed), cache: cache) { _ in _ = bar.next() }
        }
    }
    let ae = fit(aeConfig, beta: 0, steps: settings.autoencoderSteps, label: "autoencoder", seed: nb.seed &+ 100)
    let baseline = meanImageError(train: train, test: test)
    let aeError = reconstructionError(ae.model, images: test)
    nb.number("held-out error of the mean image (MSE per value)", baseline, key: "ch06_mean_image_mse", unit: "squared error per value", format: "%.4f")
    nb.number("held-out autoencoder reconstruction error (MSE per value)", aeError, key: "ch06_ae_recon_mse", unit: "squared error per value", format: "%.4f")

    // The judge: a classifier of kind and colour trained on real images, used from here on.
    let dataKey = settings.trainingDataKey(seed: nb.seed)
    let judge = nb.timed("train the kind-and-colour classifier (or load from cache)") {
        ShapeJudge(shapes: data.train, steps: settings.classifierSteps, seed: nb.seed &+ 400, dataKey: dataKey, cache: cache)
    }
    let half = settings.sampleCount
    precondition(test.count == 2 * half, "the held-out set must hold two halves of sampleCount images")
    let reference = test.tensor(0..<half)                      // what every set of images is scored against
    let realHalf = test.tensor(half..<(2 * half))               // the ceiling: other real images
    let realHalfAttributes = Array(data.test.attributes[half..<(2 * half)])
    let realAccuracy = judge.attributeAccuracy(realHalf, attributes: realHalfAttributes)
    let aeRecon = decodeImages(ae.model, encodeMeans(ae.model, test, indices: Array(half..<(2 * half))))
    let aeAccuracy = judge.attributeAccuracy(aeRecon, attributes: realHalfAttributes)
    nb.say("""
        A squared error says how many pixel values are off, not whether the picture is still the \
        same picture: a triangle with rounded corners costs little error and yet is no longer a \
        triangle. So the chapter also asks a judge. A small convolutional classifier \
        (`ImageClassifier`) learns the 12 combinations of kind and colour from the real training \
        images, each softened by a random amount of blur so that the judge names what is drawn \
        rather than keying on how crisp the edges are; it is then shown reconstructions of \
        \(half) held-out images and asked what kind and colour it sees. Its accuracy on the real versions of the same images is the ceiling; \
        a judge that guesses gets a third of the kinds and a quarter of the colours right.
        """)
    nb.number("judge accuracy on real held-out images, kind", realAccuracy.kind, key: "ch06_judge_real_kind_acc", unit: "share", format: "%.1f %%", scale: 100)
    nb.number("judge accuracy on real held-out images, colour", realAccuracy.color, key: "ch06_judge_real_color_acc", unit: "share", format: "%.1f %%", scale: 100)

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
        \(settings.klWeights.count) VAEs that differ only in β train for \(settings.sweepSteps) steps each \
        (the autoencoder had \(settings.autoencoderSteps); the sweep compares β, and its VAEs are not used again).
        """)
    var vaes: [TrainedAutoencoder] = []
    for (i, beta) in settings.klWeights.enumerated() {
        vaes.append(fit(AutoencoderConfig(width: settings.autoencoderWidth, latentChannels: 4, variational: true),
                        beta: beta, steps: settings.sweepSteps, label: "VAE β=\(beta)", seed: nb.seed &+ 200 &+ UInt64(i)))
    }
    let vaeRecipe = settings.chapterVAERecipe(seed: nb.seed)
    let vae = fit(vaeRecipe.config, beta: vaeRecipe.klWeight, steps: vaeRecipe.steps, label: "chapter VAE β=\(vaeRecipe.klWeight)", seed: vaeRecipe.seed)
    let vaeRecon = decodeImages(vae.model, encodeMeans(vae.model, test, indices: Array(half..<(2 * half))))
    let vaeAccuracy = judge.attributeAccuracy(vaeRecon, attributes: realHalfAttributes)
    var klRows: [[String]] = []
    var codeStats: [(mean: Double, std: Double)] = []
    let trainCodesAE = encodeAll(ae.model, train)
    let aeStats = codeStatistics(trainCodesAE)
    let vaeError = reconstructionError(vae.model, images: test)
    for v in vaes + [vae] {
        let err = reconstructionError(v.model, images: test)
        let klTail = v.kl.suffix(50).reduce(0, +) / Float(min(50, v.kl.count))
        let stats = codeStatistics(encodeAll(v.model, train))
        codeStats.append(stats)
        klRows.append(["\(v.model === vae.model ? "chapter VAE" : "sweep VAE") β = \(v.recipe.klWeight)", String(v.recipe.steps), f(err, 4), f(klTail, 1), f(stats.mean, 2), f(stats.std, 2)])
    }
    klRows.append(["autoencoder", String(ae.recipe.steps), f(aeError, 4), "-", f(aeStats.mean, 2), f(aeStats.std, 2)])
    nb.table(headers: ["model", "steps", "held-out MSE per value", "KL (nats per image, last 50 steps)", "mean of codes", "std of codes"], rows: klRows)
    let smooth = max(1, settings.autoencoderSteps / 50)
    var curves = [LineSeries(name: "autoencoder", y: runningMean(ae.reconstruction, window: smooth))]
    curves.append(LineSeries(name: "chapter VAE β = \(vae.recipe.klWeight)", y: runningMean(vae.reconstruction, window: smooth)))
    for v in vaes { curves.append(LineSeries(name: "sweep VAE β = \(v.recipe.klWeight)", y: runningMean(v.reconstruction, window: smooth), dashed: true)) }
    try nb.figure(LinePlot(title: "Reconstruction error while training (running mean over \(smooth) steps)",
                           xLabel: "training step (32 images each)", yLabel: "MSE per pixel value", yScale: .log10, series: curves,
                           referenceLines: [ReferenceLine(value: baseline, label: "mean image (held out)", dashed: true)]),
                  name: "training", caption: "Reconstruction error per step of the autoencoder, the chapter's VAE and the shorter β-sweep VAEs (dashed); the dashed line is the held-out error of always answering the mean image.")

    nb.say("""
        The judge's verdict on the reconstructions of the \(half) held-out images, per kind \
        (accuracy among the images of that kind) and for colour:
        """)
    let kindNames = ShapeKind.allCases.map(\.name)
    let shortRecon = decodeImages(vaes[1].model, encodeMeans(vaes[1].model, test, indices: Array(half..<(2 * half))))
    let shortAccuracy = judge.attributeAccuracy(shortRecon, attributes: realHalfAttributes)
    var noiseRNG = nb.rng(8)
    let noise = Tensor.uniform([half, 3, 32, 32], -1, 1, rng: &noiseRNG)
    let noiseAccuracy = judge.attributeAccuracy(noise, attributes: realHalfAttributes)
    let rowsOf = { (name: String, a: AttributeAccuracy) -> [String] in [name] + a.perKind.map { pct($0, space: true) } + [pct(a.kind, space: true), pct(a.color, space: true)] }
    nb.table(headers: ["images"] + kindNames.map { "kind: \($0)" } + ["kind, all", "colour"], rows: [
        rowsOf("real (ceiling)", realAccuracy),
        rowsOf("uniform noise (floor)", noiseAccuracy),
        rowsOf("autoencoder reconstructions", aeAccuracy),
        rowsOf("chapter VAE reconstructions", vaeAccuracy),
        rowsOf("sweep VAE β = \(vaes[1].recipe.klWeight) (\(settings.sweepSteps) steps)", shortAccuracy),
    ])
    nb.say("""
        The noise row is the floor, and it shows why the per-kind columns need one: the judge \
        calls almost every noise image the same kind, so that kind's column is high for noise \
        while the others are near zero. Over all kinds noise scores \(pct(noiseAccuracy.kind, space: true)) \
        (chance is a third) and \(pct(noiseAccuracy.color, space: true)) for colour (chance is a quarter).
        """)
    for (k, name) in kindNames.enumerated() {
        nb.number("VAE reconstructions judged the right kind, \(name)", vaeAccuracy.perKind[k], key: "ch06_recon_kind_acc_\(name)", unit: "share", format: "%.1f %%", scale: 100)
    }
    for (k, name) in kindNames.enumerated() {
        nb.number("autoencoder reconstructions judged the right kind, \(name)", aeAccuracy.perKind[k], key: "ch06_ae_recon_kind_acc_\(name)", unit: "share", format: "%.1f %%", scale: 100)
    }
    nb.number("VAE reconstructions judged the right colour", vaeAccuracy.color, key: "ch06_recon_color_acc", unit: "share", format: "%.1f %%", scale: 100)
    nb.say("""
        Triangles are the hard case. Their corners are a few pixels wide, and a decoder that \
        has not yet learned to draw them rounds them off, which the judge then calls a circle. \
        The same VAE trained for \(settings.sweepSteps) steps instead of \(settings.autoencoderSteps) \
        (last row) gets \(pct(shortAccuracy.perKind[2], space: true)) of the triangles right; the full run \
        brings the worst kind up to \(pct(vaeAccuracy.perKind.min() ?? 0, space: true)) for the VAE and \
        \(pct(aeAccuracy.perKind.min() ?? 0, space: true)) for the autoencoder. The training curves show why \
        length matters: the reconstruction error of the short runs is still falling when they stop.
        """)

    let picks = Array(half..<(half + 10))
    let originals = test.tensor(indices: picks)
    var recon = gridImages(originals)
    recon += gridImages(decodeImages(ae.model, encodeMeans(ae.model, test, indices: picks)))
    recon += gridImages(decodeImages(vae.model, encodeMeans(vae.model, test, indices: picks)))
    try nb.figure(ImageGrid(title: "Held-out originals and their reconstructions",
                            images: recon, columns: 10,
                            rowLabels: ["original", "autoencoder", "VAE β=\(vae.recipe.klWeight)"], pixelScale: 4),
                  name: "reconstructions", caption: "Top: ten held-out images. Middle: the autoencoder's reconstructions. Bottom: the chapter VAE's (decoding the mean code).")

    var klGrid = gridImages(originals)
    var priorRNG = nb.rng(3)
    let priorNoise = Tensor.randn([10] + latentShape, rng: &priorRNG)
    for v in vaes { klGrid += gridImages(decodeImages(v.model, encodeMeans(v.model, test, indices: picks))) }
    for v in vaes { klGrid += gridImages(decodeImages(v.model, priorNoise)) }
    try nb.figure(ImageGrid(title: "KL weight β: reconstructions and prior samples (\(settings.sweepSteps)-step sweep)",
                            images: klGrid, columns: 10,
                            rowLabels: ["original"] + vaes.map { "recon β=\($0.recipe.klWeight)" } + vaes.map { "prior β=\($0.recipe.klWeight)" },
                            pixelScale: 3),
                  name: "kl-weight", caption: "Each sweep VAE reconstructs the same ten held-out images, then decodes the same ten draws from the prior N(0, I).")
    nb.say("""
        Reading the table and the figure together. As β grows, the KL per image falls (the codes \
        carry fewer nats about their image) and the reconstructions pay for it: up to β = 1 they \
        keep their kind, at β = 10 they are blurred discs whose colour survives and whose kind does not. \
        The last two columns show the same squeeze from the data side: the spread of the codes \
        shrinks with β, because the KL term rewards each image's Gaussian for sitting near 0 with \
        a variance near 1, and the only way to do that while staying distinguishable is to shrink \
        the means and widen the noise. (A plain autoencoder's codes have an arbitrary scale: nothing \
        asks for anything else.)

        The prior rows are the surprise. None of these VAEs turns a draw from N(0, I) into a shape, \
        not even at β = 10. The reason is the *spatial* latent: the prior draws each of the 256 \
        coordinates independently, while a real image's code is a coordinated pattern (a few \
        neighbouring cells light up together, the rest say "background"). The KL term only pulls \
        each image's Gaussian toward N(0, 1) coordinate by coordinate; it cannot make independent \
        noise look like that pattern. Small image VAEs with a flat vector latent do better here, \
        and a VAE with a spatial latent, like Stable Diffusion's, is not meant to be sampled this \
        way at all: a second model learns the distribution of its latents (section 5). The \
        chapter's VAE keeps β = \(vae.recipe.klWeight) and trains for \(vae.recipe.steps) steps like \
        the autoencoder (the table's \(vae.recipe.steps)-step VAE row): its held-out error is \
        \(f(vaeError, 4)) against the autoencoder's \(f(aeError, 4)), and its codes have spread \
        \(f(codeStats.last?.std ?? 0, 2)) instead of the autoencoder's arbitrary \(f(aeStats.std, 2)).
        """)

    // MARK: 4. Walking the latent space
    nb.section("4. Walking the latent space")
    nb.say("""
        If the latent space is organised, a straight line between the codes of two images should \
        decode to a smooth morph between them, and a fixed direction should mean the same change \
        everywhere. Both models get the same pairs of held-out images; each row decodes eight evenly \
        spaced points on the line between the two codes (the VAE uses its means).
        """)
    let pairs = [(half, half + 6), (half + 2, half + 3), (half + 4, half + 5)]
    var walk: [GridImage] = []
    var walkRows: [String] = []
    let frames = 8
    for (p, (a, b)) in pairs.enumerated() {
        for (name, m) in [("autoencoder", ae.model), ("VAE", vae.model)] {
            let za = encodeMeans(m, test, indices: [a]), zb = encodeMeans(m, test, indices: [b])
            walk += gridImages(decodeImages(m, interpolate(za, zb, frames: frames)))
            walkRows.append("pair \(p + 1), \(name)")
        }
    }
    try nb.figure(ImageGrid(title: "Interpolating between two held-out images in latent space",
                            images: walk, columns: frames, rowLabels: walkRows,
                            columnLabels: (0..<frames).map { "t=\(f(Double($0) / Double(frames - 1), 2))" }, pixelScale: 4),
                  name: "interpolation", caption: "Rows in pairs: autoencoder then VAE, between the same two held-out images; t is the position along the line.")
    nb.say("""
        Neither model moves a shape from one place to another the way a person would draw the \
        in-between frames. Where the two shapes overlap (pair 1), the decoder blends one into \
        the other, yellow turning to red through orange. Where they are apart (pair 2), one fades \
        out while the other fades in, because the latent is a grid and a shape's position is \
        *which cells* are active; halfway, both models show a doubled, smeared shape. The straight \
        line also passes through colours neither end has: the autoencoder paints blue between \
        green and red in pair 2, and both models go from red to blue through green in pair 3.
        """)

    let trainCodes = encodeAll(vae.model, train)
    let sizeVector = attributeVector(codes: trainCodes, labels: data.train.sizeLabels, positive: 1, negative: 0)
    let colorVector = attributeVector(codes: trainCodes, labels: data.train.colorLabels,
                                      positive: ShapeColor.red.rawValue, negative: ShapeColor.blue.rawValue)
    let smallIdx = Array((half..<test.count).filter { data.test.sizeLabels[$0] == 0 }.prefix(6))
    let blueIdx = Array((half..<test.count).filter { data.test.attributes[$0].color == .blue }.prefix(6))
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
                            images: arith, columns: 6, rowLabels: arithRows, pixelScale: 4),
                  name: "attribute-arithmetic", caption: "Top four rows: small held-out shapes plus a multiple of the size vector (mean code of large shapes minus mean code of small ones). Bottom four: blue shapes plus a multiple of the red-minus-blue vector.")
    nb.say("""
        An attribute vector is a difference of averages: the mean code of every large training shape \
        minus the mean code of every small one, or of the red shapes minus the blue ones. Adding it \
        to a code asks the decoder for "this image, but larger" or "this image, but redder". Both \
        work, and both show where the idea stops. Size: the shapes grow a little, and by 1.5 \
        times the vector they pick up smears and stray pieces of other colours, because the large \
        shapes sit anywhere and the average difference is a soft ring round the middle of the \
        image. Colour: blue turns red, but not along a straight line through colour space: \
        halfway it is green, at 1.0 a red and green mix, and at 1.5 mostly red. The codes of \
        "red" and "blue" are not two points on a colour axis; the decoder bends the straight \
        latent line. Directions in a latent space are only as meaningful as the averages they come \
        from and as linear as the decoder happens to be.
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
    try nb.figure(ImageGrid(title: "Decoding random latents", images: prior, columns: priorCount, rowLabels: priorRows, pixelScale: 4),
                  name: "prior-samples", caption: "Ten draws of z ~ N(0, I): decoded by the autoencoder as they are, by the autoencoder after matching its codes' mean and spread, and by the VAE.")
    nb.say("""
        Section 3 showed it for the VAEs; here the autoencoder joins them. Decoding N(0, I) with \
        the plain autoencoder gives saturated textures; even after matching the mean and spread of \
        its real codes it gives textures, because real codes occupy a thin, structured subset of \
        the space and independent noise in every coordinate almost never lands in it. The VAE's \
        prior samples are darker and calmer (its decoder has seen noisy codes and answers them \
        with dim, low-contrast colour) but are still not shapes. Being able to *decode* any \
        latent is not the same as having a *distribution* over latents worth sampling. That is \
        the gap diffusion fills: keep the VAE as a compressor and let a diffusion model, rather \
        than N(0, I), generate the latents.
        """)

    // MARK: 5. Latent diffusion
    nb.section("5. Diffusion in the latent space")
    let wideRecipe = settings.latentVAERecipe(seed: nb.seed)
    let wideVAE = fit(wideRecipe.config, beta: wideRecipe.klWeight, steps: wideRecipe.steps,
                      label: "VAE of width \(wideRecipe.config.width) for latent diffusion", seed: wideRecipe.seed)
    let wideRecon = decodeImages(wideVAE.model, encodeMeans(wideVAE.model, test, indices: Array(half..<(2 * half))))
    let wideAccuracy = judge.attributeAccuracy(wideRecon, attributes: realHalfAttributes)
    let wideError = reconstructionError(wideVAE.model, images: test)
    nb.say("""
        A latent sample can look no better than the decoder draws it, so before any diffusion the \
        chapter trains one more VAE, the chapter VAE's recipe (β = \(wideRecipe.klWeight), \
        \(wideRecipe.steps) steps) with every convolution \(wideRecipe.config.width) instead of \
        \(settings.autoencoderWidth) channels wide at full resolution (twice that below). Its held-out \
        error is \(f(wideError, 4)) per value against \(f(vaeError, 4)) for the chapter VAE, and the \
        judge names the kind of its reconstructions right for \
        \(kindNames.enumerated().map { "\(pct(wideAccuracy.perKind[$0.offset], space: true)) of the \($0.element)s" }.joined(separator: ", ")). \
        Section 6 measures what the extra width buys in sample quality. Everything below runs on \
        this wider VAE's latents; chapter 08 builds on the chapter VAE of sections 3 and 4.
        """)
    let latentSet = LatentDataset(model: wideVAE.model, images: train)
    nb.say("""
        Now the two halves meet. Every training image is encoded once by the VAE (its mean code, \
        so the data set is fixed), and the chapter-05 recipe (cosine noise schedule over 1,000 \
        steps, a U-Net trained to predict the noise added since the clean latent, DDIM sampling) \
        runs on those 4×8×8 latents instead of on 3×32×32 pixels. A sample is then one decoder \
        pass away from an image.

        One detail: the latents are divided by their standard deviation first. At step t the \
        noisy latent is √ᾱ_t·z₀ + √(1 − ᾱ_t)·ε, so its signal-to-noise ratio is \
        ᾱ_t·s²/(1 − ᾱ_t) for latents of spread s. The schedule was chosen for data of spread 1; \
        latents of spread \(f(latentSet.scale, 2)) would have \(f(Double(latentSet.scale * latentSet.scale), 2)) \
        times that ratio at every step, the same as running a different schedule. Dividing by s \
        restores the one the schedule was designed for. Stable Diffusion does the same with its \
        factor 0.18215.
        """)
    nb.number("raw latent mean", latentSet.mean, key: "ch06_raw_latent_mean", unit: "", format: "%.3f")
    nb.number("raw latent standard deviation (the scale divided out)", latentSet.scale, key: "ch06_raw_latent_std", unit: "", format: "%.3f")
    nb.table(headers: ["latent channel", "smallest scaled value", "largest scaled value"],
             rows: latentSet.channelRanges.enumerated().map { [String($0.offset), f($0.element.lowerBound, 2), f($0.element.upperBound, 2)] })

    let pixelUNet = UNetConfig(inChannels: 3, outChannels: 3, baseChannels: 16, channelMultipliers: [1, 2, 2], groups: 8, timeDim: 64)
    let latentUNet = UNetConfig(inChannels: 4, outChannels: 4, baseChannels: settings.latentUNetWidth, channelMultipliers: [1, 2, 2],
                                groups: 8, timeDim: 64)
    let side = 32, lside = latentShape[1]
    let pixelMACs = UNetCost.forwardMACs(pixelUNet, height: side, width: side)
    let latentMACs = UNetCost.forwardMACs(latentUNet, height: lside, width: lside)
    let flopSteps = equalComputeSteps(pixelSteps: settings.pixelDiffusionSteps, pixel: pixelUNet, latent: latentUNet,
                                      imageSide: side, latentSide: lside)
    let longSteps = equalComputeSteps(pixelSteps: settings.pixelLongSteps, pixel: pixelUNet, latent: latentUNet,
                                      imageSide: side, latentSide: lside)
    let timeSteps = settings.pixelDiffusionSteps * LatentSettings.latentStepsPerPixelStep
    let pixelStepFLOPs = UNetCost.trainingFLOPs(pixelUNet, height: side, width: side, batch: settings.diffusionBatch)
    let latentStepFLOPs = UNetCost.trainingFLOPs(latentUNet, height: lside, width: lside, batch: settings.diffusionBatch)
    let pixelLevels = (0..<3).map { String(pixelUNet.channels($0)) }.joined(separator: ", ")
    let latentLevels = (0..<3).map { String(latentUNet.channels($0)) }.joined(separator: ", ")
    nb.say("""
        Both models are U-Nets of the same design (three levels, residual blocks with GroupNorm, \
        SiLU and a timestep embedding). The pixel U-Net has \(pixelLevels) channels at its three \
        levels and 3 input and output channels; the latent U-Net, \(latentLevels) channels and 4. \
        The latent one is twice as wide because its 8×8 input leaves room for it: a forward pass \
        costs \(grouped(pixelMACs)) multiply-accumulates on a 32×32 image and \(grouped(latentMACs)) \
        on an 8×8 latent, \(f(Double(pixelMACs) / Double(latentMACs), 1)) times fewer. Five runs \
        make the comparison, all with batch \(settings.diffusionBatch) and a learning rate decayed \
        to the end of each run:

        - **pixels, short**: \(settings.pixelDiffusionSteps) steps;
        - **latents, equal FLOPs (short)**: \(flopSteps) steps, the same counted arithmetic as the short pixel run;
        - **latents, equal time (short)**: \(timeSteps) steps. Small convolutions use a CPU less \
        efficiently than large ones, so a latent step does not run \(f(Double(pixelMACs) / Double(latentMACs), 0)) \
        times faster: measured once on two cores it took about 1/\(LatentSettings.latentStepsPerPixelStep) \
        of a pixel step, and this ratio is fixed in the code so the figures do not depend on the \
        machine (the Timings section at the end re-measures both steps on the machine that wrote \
        this page);
        - **pixels, long**: \(settings.pixelLongSteps) steps, \(f(Double(settings.pixelLongSteps) / Double(settings.pixelDiffusionSteps), 0)) \
        times the short run, to see what pixel diffusion draws when it is given more compute;
        - **latents, equal FLOPs (long)**: \(longSteps) steps, the arithmetic of the long pixel run. \
        This is the chapter's latent model: the sampler study below and the headline numbers use it.
        """)
    func fitDiffusion(_ config: UNetConfig, steps: Int, data: Tensor, key: String, label: String) throws -> TrainedDiffusion {
        let recipe = DiffusionTraining(unet: config, steps: steps, batch: settings.diffusionBatch, learningRate: 2e-3, seed: nb.seed &+ 300)
        var bar = nb.progress(0..<steps, label: label).makeIterator()
        return try nb.timed("train \(label) (\(steps) steps, or load from cache)") {
            try trainDiffusion(recipe, data: data, dataKey: key, cache: cache) { _ in _ = bar.next() }
        }
    }
    let pixels = train.tensor(0..<train.count)
    let latentKey = "vae-w\(wideVAE.recipe.config.width)-beta\(wideVAE.recipe.klWeight)-s\(wideVAE.recipe.steps)-" + dataKey
    let pixelShort = try fitDiffusion(pixelUNet, steps: settings.pixelDiffusionSteps, data: pixels, key: dataKey, label: "pixel diffusion, short")
    let latentShort = try fitDiffusion(latentUNet, steps: flopSteps, data: latentSet.latents, key: latentKey, label: "latent diffusion, equal FLOPs (short)")
    let latentTime = try fitDiffusion(latentUNet, steps: timeSteps, data: latentSet.latents, key: latentKey, label: "latent diffusion, equal time (short)")
    let pixelLong = try fitDiffusion(pixelUNet, steps: settings.pixelLongSteps, data: pixels, key: dataKey, label: "pixel diffusion, long")
    let latentFLOPs = try fitDiffusion(latentUNet, steps: longSteps, data: latentSet.latents, key: latentKey, label: "latent diffusion, equal FLOPs (long)")

    let runs: [(name: String, run: TrainedDiffusion, stepFLOPs: Double)] = [
        ("pixels, short", pixelShort, pixelStepFLOPs), ("latents, equal FLOPs (short)", latentShort, latentStepFLOPs),
        ("latents, equal time (short)", latentTime, latentStepFLOPs),
        ("pixels, long", pixelLong, pixelStepFLOPs), ("latents, equal FLOPs (long)", latentFLOPs, latentStepFLOPs),
    ]
    let lossSeries = runs.map { r -> LineSeries in
        let window = max(1, r.run.losses.count / 30)
        return LineSeries(name: "\(r.name) (\(r.run.losses.count) steps)",
                          x: (1...r.run.losses.count).map { Double($0) * r.stepFLOPs / 1e12 },
                          y: runningMean(r.run.losses, window: window))
    }
    try nb.figure(LinePlot(title: "Denoising loss against training compute",
                           xLabel: "training compute (TFLOP, counted)", yLabel: "noise-prediction MSE (running mean)",
                           xScale: .log10, series: lossSeries),
                  name: "diffusion-loss", caption: "The denoising loss of the five runs against the arithmetic spent on them; each curve is a running mean over a thirtieth of its run.")
    let tail = { (r: TrainedDiffusion) -> Double in
        let k = max(1, r.losses.count / 10)
        return Double(r.losses.suffix(k).reduce(0, +)) / Double(k)
    }
    nb.table(headers: ["run", "steps", "training TFLOP", "loss, mean of the last 10 % of steps"],
             rows: runs.map { [$0.name, String($0.run.losses.count), f(Double($0.run.losses.count) * $0.stepFLOPs / 1e12, 2), f(tail($0.run), 3)] })
    nb.say("""
        Both losses measure the same thing, the squared error of a unit-variance noise estimate, \
        but on different data, so they are not a quality score: the latent losses end at \
        \(f(tail(latentFLOPs), 3)) and the pixel losses at \(f(tail(pixelLong), 3)) (long run), and \
        predicting the noise on a latent is a different task from predicting it on pixels. What \
        the figure does show is cost: each latent run is drawn at the same arithmetic as the pixel \
        run it is paired with (\(f(Double(settings.pixelDiffusionSteps) * pixelStepFLOPs / 1e12, 2)) and \
        \(f(Double(settings.pixelLongSteps) * pixelStepFLOPs / 1e12, 2)) TFLOP), except the equal-time run, \
        which stops earlier. Which \
        samples look better is measured below.
        """)

    // The sampler: limiting x̂0 and fresh noise per step, on the equal-FLOPs latent model.
    let n = settings.sampleCount
    nb.say("""
        **Two choices in the sampler.** At every step the sampler estimates the clean latent from \
        the noisy one, x̂₀ = (x_t − √(1 − ᾱ_t)·ε̂)/√ᾱ_t. With the cosine schedule ᾱ at the first \
        step is about \(String(format: "%.0e", chapterSchedule.alphaBars[chapterSchedule.steps - 1])), \
        so an error of 0.01 in ε̂ becomes an error of \(f(0.01 / chapterSchedule.alphaBars[chapterSchedule.steps - 1].squareRoot(), 0)) \
        in x̂₀. For pixels the cure is known: clamp x̂₀ to [−1, 1], the range images live in. \
        Latents have no such range, so the chapter compares no limit, one limit for every \
        channel (the largest |value| of any training latent, \(f(latentSet.limit, 2))), and each \
        channel limited to its own range over the training latents (the table above). The \
        second choice is η: with η = 0 (DDIM) a sample is a fixed function of its starting \
        noise, so an early mistake is carried to the end; with η = 1 every step also adds fresh \
        noise of the size DDPM would, which lets later steps wash out earlier mistakes. \
        All rows use the chapter's latent model (equal FLOPs, long), the same starting noise and \(n) samples.
        """)
    var samplerRows: [[String]] = []
    var samplerSamples: [Tensor] = []
    var samplerQualities: [SampleQuality] = []
    let samplers: [(String, Double, Int, DenoisedClamp)] = [
        ("η = 0, \(settings.samplingSteps) steps, no limit", 0, settings.samplingSteps, .none),
        ("η = 0, \(settings.samplingSteps) steps, one limit ±\(f(latentSet.limit, 2))", 0, settings.samplingSteps, .symmetric(latentSet.limit)),
        ("η = 0, \(settings.samplingSteps) steps, each channel's range", 0, settings.samplingSteps, .perChannel(latentSet.channelRanges)),
        ("η = 1, \(settings.samplingSteps) steps, each channel's range", 1, settings.samplingSteps, .perChannel(latentSet.channelRanges)),
        ("η = 1, \(settings.stochasticSteps) steps, no limit", 1, settings.stochasticSteps, .none),
        ("η = 1, \(settings.stochasticSteps) steps, each channel's range", 1, settings.stochasticSteps, .perChannel(latentSet.channelRanges)),
    ]
    for (name, eta, steps, clamp) in samplers {
        var r = nb.rng(5)
        let z = sampleDiffusion(latentFLOPs.unet, count: n, shape: latentShape, steps: steps, eta: eta, clamp: clamp, rng: &r)
        let x = latentSet.decode(z, with: wideVAE.model)
        let q = judge.quality(x, reference: reference)
        samplerSamples.append(x)
        samplerRows.append([name, f(q.precision, 2), f(q.recall, 2), f(q.frechet, 2)])
        samplerQualities.append(q)
    }
    nb.table(headers: ["sampler (latents, equal FLOPs (long), \(n) samples)", "precision", "recall", "Fréchet distance"], rows: samplerRows)
    let chosenClamp = DenoisedClamp.perChannel(latentSet.channelRanges)
    let eta = 1.0, steps = settings.stochasticSteps
    nb.say("""
        The chapter samples every model from here on with η = 1, \(steps) steps and x̂₀ limited \
        (pixels to [−1, 1], latents to each channel's range): the last row. (The η = 1 row with \
        \(settings.samplingSteps) steps differs from it in precision by \
        \(f(abs(samplerQualities[3].precision - samplerQualities[5].precision), 2)), within the spread \
        of a share measured on \(n) samples, about ±\(f(2 * (0.25 / Double(n)).squareRoot(), 2)) at \
        most; its Fréchet distance is \(samplerQualities[3].frechet > samplerQualities[5].frechet ? "worse" : "better").) \
        The precision and recall columns are defined in section 6.
        """)

    var sampleRNG1 = nb.rng(5)
    let pixelShortSamples = nb.timed("sample \(n) images with the short pixel model (\(steps) steps)") {
        sampleDiffusion(pixelShort.unet, count: n, shape: [3, side, side], steps: steps, eta: eta, clamp: .symmetric(1), rng: &sampleRNG1)
    }
    var sampleRNG2 = nb.rng(5)
    let pixelLongSamples = sampleDiffusion(pixelLong.unet, count: n, shape: [3, side, side], steps: steps, eta: eta, clamp: .symmetric(1), rng: &sampleRNG2)
    func latentSamples(_ run: TrainedDiffusion) -> Tensor {
        var r = nb.rng(5)
        return latentSet.decode(sampleDiffusion(run.unet, count: n, shape: latentShape, steps: steps, eta: eta,
                                                clamp: chosenClamp, rng: &r), with: wideVAE.model)
    }
    let latentShortSamples = latentSamples(latentShort)
    let latentTimeSamples = latentSamples(latentTime)
    let latentFLOPSamples = nb.timed("sample \(n) images with latent diffusion (\(steps) steps + decode)") { latentSamples(latentFLOPs) }
    var priorRNG2 = nb.rng(7)
    let vaePrior = decodeImages(wideVAE.model, Tensor.randn([n] + latentShape, rng: &priorRNG2))
    let shown = min(12, n)
    var cmp = gridImages(rows(realHalf, Array(0..<shown)))
    for x in [pixelShortSamples, latentShortSamples, latentTimeSamples, pixelLongSamples, latentFLOPSamples, samplerSamples[0], vaePrior] {
        cmp += gridImages(rows(x, Array(0..<shown)))
    }
    try nb.figure(ImageGrid(title: "Samples from pixel and latent diffusion", images: cmp, columns: shown,
                            rowLabels: ["real (held out)", "pixels, short", "latents, FLOPs of short", "latents, time of short",
                                        "pixels, long", "latents, FLOPs of long", "same, eta = 0, no limit", "VAE prior N(0, I)"],
                            pixelScale: 3),
                  name: "diffusion-samples",
                  caption: "The first \(shown) of \(n) samples of each model, drawn with η = 1 and x̂₀ limited unless the label says otherwise (eta = η); the first row is real held-out images, the last the wider VAE's decoder fed independent noise. \"FLOPs of short\" is the latent run with the short pixel run's arithmetic, \"time of short\" the one with its time, \"FLOPs of long\" the one with the long pixel run's arithmetic.")

    // MARK: 6. Cost and quality
    nb.section("6. What the latent buys")
    nb.say("""
        Each set of \(n) images is scored by the judge of section 2 against \(n) real held-out \
        images, in the judge's feature space (the 64 numbers before its last layer). **Precision** \
        is the share of samples that land among real images (inside the union of balls around \
        each real image that reach its third-nearest real neighbour): do the samples look real? \
        **Recall** is the same question turned round: the share of real images that land among \
        the samples, so a model that draws only red circles has high precision and low recall \
        (Kynkäänniemi et al., 2019). The **Fréchet distance** fits a Gaussian to each set of \
        features and measures how far apart the two are; it mixes both failures into one number. \
        Two rows set the scale: \(n) *other* real held-out images (the ceiling; not perfect, \
        because \(n) points leave gaps between their balls) and \(n) images of uniform noise (the floor).
        """)
    let narrow = "VAE reconstructions, width \(settings.autoencoderWidth) (chapter VAE)"
    let wide = "VAE reconstructions, width \(wideRecipe.config.width) (latent diffusion's)"
    let scored: [(String, Tensor, Double?)] = [
        ("real held-out images (ceiling)", realHalf, nil), ("uniform noise (floor)", noise, nil),
        (narrow, vaeRecon, nil), (wide, wideRecon, nil), ("VAE prior N(0, I), width \(wideRecipe.config.width)", vaePrior, nil),
        ("pixels, short", pixelShortSamples, Double(settings.pixelDiffusionSteps) * pixelStepFLOPs),
        ("latents, equal FLOPs (short)", latentShortSamples, Double(flopSteps) * latentStepFLOPs),
        ("latents, equal time (short)", latentTimeSamples, Double(timeSteps) * latentStepFLOPs),
        ("pixels, long", pixelLongSamples, Double(settings.pixelLongSteps) * pixelStepFLOPs),
        ("latents, equal FLOPs (long)", latentFLOPSamples, Double(longSteps) * latentStepFLOPs),
    ]
    var qualityRows: [[String]] = []
    var qualities: [SampleQuality] = []
    for (name, x, flops) in scored {
        let q = judge.quality(x, reference: reference)
        qualities.append(q)
        qualityRows.append([name, flops.map { f($0 / 1e12, 2) } ?? "–", f(q.precision, 2), f(q.recall, 2), f(q.frechet, 2),
                            q.kindCounts.map(String.init).joined(separator: " / ")])
    }
    nb.table(headers: ["\(n) images", "diffusion training TFLOP", "precision", "recall", "Fréchet distance", "judged circle / square / triangle"],
             rows: qualityRows)
    try nb.figure(BarChart(title: "Precision and recall against real held-out images (higher is better)",
                           categories: ["real", "noise", "recon w\(settings.autoencoderWidth)", "recon w\(wideRecipe.config.width)", "VAE prior",
                                        "pixels short", "latents FLOPs short", "latents time short", "pixels long", "latents FLOPs long"],
                           series: [BarSeries(name: "precision", values: qualities.map(\.precision)),
                                    BarSeries(name: "recall", values: qualities.map(\.recall))],
                           xLabel: "image source (\(n) images each)", yLabel: "share of images", showValues: true, width: 2000),
                  name: "precision-recall", caption: "Precision (do samples land among real images?) and recall (do real images land among samples?) in the judge's feature space, k = 3.")
    let q = Dictionary(uniqueKeysWithValues: zip(scored.map(\.0), qualities))
    let lq = q["latents, equal FLOPs (long)"]!, lsq = q["latents, equal FLOPs (short)"]!, ltq = q["latents, equal time (short)"]!
    let pq = q["pixels, short"]!, plq = q["pixels, long"]!, nq = q["uniform noise (floor)"]!, rq = q["real held-out images (ceiling)"]!
    let narrowQ = q[narrow]!, wideQ = q[wide]!
    nb.number("precision, latent diffusion (equal FLOPs with the long pixel run)", lq.precision, key: "ch06_latent_precision", unit: "share", format: "%.2f")
    nb.number("recall, latent diffusion (equal FLOPs with the long pixel run)", lq.recall, key: "ch06_latent_recall", unit: "share", format: "%.2f")
    nb.number("precision, latent diffusion (equal FLOPs with the short pixel run)", lsq.precision, key: "ch06_latent_short_precision", unit: "share", format: "%.2f")
    nb.number("precision, latent diffusion (equal time with the short pixel run)", ltq.precision, key: "ch06_latent_equal_time_precision", unit: "share", format: "%.2f")
    nb.number("precision, pixel diffusion (short)", pq.precision, key: "ch06_pixel_short_precision", unit: "share", format: "%.2f")
    nb.number("precision, pixel diffusion (long)", plq.precision, key: "ch06_pixel_long_precision", unit: "share", format: "%.2f")
    nb.number("recall, pixel diffusion (long)", plq.recall, key: "ch06_pixel_long_recall", unit: "share", format: "%.2f")
    nb.number("precision, real held-out images (ceiling)", rq.precision, key: "ch06_real_ceiling_precision", unit: "share", format: "%.2f")
    nb.number("precision, uniform noise (floor)", nq.precision, key: "ch06_noise_floor_precision", unit: "share", format: "%.2f")
    nb.number("Fréchet distance, latent diffusion (equal FLOPs with the long pixel run)", lq.frechet, key: "ch06_latent_frechet", unit: "", format: "%.2f")
    nb.number("Fréchet distance, pixel diffusion (long)", plq.frechet, key: "ch06_pixel_long_frechet", unit: "", format: "%.2f")
    nb.number("precision, reconstructions by the width-\(wideRecipe.config.width) VAE (the cap for the latent rows)", wideQ.precision,
              key: "ch06_recon_precision", unit: "share", format: "%.2f")
    nb.number("precision, reconstructions by the width-\(settings.autoencoderWidth) chapter VAE", narrowQ.precision,
              key: "ch06_recon_precision_chapter_vae", unit: "share", format: "%.2f")
    nb.say("""
        Reading the table from the top. Real images score \(f(rq.precision, 2)) and \(f(rq.recall, 2)), \
        noise \(f(nq.precision, 2)) and \(f(nq.recall, 2)): every other row sits between these. \
        Reconstructions by the chapter VAE score only \(f(narrowQ.precision, 2)) in precision, \
        although the judge names their kind and colour as well as those of the originals \
        (section 2): the judge's features also record how crisp edges and corners are, and that \
        decoder's images are softer than drawn ones, enough to fall outside the small balls \
        around real images. The wider VAE's reconstructions score \(f(wideQ.precision, 2)). A model \
        that samples through a decoder should not expect to score more than that decoder's \
        reconstructions of real images, so \(f(wideQ.precision, 2)) is the practical ceiling for the \
        latent rows; with the width-\(settings.autoencoderWidth) decoder it would have been \(f(narrowQ.precision, 2)).

        At the short pixel run's arithmetic, latent diffusion reaches \(f(lsq.precision, 2)) \
        (Fréchet distance \(f(lsq.frechet, 2))) and pixel diffusion \(f(pq.precision, 2)) \
        (\(f(pq.frechet, 2))); with the short pixel run's time, latent diffusion reaches \
        \(f(ltq.precision, 2)) (\(f(ltq.frechet, 2))). At the long pixel run's arithmetic, five \
        times more, latent diffusion reaches \(f(lq.precision, 2)) (recall \(f(lq.recall, 2)), \
        Fréchet distance \(f(lq.frechet, 2))) and pixel diffusion \(f(plq.precision, 2)) \
        (recall \(f(plq.recall, 2)), Fréchet distance \(f(plq.frechet, 2))). Pixel diffusion is not \
        broken: from the short to the long run its recall rises from \(f(pq.recall, 2)) to \
        \(f(plq.recall, 2)) and its Fréchet distance falls from \(f(pq.frechet, 2)) to \(f(plq.frechet, 2)), \
        but at these budgets it draws coloured blobs, while the latent model draws single shapes \
        on black (the judge calls \(lq.kindCounts.map(String.init).joined(separator: " / ")) of the \
        \(n) samples circles / squares / triangles, against \(rq.kindCounts.map(String.init).joined(separator: " / ")) \
        of the real images). The latent model's precision, \(f(lq.precision, 2)), is still short of \
        the \(f(wideQ.precision, 2)) its decoder allows, and the sampler table of section 5 shows \
        that no sampler setting closes the gap (at most \(f(samplerQualities.map(\.precision).max() ?? 0, 2))): \
        the shortfall is in the trained model, and the step from the short to the long budget \
        (\(f(lsq.precision, 2)) to \(f(lq.precision, 2))) says more training is the lever.
        """)

    let vaeMACs = wideVAE.model.forwardMACs(height: side, width: side)
    let decoderMACs = vaeMACs - aeEncoderMACs(wideVAE.model, side: side)
    let pixelActs = UNetCost.activationFloats(pixelUNet, height: side, width: side)
    let latentActs = UNetCost.activationFloats(latentUNet, height: lside, width: lside)
    let b = settings.diffusionBatch, k = settings.stochasticSteps
    func mb(_ floats: Int) -> String { f(Double(floats * 4) / 1_048_576, 2) }
    let pixelSampleMACs = k * pixelMACs, latentSampleMACs = k * latentMACs + decoderMACs
    nb.table(headers: ["per example", "pixel diffusion", "latent diffusion", "pixel ÷ latent"], rows: [
        ["floats the U-Net sees", grouped(3 * side * side), grouped(latentShape.reduce(1, *)), f(Double(3 * side * side) / Double(latentShape.reduce(1, *)), 1)],
        ["U-Net forward MACs", grouped(pixelMACs), grouped(latentMACs), f(Double(pixelMACs) / Double(latentMACs), 1)],
        ["training FLOPs per step (batch \(b))", f(pixelStepFLOPs / 1e9, 2) + " G", f(latentStepFLOPs / 1e9, 2) + " G", f(pixelStepFLOPs / latentStepFLOPs, 1)],
        ["activation memory per step (batch \(b))", mb(pixelActs * b) + " MB", mb(latentActs * b) + " MB", f(Double(pixelActs) / Double(latentActs), 1)],
        ["sampling MACs per image (\(k) steps, + decode)", grouped(pixelSampleMACs), grouped(latentSampleMACs), f(Double(pixelSampleMACs) / Double(latentSampleMACs), 1)],
    ])
    let vaeTrainFLOPs = 3 * 2 * Double(vaeMACs) * Double(settings.autoencoderBatch * settings.autoencoderSteps)
    nb.say("""
        The table counts everything from the architectures (activation memory is the floats of \
        every intermediate tensor of one forward pass, at 4 bytes each, which is what a training \
        step keeps for its backward pass). The measured times of the same steps on this machine \
        are in the Timings section at the end of the report.

        The latent model is not free. It needs the VAE, whose training here cost \
        \(f(vaeTrainFLOPs / 1e12, 2)) TFLOP, against \(f(Double(longSteps) * latentStepFLOPs / 1e12, 2)) TFLOP \
        for the chapter's latent diffusion run; in practice one autoencoder serves many \
        diffusion models and is trained once. Every sample also pays one decoder pass \
        (\(grouped(decoderMACs)) MACs), small next to \(k) U-Net passes. And the decoder caps the \
        quality: latent samples can be no sharper than VAE reconstructions, which is why this \
        section uses the wider VAE.

        Why the latent is cheaper: 256 numbers per image instead of 3,072, so even a U-Net twice \
        as wide costs about \(f(pixelStepFLOPs / latentStepFLOPs, 0))× less arithmetic per training step. Its job is also \
        easier: the VAE has already removed what is predictable from neighbouring pixels (flat \
        colour inside a shape, black around it, anti-aliased edges), so the diffusion model only \
        has to learn *which* shape, colour, size and place. This is the trade Stable Diffusion \
        makes at 512×512, where the saving is larger still (64×64×4 latents for 512×512×3 \
        images, 48 : 1).
        """)

    // Measured step times: a few fresh steps of each model, never used for anything but the timings.
    var timingRNG = RNG(seed: 99)
    for (name, config, data, s) in [("pixel", pixelUNet, train.tensor(0..<settings.diffusionBatch), side),
                                     ("latent", latentUNet, rows(latentSet.latents, Array(0..<settings.diffusionBatch)), lside)] {
        let unet = UNet(config, rng: &timingRNG)
        let opt = Adam(unet.parameters, lr: 1e-4)
        let reps = 3
        let start = ContinuousClock.now
        for _ in 0..<reps {
            let loss = denoisingLoss(data, schedule: chapterSchedule, rng: &timingRNG) { unet($0, $1) }
            opt.zeroGrad(); loss.backward(); opt.step()
        }
        let elapsed = ContinuousClock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        nb.timing("\(name) diffusion: one training step, batch \(settings.diffusionBatch), \(s)×\(s) (mean of \(reps))", seconds: seconds / Double(reps))
    }
}
