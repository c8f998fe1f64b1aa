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
func f(_ x: Double, _ digits: Int = 3) -> String { String(format: "%.\(digits)f", x) }
func f(_ x: Float, _ digits: Int = 3) -> String { f(Double(x), digits) }

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
        \(settings.klWeights.count) VAEs that differ only in β train for the same \(settings.autoencoderSteps) steps as \
        the autoencoder.
        """)
    var vaes: [TrainedAutoencoder] = []
    for (i, beta) in settings.klWeights.enumerated() {
        vaes.append(fit(AutoencoderConfig(width: settings.autoencoderWidth, latentChannels: 4, variational: true),
                          beta: beta, label: "VAE β=\(beta)", seed: nb.seed &+ 200 &+ UInt64(i)))
    }
    let vae = vaes[1]
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
                  name: "training", caption: "Reconstruction error per step of the autoencoder and the VAEs; the dashed line is the held-out error of always answering the mean image.")

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
                            width: 1200, height: 1100),
                  name: "kl-weight", caption: "Each VAE reconstructs the same ten held-out images, then decodes the same ten draws from the prior N(0, I).")
    nb.say("""
        Reading the table and the figure together. As β grows, the KL per image falls (the codes \
        carry fewer nats about their image) and the reconstructions pay for it: up to β = 1 they \
        stay sharp, at β = 10 they are dim, blurred discs whose colour and kind are only hinted at. \
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
        way at all: a second model learns the distribution of its latents (section 5). This \
        chapter keeps β = \(vae.recipe.klWeight) for the rest: reconstructions as sharp as the \
        autoencoder's, codes of spread near 1.
        """)

    // MARK: 4. Walking the latent space
    nb.section("4. Walking the latent space")
    nb.say("""
        If the latent space is organised, a straight line between the codes of two images should \
        decode to a smooth morph between them, and a fixed direction should mean the same change \
        everywhere. Both models get the same pairs of held-out images; each row decodes eight evenly \
        spaced points on the line between the two codes (the VAE uses its means).
        """)
    let pairs = [(0, 6), (2, 3), (4, 5)]
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
        Neither model moves a shape from one place to another the way a person would draw the \
        in-between frames. Where the two shapes overlap, the decoder morphs one into the other \
        (the triangle rounds off into the disc, green turns to red through orange); where they do \
        not, one fades out while the other fades in, because the latent is a grid and a shape's \
        position is *which cells* are active. Halfway between two codes the autoencoder more \
        often shows both shapes as faint ghosts, or a dark hole where the two disagree; the VAE, \
        trained to decode whole neighbourhoods of each code, gives cleaner midpoints.
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
        to a code asks the decoder for "this image, but larger" or "this image, but redder". Both \
        work, and both show where the idea stops. Size: the shapes do grow, but since the large \
        shapes sit anywhere, the average difference is a soft ring round the middle of the image, \
        and at 1.5 times the vector a faint green halo appears next to shapes that are off centre. \
        Colour: blue turns red, but not along a straight line through colour space: halfway it is \
        teal, at 1.0 it is a red and green mix, and only at 1.5 a clean orange-red. The codes of \
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
    try nb.figure(ImageGrid(title: "Decoding random latents", images: prior, columns: priorCount, rowLabels: priorRows, width: 1200, height: 460),
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
    let latentSet = LatentDataset(model: vae.model, images: train)
    nb.say("""
        Now the two halves meet. Every training image is encoded once by the VAE (its mean code, \
        so the data set is fixed), and the chapter-05 recipe (cosine noise schedule over 1,000 \
        steps, a U-Net trained to predict the added noise, DDIM sampling) runs on those 4×8×8 \
        latents instead of on 3×32×32 pixels. A sample is then one decoder pass away from an image.

        One detail matters: the latents are divided by their standard deviation first. The noise \
        schedule is designed for data of roughly unit variance: at the last step it leaves \
        √ᾱ ≈ 0 of the signal next to unit noise, and at the middle steps it assumes signal and noise \
        of comparable size. With latents of spread \(f(latentSet.scale, 2)) the signal would be \
        drowned \(latentSet.scale < 1 ? "too early (most training steps would see pure noise)" : "too late (x_T would still carry signal the sampler never sees)"), \
        so the diffusion model would spend its capacity on the wrong noise levels. Stable Diffusion \
        does the same with its factor 0.18215.
        """)
    nb.number("raw latent mean", latentSet.mean, format: "%.3f")
    nb.number("raw latent standard deviation (the scale divided out)", latentSet.scale, format: "%.3f")

    let pixelUNet = UNetConfig(inChannels: 3, outChannels: 3, baseChannels: 16, channelMultipliers: [1, 2, 2], groups: 8, timeDim: 64)
    let latentUNet = UNetConfig(inChannels: 4, outChannels: 4, baseChannels: 16, channelMultipliers: [1, 2, 2], groups: 8, timeDim: 64)
    let side = 32, lside = latentShape[1]
    let pixelMACs = UNetCost.forwardMACs(pixelUNet, height: side, width: side)
    let latentMACs = UNetCost.forwardMACs(latentUNet, height: lside, width: lside)
    let latentSteps = settings.pixelDiffusionSteps * LatentSettings.latentStepRatio
    let flopSteps = equalComputeSteps(pixelSteps: settings.pixelDiffusionSteps, pixel: pixelUNet, latent: latentUNet,
                                      imageSide: side, latentSide: lside)
    nb.say("""
        Both models are the same U-Net (base width 16, three levels with 16, 32 and 32 channels, \
        residual blocks with GroupNorm, SiLU and a timestep embedding); only the input and output \
        channels differ, 3 for pixels and 4 for latents. The comparison is at *equal training \
        time*. Timing it during the run would make the figures depend on the machine, so the step \
        ratio is fixed in advance: one pixel-model step (batch \(settings.diffusionBatch)) took as \
        long as \(LatentSettings.latentStepRatio) latent-model steps when measured once on two cores. \
        The \(settings.pixelDiffusionSteps) training steps of the pixel model are therefore set \
        against \(latentSteps) steps of the latent model. Counting arithmetic gives nearly the same \
        exchange rate: a forward pass costs \(grouped(pixelMACs)) multiply-accumulates on a 32×32 \
        image and \(grouped(latentMACs)) on an 8×8 latent, so equal FLOPs would buy the latent \
        model \(flopSteps) steps.
        """)
    let dataKey = "shapes\(train.count)-seed\(nb.seed)"
    func fitDiffusion(_ config: UNetConfig, steps: Int, data: Tensor, key: String, label: String) -> TrainedDiffusion {
        let recipe = DiffusionTraining(unet: config, steps: steps, batch: settings.diffusionBatch, learningRate: 2e-3, seed: nb.seed &+ 300)
        var bar = nb.progress(0..<steps, label: label).makeIterator()
        return nb.timed("train \(label) (\(steps) steps, or load from cache)") {
            trainDiffusion(recipe, data: data, dataKey: key, cache: cache) { _ in _ = bar.next() }
        }
    }
    let pixelModel = fitDiffusion(pixelUNet, steps: settings.pixelDiffusionSteps, data: train.tensor(0..<train.count),
                                  key: dataKey, label: "pixel diffusion")
    let latentModel = fitDiffusion(latentUNet, steps: latentSteps, data: latentSet.latents,
                                   key: "vae-beta\(vae.recipe.klWeight)-" + dataKey, label: "latent diffusion")
    let pixelStepFLOPs = UNetCost.trainingFLOPs(pixelUNet, height: side, width: side, batch: settings.diffusionBatch)
    let latentStepFLOPs = UNetCost.trainingFLOPs(latentUNet, height: lside, width: lside, batch: settings.diffusionBatch)
    let lossSmooth = max(1, settings.pixelDiffusionSteps / 15)
    let ratio7 = Double(LatentSettings.latentStepRatio)
    let latentWindow = max(1, lossSmooth * LatentSettings.latentStepRatio)
    try nb.figure(LinePlot(title: "Denoising loss at equal training time",
                           xLabel: "training time (in pixel-model steps; 1 = \(LatentSettings.latentStepRatio) latent steps)",
                           yLabel: "noise-prediction MSE",
                           series: [
                               LineSeries(name: "pixels 3×32×32 (running mean over \(lossSmooth) steps)",
                                          x: (1...pixelModel.losses.count).map(Double.init),
                                          y: runningMean(pixelModel.losses, window: lossSmooth)),
                               LineSeries(name: "latents 4×8×8 (running mean over \(latentWindow) steps)",
                                          x: (1...latentModel.losses.count).map { Double($0) / ratio7 },
                                          y: runningMean(latentModel.losses, window: latentWindow)),
                           ]),
                  name: "diffusion-loss", caption: "The denoising loss of both models on one time axis (the fixed step ratio): both predict unit-variance noise, so their losses share a scale.")
    nb.say("""
        Both losses measure the same thing, the squared error of a unit-variance noise estimate, so \
        they can share an axis. In the same time the latent model gets through \(LatentSettings.latentStepRatio) \
        times as many optimiser steps, and its loss falls faster and further. The loss alone does not say which samples look \
        better, though: the two models predict noise on different data, and a low loss on latents \
        helps only as far as the decoder turns good latents into good images.
        """)

    var sampleRNG1 = nb.rng(5), sampleRNG2 = nb.rng(6)
    let n = settings.sampleCount
    let pixelSamples = nb.timed("sample \(n) images with pixel diffusion (\(settings.samplingSteps) DDIM steps)") {
        sampleDiffusion(pixelModel.unet, count: n, shape: [3, side, side], steps: settings.samplingSteps, clip: 1, rng: &sampleRNG1)
    }
    let latentSamples = nb.timed("sample \(n) images with latent diffusion (\(settings.samplingSteps) DDIM steps + decode)") {
        latentSet.decode(sampleDiffusion(latentModel.unet, count: n, shape: latentShape, steps: settings.samplingSteps,
                                         clip: latentSet.limit, rng: &sampleRNG2), with: vae.model)
    }
    var priorRNG2 = nb.rng(7)
    let vaePrior = decodeImages(vae.model, Tensor.randn([n] + latentShape, rng: &priorRNG2))
    let shown = min(12, n)
    var cmp = gridImages(test.tensor(0..<shown))
    cmp += gridImages(rows(pixelSamples, Array(0..<shown)))
    cmp += gridImages(rows(latentSamples, Array(0..<shown)))
    cmp += gridImages(rows(vaePrior, Array(0..<shown)))
    try nb.figure(ImageGrid(title: "Samples at equal training time", images: cmp, columns: shown,
                            rowLabels: ["real (held out)", "pixel diffusion", "latent diffusion", "VAE prior"],
                            width: 1200, height: 520),
                  name: "diffusion-samples",
                  caption: "Real held-out images, then the first \(shown) samples of the pixel model (\(settings.pixelDiffusionSteps) steps), the latent model (\(latentSteps) steps, the same training time) and the VAE's own prior.")

    nb.say("""
        Neither model is finished at this budget, and the row of real images above them is a \
        reminder of how far both are from the data. The pixel model has learned the coarse \
        noise levels but not yet how to remove the last, fine noise, so its samples stay grainy; \
        the latent model's samples are already smooth, because whatever latent it produces, the \
        decoder can only paint the kind of smooth colour fields it was trained to paint. Whether \
        those smooth fields are *shapes* is what section 6 measures. The VAE's own prior (last row) \
        is there for comparison: the same decoder, fed independent noise instead of diffusion \
        samples.
        """)

    // MARK: 6. Cost and quality
    nb.section("6. What the latent buys")
    let judge = nb.timed("train the shape classifier (or load from cache)") {
        ShapeJudge(images: train, steps: settings.classifierSteps, seed: nb.seed &+ 400, dataKey: dataKey, cache: cache)
    }
    let accuracy = judge.accuracy(test.tensor(0..<test.count), labels: test.labels)
    nb.say("""
        To score samples, a small convolutional classifier (`ImageClassifier`) learns to name the \
        shape kind of real training images. Three measures follow, as in chapter 05: the share of \
        samples it calls a circle, square or triangle with at least 90 % confidence (does it look \
        like *some* shape?), the spread of its verdicts over the three kinds (1 = even, as in the \
        data; 0 = every sample the same kind), and the Fréchet distance between the Gaussian fitted \
        to its feature vectors of the samples and that of \(test.count) real held-out images. The \
        Fréchet distance of \(n) *real* images is listed too: with so few samples it is not zero, \
        and that is the floor the models are measured against.
        """)
    nb.number("classifier accuracy on held-out images", accuracy * 100, format: "%.1f %%")
    let reference = FeatureStatistics(features: judge.evaluate(test.tensor(0..<test.count)).features,
                                      count: test.count, dimension: judge.classifier.featureDimension)
    let realSubset = train.tensor(0..<n)
    let vaeRecon = decodeImages(vae.model, encodeMeans(vae.model, test, indices: Array(0..<n)))
    let scored: [(String, Tensor)] = [
        ("real training images", realSubset), ("VAE reconstructions of held-out images", vaeRecon),
        ("VAE prior samples", vaePrior), ("pixel diffusion", pixelSamples), ("latent diffusion", latentSamples),
    ]
    var qualityRows: [[String]] = []
    var qualities: [SampleQuality] = []
    for (name, x) in scored {
        let q = judge.quality(x, reference: reference)
        qualities.append(q)
        qualityRows.append([name, f(q.confidentShare * 100, 1) + " %", q.classCounts.map(String.init).joined(separator: " / "),
                            f(q.spread, 2), f(q.frechet, 3)])
    }
    nb.table(headers: ["\(n) images", "confident (≥ 0.9)", "circle / square / triangle", "spread", "Fréchet distance"], rows: qualityRows)
    try nb.figure(BarChart(title: "Frechet distance to real held-out images (lower is better)",
                           categories: scored.map(\.0).map { $0.replacingOccurrences(of: " of held-out images", with: "") },
                           series: [BarSeries(name: "Frechet distance", values: qualities.map(\.frechet))],
                           xLabel: "image source (\(n) images each)", yLabel: "Frechet distance (classifier features)", showValues: true),
                  name: "frechet", caption: "Fréchet distance of each set of \(n) images to \(test.count) real held-out images, in the shape classifier's feature space.")

    let rq = qualities[1], vq = qualities[2], pq0 = qualities[3], lq0 = qualities[4]
    nb.say("""
        Real images set the floor: \(f(qualities[0].confidentShare * 100, 0)) % confidently \
        classified and a Fréchet distance of \(f(qualities[0].frechet, 2)), not zero because \(n) \
        images give a noisy estimate of a mean and a covariance. The VAE's reconstructions of real \
        images, the best a latent model could ever produce through this decoder, already sit at \
        \(f(rq.frechet, 2)): the classifier notices what the decoder loses (the corners of triangles \
        come back rounded, so few reconstructions are called triangles). Latent diffusion reaches \
        \(f(lq0.frechet, 2)) against \(f(pq0.frechet, 2)) for pixel diffusion trained for the same time, \
        \(lq0.frechet < pq0.frechet ? "better" : "worse") by a factor of \(f(max(lq0.frechet, pq0.frechet) / min(lq0.frechet, pq0.frechet), 1)), \
        and \(f(lq0.confidentShare * 100, 0)) % of its samples look confidently like some shape \
        against \(f(pq0.confidentShare * 100, 0)) % (the VAE prior: \(f(vq.confidentShare * 100, 0)) %, \
        Fréchet distance \(f(vq.frechet, 2))). The spread column is the warning sign: a spread \
        well below 1 means the samples crowd into fewer kinds than the data has, which short \
        training makes likely and which the Fréchet distance punishes too.
        """)

    let vaeMACs = vae.model.forwardMACs(height: side, width: side)
    let decoderMACs = vaeMACs - aeEncoderMACs(vae.model, side: side)
    let pixelActs = UNetCost.activationFloats(pixelUNet, height: side, width: side)
    let latentActs = UNetCost.activationFloats(latentUNet, height: lside, width: lside)
    let b = settings.diffusionBatch, k = settings.samplingSteps
    func mb(_ floats: Int) -> String { f(Double(floats * 4) / 1_048_576, 2) }
    let pixelSampleMACs = k * pixelMACs, latentSampleMACs = k * latentMACs + decoderMACs
    nb.table(headers: ["per example", "pixel diffusion", "latent diffusion", "pixel ÷ latent"], rows: [
        ["floats the U-Net sees", grouped(3 * side * side), grouped(latentShape.reduce(1, *)), f(Double(3 * side * side) / Double(latentShape.reduce(1, *)), 1)],
        ["U-Net forward MACs", grouped(pixelMACs), grouped(latentMACs), f(Double(pixelMACs) / Double(latentMACs), 1)],
        ["training FLOPs per step (batch \(b))", f(pixelStepFLOPs / 1e9, 2) + " G", f(latentStepFLOPs / 1e9, 2) + " G", f(pixelStepFLOPs / latentStepFLOPs, 1)],
        ["activation memory per step (batch \(b))", mb(pixelActs * b) + " MB", mb(latentActs * b) + " MB", f(Double(pixelActs) / Double(latentActs), 1)],
        ["training steps at equal time (fixed ratio)", String(settings.pixelDiffusionSteps), String(latentSteps), f(Double(settings.pixelDiffusionSteps) / Double(latentSteps), 3)],
        ["training steps at equal FLOPs", String(settings.pixelDiffusionSteps), String(flopSteps), f(Double(settings.pixelDiffusionSteps) / Double(flopSteps), 3)],
        ["sampling MACs per image (\(k) DDIM steps\(" + decode"))", grouped(pixelSampleMACs), grouped(latentSampleMACs), f(Double(pixelSampleMACs) / Double(latentSampleMACs), 1)],
    ])
    let vaeTrainFLOPs = 3 * 2 * Double(vaeMACs) * Double(settings.autoencoderBatch * settings.autoencoderSteps)
    nb.say("""
        The table counts everything from the architectures (activation memory is the floats of \
        every intermediate tensor of one forward pass, at 4 bytes each, which is what a training \
        step keeps for its backward pass). The measured times of the same steps on this machine \
        are in the Timings section at the end of the report; they follow the counted ratios only \
        roughly, because small convolutions use the CPU less efficiently than large ones.

        The latent model is not free. It needs the VAE, whose training here cost \
        \(f(vaeTrainFLOPs / 1e12, 2)) TFLOP, against \(f(pixelStepFLOPs * Double(settings.pixelDiffusionSteps) / 1e12, 2)) TFLOP \
        for each diffusion model; in practice one autoencoder serves many diffusion models and \
        is trained once. Every sample also pays one decoder pass (\(grouped(decoderMACs)) MACs), \
        small next to \(k) U-Net passes. And the decoder caps the quality: latent samples can be \
        no sharper than VAE reconstructions, which is the second row of the quality table.
        """)
    let pq = qualities[3], lq = qualities[4]
    nb.number("Fréchet distance, pixel diffusion", pq.frechet, format: "%.3f")
    nb.number("Fréchet distance, latent diffusion", lq.frechet, format: "%.3f")
    nb.number("confidently classified, pixel / latent", text: "\(f(pq.confidentShare * 100, 1)) % / \(f(lq.confidentShare * 100, 1)) %")
    nb.say("""
        The latent spends its budget where the information is: 256 numbers per image instead of \
        3,072, so each training step is about \(f(pixelStepFLOPs / latentStepFLOPs, 0))× cheaper in \
        arithmetic (\(LatentSettings.latentStepRatio)× in time on this engine), and in the same time the latent model trains for \(latentSteps) steps instead of \
        \(settings.pixelDiffusionSteps). Its job is also easier: the VAE has already removed what is \
        predictable from neighbouring pixels (flat colour inside a shape, black around it, \
        anti-aliased edges), so the diffusion model only has to learn *which* shape, colour, size and \
        place. This is the trade Stable Diffusion makes at 512×512, where the saving is larger still \
        (64×64×4 latents for 512×512×3 images, 48 : 1).
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
