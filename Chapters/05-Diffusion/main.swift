// Chapter 05: diffusion. Noise is added to data step by step until nothing is left; a network
// learns to read the noise back; running the process backwards turns noise into data. First on
// points in the plane, where every step can be seen, then on small images.
import Ch05Diffusion
import Datasets
import Diffusion
import Engine
import Foundation
import Models
import Notebook
import Plot


/// A scatter panel of [n][2] points with fixed axes, so panels side by side compare.
func pointPanel(_ title: String, _ xy: [Float], range: ClosedRange<Double>, pointSize: Double = 3) -> ScatterPlot {
    let n = xy.count / 2
    var p = ScatterPlot(title: title, xLabel: "x₁", yLabel: "x₂", x: (0..<n).map { xy[2 * $0] },
                        y: (0..<n).map { xy[2 * $0 + 1] }, pointSize: pointSize, alpha: 0.5)
    p.xAxis.range = range
    p.yAxis.range = range
    return p
}

/// Images of a [N, 1, H, W] tensor as grid cells (pixels mapped from [-1, 1] to [0, 1]).
func gridImages(_ x: Tensor, captions: [String] = []) -> [GridImage] {
    let n = x.shape[0], h = x.shape[2], w = x.shape[3], v = x.values
    return (0..<n).map { i in
        GridImage(width: w, height: h, pixels: v[(i * h * w)..<((i + 1) * h * w)].map { min(max(($0 + 1) / 2, 0), 1) },
                  caption: i < captions.count ? captions[i] : "")
    }
}

Notebook.run(number: 5, slug: "diffusion", title: "Diffusion") { nb in
    let cache = TrainingCache(folder: nb.cacheDir, fresh: nb.fresh)
    let linear = NoiseSchedule.linear(), cosine = NoiseSchedule.cosine()
    let T = linear.steps

    // MARK: Part A
    nb.section("Part A. Points in the plane")
    nb.say("""
    A diffusion model learns a distribution by learning to undo noise. The *forward process* takes \
    a data point x₀ and adds a little Gaussian noise, T = \(T) times, until only noise is left. \
    Nothing is learned there: it is a fixed recipe. The *reverse process* starts from pure noise \
    and removes a little noise at a time; a network trained to predict the noise in a noisy point \
    supplies the direction of every step. Points in the plane come first, because there we can \
    watch every point move and count exactly which parts of the distribution a model reached.
    """)

    // MARK: 1. Data
    nb.section("1. Four distributions in the plane")
    let sets = PointData.allCases.enumerated().map { ($0.element, $0.element.points(2000, seed: nb.seed &+ 11 &+ UInt64($0.offset))) }
    try nb.figure(Figure(title: "The 2-D training distributions (2,000 points each)", rows: 2, columns: 2,
                         panels: sets.map { pointPanel($0.0.title, $0.1.coordinates, range: -3...3) }),
                  name: "data-2d", caption: "The four embedded 2-D distributions (seeded).")
    nb.say("""
    The ring of 8 Gaussians and the 5×5 grid of 25 are the standard test of *mode coverage*: every \
    mode is a tight blob (σ = 0.05) far from the others, so a sample either sits on a mode or is \
    plainly wrong, and a model that drops a mode cannot hide it. The moons and the spiral have no \
    modes to count; they are trained with the same code and scored by how close their samples lie \
    to the shape (section 5).
    """)

    // MARK: 2. Forward diffusion
    nb.section("2. Forward diffusion: from data to noise")
    nb.say("""
    One forward step scales the point down a little and adds noise: \
    x_t = √(1 − β_t)·x_{t−1} + √β_t·ε with ε ~ N(0, I). The variances β_t form the *noise schedule*. \
    Because a sum of Gaussians is Gaussian, the steps compose into one closed form, \
    q(x_t | x₀) = N(√ᾱ_t·x₀, (1 − ᾱ_t)·I) with ᾱ_t = ∏(1 − β_s): any noise level can be reached \
    in one jump, which is what makes training cheap. First a check that the jump and the walk agree: \
    10,000 copies of the point x₀ = (2, 0) are noised step by step to t = 500, and their mean and \
    variance compared with the closed form.
    """)
    do {
        var rng = nb.rng(1)
        let n = 10_000, tCheck = 500
        var xs = [Float](repeating: 2, count: n)
        for t in 0...tCheck {
            let a = Float((1 - linear.betas[t]).squareRoot()), b = Float(linear.betas[t].squareRoot())
            for i in 0..<n { xs[i] = a * xs[i] + b * rng.normal() }
        }
        let mean = xs.reduce(0.0) { $0 + Double($1) } / Double(n)
        let variance = xs.reduce(0.0) { $0 + (Double($1) - mean) * (Double($1) - mean) } / Double(n - 1)
        let ab = linear.alphaBars[tCheck]
        nb.table(headers: ["quantity at t = \(tCheck)", "iterated (10,000 walks)", "closed form", "standard error of the walk"],
                 rows: [["mean", f(mean, "%.4f"), f(2 * ab.squareRoot(), "%.4f"), f(((1 - ab) / Double(n)).squareRoot(), "%.4f")],
                        ["variance", f(variance, "%.4f"), f(1 - ab, "%.4f"), f((1 - ab) * (2.0 / Double(n - 1)).squareRoot(), "%.4f")]])
    }
    let shownTimes = [0, 50, 150, 300, 600, 999]
    let ring = sets[0].1
    try nb.figure(Figure(title: "Forward diffusion of the 8-Gaussian ring (linear schedule)", rows: 2, columns: 3,
                         panels: shownTimes.map { t in
                             pointPanel("t = \(t + 1)  (α-bar = \(f(linear.alphaBars[t], "%.3f")))",
                                        noisedPoints(ring, schedule: linear, t: t, seed: nb.seed &+ 2), range: -3.5...3.5)
                         }),
                  name: "forward-2d", caption: "The ring noised in closed form at six timesteps: the modes blur, merge and become one standard Gaussian.")
    nb.say("""
    By t ≈ 150 the eight blobs have spread into each other; by t = 1000 the cloud is a standard \
    Gaussian centred on the origin and nothing of the ring is left. (Timesteps are printed as the \
    paper counts them, 1 … 1000.)
    """)
    let ts = Array(stride(from: 0, to: T, by: 5))
    let snrPanel = LinePlot(title: "Signal-to-noise ratio α-bar/(1 − α-bar)", xLabel: "timestep t", yLabel: "SNR (log scale)", yScale: .log10,
                            series: [LineSeries(name: "linear 1e-4 → 0.02", x: ts.map { Double($0 + 1) }, y: ts.map { linear.signalToNoise($0) }),
                                     LineSeries(name: "cosine (s = 0.008)", x: ts.map { Double($0 + 1) }, y: ts.map { cosine.signalToNoise($0) }, dashed: true)],
                            referenceLines: [ReferenceLine(value: 1, label: "SNR = 1")])
    let abPanel = LinePlot(title: "Signal kept: α-bar_t = product of (1 − β_s)", xLabel: "timestep t", yLabel: "α-bar_t (share of signal variance)",
                           series: [LineSeries(name: "linear 1e-4 → 0.02", x: ts.map { Double($0 + 1) }, y: ts.map { linear.alphaBars[$0] }),
                                    LineSeries(name: "cosine (s = 0.008)", x: ts.map { Double($0 + 1) }, y: ts.map { cosine.alphaBars[$0] }, dashed: true)])
    try nb.figure(Figure(title: "Noise schedules over 1,000 steps", rows: 1, columns: 2, panels: [abPanel, snrPanel]),
                  name: "schedules", caption: "α-bar_t and the signal-to-noise ratio for the linear and cosine schedules.")
    let snr1 = { (s: NoiseSchedule) in (0..<T).first { s.signalToNoise($0) < 1 }.map { $0 + 1 } ?? T }
    nb.table(headers: ["schedule", "β₁", "β_T", "ᾱ_T", "SNR = 1 at t"],
             rows: [["linear", f(linear.betas[0], "%.1e"), f(linear.betas[T - 1], "%.3f"), f(linear.alphaBars[T - 1], "%.2e"), "\(snr1(linear))"],
                    ["cosine", f(cosine.betas[0], "%.1e"), f(cosine.betas[T - 1], "%.3f"), f(cosine.alphaBars[T - 1], "%.2e"), "\(snr1(cosine))"]])
    nb.say("""
    The linear schedule of the DDPM paper destroys the signal early: the SNR falls below 1 about a \
    quarter of the way through, and the last few hundred steps only shuffle noise that is already \
    complete. The cosine schedule (Nichol and Dhariwal) makes log-SNR fall almost linearly in the \
    middle, so more steps are spent at noise levels where there is still something to learn; it \
    matters most for small images, where a little noise already hides the content. The rest of \
    the chapter uses the linear schedule for points and the cosine schedule for images.
    """)

    // MARK: 3. Noise predictor
    nb.section("3. The noise predictor")
    var pointConfig = PointTrainingConfig()
    pointConfig.batch = nb.pick(quick: 256, full: 512)
    // The 25-mode grid needs the longest training: with 4,000 steps only about half of its samples
    // land within 3σ of a mode, with 8,000 nearly all do.
    let pointSteps: [PointData: Int] = nb.pick(quick: [.ring: 2000, .grid: 2000, .moons: 1000, .spiral: 1000],
                                               full: [.ring: 4000, .grid: 8000, .moons: 4000, .spiral: 8000])
    nb.say("""
    The network gets a noisy point x_t and the timestep t and predicts the noise ε that was added. \
    The timestep enters through a *sinusoidal embedding* (sines and cosines of t at geometric \
    frequencies, as for positions in a transformer), so nearby timesteps get similar inputs. The \
    model is an MLP (`PointDenoiser`, width \(pointConfig.width), \(pointConfig.depth) hidden layers). \
    Training is the *simplified objective* of Ho et al.: draw x₀ from the data, t uniformly, \
    ε ~ N(0, I), form x_t in closed form and minimise ‖ε − ε̂(x_t, t)‖². \
    AdamW steps on batches of \(pointConfig.batch) points train one model for each of the four \
    sets: the ring (\(pointSteps[.ring]!) steps), the grid (\(pointSteps[.grid]!) steps), the moons \
    (\(pointSteps[.moons]!)) and the spiral (\(pointSteps[.spiral]!)).
    """)
    let trainedSets: [PointData] = [.ring, .grid, .moons, .spiral]
    var pointModels: [PointData: PointDenoiser] = [:]
    var pointLosses: [(PointData, [Float])] = []
    for (i, kind) in trainedSets.enumerated() {
        let data = kind.points(pointConfig.trainingPoints, seed: nb.seed &+ 100 &+ UInt64(i))
        let seed = nb.seed &+ 200 &+ UInt64(i)
        var pointConfig = pointConfig
        pointConfig.steps = pointSteps[kind]!
        let model = makePointDenoiser(pointConfig, seed: seed)
        let result = nb.timed("train 2-D denoiser (\(kind.rawValue))") {
            cache.trained(model, key: pointConfig.key(data: kind.rawValue, schedule: linear, seed: seed)) {
                trainPointDenoiser(model, data: data, schedule: linear, config: pointConfig, seed: seed)
            }
        }
        pointModels[kind] = model
        pointLosses.append((kind, result.losses))
    }
    func smooth(_ l: [Float], _ w: Int) -> (x: [Double], y: [Double]) {
        var xs: [Double] = [], ys: [Double] = []
        var s = 0
        while s + w <= l.count {
            xs.append(Double(s + w / 2)); ys.append(Double(l[s..<(s + w)].reduce(0, +)) / Double(w)); s += w
        }
        return (xs, ys)
    }
    try nb.figure(LinePlot(title: "Training loss of the 2-D noise predictors", xLabel: "optimiser step", yLabel: "MSE of predicted noise (mean of 50 steps)",
                           series: pointLosses.map { let s = smooth($0.1, 50); return LineSeries(name: $0.0.title, x: s.x, y: s.y) }),
                  name: "loss-2d", caption: "Noise-prediction loss while training, averaged over 50 steps.")
    nb.say("""
    The loss does not go to zero, and should not: at large t the noisy point says almost nothing \
    about which mode it came from, so the best prediction is a blend, and its error is part of the \
    irreducible loss. The loss starts near 1 (the variance of ε, what predicting zero scores).
    """)
    let ringModel = pointModels[.ring]!
    let probe = PointData.ring.points(1000, seed: nb.seed &+ 300)
    var corrRows: [[String]] = []
    var predPanels: [any Chart] = []
    for t in [10, 100, 500, 900] {
        let (truth, pred) = noisePrediction(ringModel, data: probe, schedule: linear, t: t, seed: nb.seed &+ 301 &+ UInt64(t))
        let r = correlation(truth, pred)
        let mse = zip(truth, pred).reduce(0.0) { $0 + Double(($1.0 - $1.1) * ($1.0 - $1.1)) } / Double(truth.count)
        corrRows.append(["\(t + 1)", f(linear.signalToNoise(t), "%.3g"), f(r), f(mse)])
        var p = ScatterPlot(title: "t = \(t + 1): correlation \(f(r, "%.2f"))", xLabel: "true noise ε (first coordinate)",
                            yLabel: "predicted noise (first coordinate)", x: (0..<1000).map { truth[2 * $0] }, y: (0..<1000).map { pred[2 * $0] },
                            pointSize: 3, alpha: 0.4)
        p.xAxis.range = -4...4
        p.yAxis.range = -4...4
        p.lines = [LineSeries(name: "perfect prediction", x: [-4.0, 4], y: [-4.0, 4], dashed: true)]
        predPanels.append(p)
    }
    try nb.figure(Figure(title: "Predicted against true noise (ring model, 1,000 held-out points)", rows: 2, columns: 2, panels: predPanels),
                  name: "noise-prediction", caption: "Each point: the first coordinate of the true noise and of the model's prediction.")
    nb.table(headers: ["t", "SNR", "correlation ε̂ vs ε", "MSE"], rows: corrRows)
    nb.say("""
    The correlation *rises* with t, which surprises at first. At large t the noisy point is \
    almost all noise (x_t ≈ ε), so predicting ε is easy. At t = 11 the added noise has standard \
    deviation √(1 − ᾱ) = \(f((1 - linear.alphaBars[10]).squareRoot(), "%.3f")), about the spread of the points \
    inside one mode (σ = 0.05): \
    the model cannot tell which part of a point's offset from its mode is noise and which is the \
    data's own scatter, so it predicts only part of it. Those small-t errors are harmless in size \
    (the noise itself is tiny there); what decides sample quality is the middle range, where the \
    model has to know where the modes are to say which way the noise points. At t = 501 the \
    points fall into parallel bands: the model gets the noise right *given* a mode, and each band \
    is one guess of which mode the point came from.
    """)
    do {
        // Which noise is the target? Walk held-out ring points forward one step at a time,
        // keeping every step's fresh draw, and compare the prediction with the total noise since
        // x₀ and with the last step's draw alone.
        let tWalk = 500
        let walk = forwardWalk(probe.coordinates, schedule: linear, t: tWalk, seed: nb.seed &+ 310)
        let xt = Tensor(shape: [probe.count, 2], values: walk.xt)
        let predicted = Tensor.noGrad { ringModel(xt, [Int](repeating: tWalk, count: probe.count)) }.values
        let rTotal = correlation(predicted, walk.total), rLast = correlation(predicted, walk.lastStep)
        let expectedLast = (linear.betas[tWalk] / (1 - linear.alphaBars[tWalk])).squareRoot()
        nb.say("""
        **Which noise does the network predict?** The study guide says "The model predicts the noise \
        added at each step". That is not what the loss asks for. Every forward step adds its own fresh \
        draw ε_s, but the closed form says all of them together are one Gaussian: \
        x_t = √ᾱ_t·x₀ + √(1 − ᾱ_t)·ε, so ε = (x_t − √ᾱ_t·x₀)/√(1 − ᾱ_t) is the *total* noise \
        added since x₀, and that ε is the training target. The last step's own draw enters x_t with \
        weight √β_t only, a share √(β_t/(1 − ᾱ_t)) = \(f(expectedLast, "%.3f")) of the total at \
        t = \(tWalk + 1). Measured on the 1,000 held-out ring points walked forward step by step \
        (every draw kept): the ring model's prediction correlates \(f(rTotal, "%.3f")) with the total \
        noise and \(f(rLast, "%.3f")) with the last step's draw, close to that share, which is all of \
        the last draw the total contains.
        """)
        nb.number("correlation of ε̂ with the total noise since x₀ (t = \(tWalk + 1))", rTotal, key: "ch05_eps_corr_total", unit: "", format: "%.3f")
        nb.number("correlation of ε̂ with the last step's draw (t = \(tWalk + 1))", rLast, key: "ch05_eps_corr_last_step", unit: "", format: "%.3f")
        nb.number("share of the last draw in the total noise, √(β_t/(1 − ᾱ_t))", expectedLast, key: "ch05_last_step_share_closed_form", unit: "", format: "%.3f")
    }

    // MARK: 4. Reverse diffusion
    nb.section("4. Reverse diffusion: from noise to data")
    let sampleCount = nb.pick(quick: 500, full: 2500)
    let pathCount = 5, pathEvery = 25
    nb.say("""
    *DDPM ancestral sampling* walks back one timestep at a time. From the predicted noise it \
    estimates x₀, then draws x_{t−1} from the Gaussian posterior q(x_{t−1} | x_t, x̂₀), whose mean \
    mixes x̂₀ and x_t and whose variance β̃_t = β_t(1 − ᾱ_{t−1})/(1 − ᾱ_t) is fixed by the schedule. \
    That is \(T) network evaluations per sample. Here are \(sampleCount) points from pure noise, shown at \
    six moments of the walk, with the paths of \(pathCount) of them.
    """)
    let trajTimes: Set<Int> = [999, 700, 400, 200, 100, 0]
    var snapshots: [(Int, [Float])] = []
    var paths: [[Float]] = Array(repeating: [], count: pathCount)
    // The trajectory run doubles as the ring's DDPM sample for the quality table below.
    let trajectoryCount = sampleCount
    let startNoise: [Float] = { var r = RNG(seed: nb.seed &+ 400); return (0..<(2 * trajectoryCount)).map { _ in r.normal() } }()
    snapshots.append((T, startNoise))
    for k in 0..<pathCount { paths[k] += [startNoise[2 * k], startNoise[2 * k + 1]] }
    let ringDDPMSamples = nb.timed("DDPM trajectory and samples (ring)") {
        samplePoints(ringModel, schedule: linear, sampler: .ddpm, count: trajectoryCount, seed: nb.seed &+ 401,
                     start: Tensor(shape: [trajectoryCount, 2], values: startNoise)) { t, x in
            let v = x.values
            if t % pathEvery == 0 { for k in 0..<pathCount { paths[k] += [v[2 * k], v[2 * k + 1]] } }
            if trajTimes.contains(t) && t != 999 { snapshots.append((t, v)) }
        }
    }
    var trajPanels: [any Chart] = snapshots.map { t, v in
        pointPanel(t == T ? "x_T: pure noise" : (t == 0 ? "final samples" : "after step t = \(t + 1)"), v, range: -3.5...3.5, pointSize: 2)
    }
    var pathBase = pointPanel("\(pathCount) paths, every \(pathEvery)th step", snapshots.last?.1 ?? [], range: -3.5...3.5, pointSize: 2)
    pathBase.alpha = 0.3
    pathBase.categoryNames = ["samples"]
    trajPanels.insert(pointPanel("training data", ring.coordinates, range: -3.5...3.5, pointSize: 2), at: 0)
    trajPanels.append(PathPanel(base: pathBase, paths: paths))
    try nb.figure(Figure(title: "DDPM reverse process on the ring (\(T) steps)", rows: 2, columns: 4, panels: trajPanels, width: 2400, height: 1180),
                  name: "reverse-2d", caption: "The data, samples at six points of the reverse walk, and the paths of \(pathCount) samples from pure noise (circle) to the ring (diamond).")
    nb.say("""
    For most of the walk little seems to happen: the cloud contracts slowly towards the ring. The \
    modes appear late, in the last couple of hundred steps, when the noise level drops below the \
    distance between modes; then each point commits to one mode and the paths wander, because \
    every ancestral step adds fresh noise.

    *DDIM* (Song et al.) reuses the same trained network but takes a deterministic path through a \
    subset of the timesteps: from x_t it predicts x̂₀ and ε̂ and jumps straight to \
    x_s = √ᾱ_s·x̂₀ + √(1 − ᾱ_s)·ε̂. With η = 0 no noise is added at all, so the start noise alone \
    fixes the sample, and 10–50 steps replace 1000.
    """)
    let samplers: [PointSampler] = [.ddpm, .ddim(50), .ddim(20), .ddim(10)]
    var qualityRows: [[String]] = []
    var samplerPanels: [any Chart] = []
    var reports: [PointData: [String: ModeReport]] = [:]
    var realShares: [PointData: Double] = [:]
    for kind in [PointData.ring, .grid] {
        let model = pointModels[kind]!
        let real = kind.points(sampleCount, seed: nb.seed &+ 500)
        let realReport = modeReport(samples: real.coordinates, modes: real.modes, std: real.modeStd)
        realShares[kind] = realReport.highQualityShare
        qualityRows.append([kind.title, "real data (reference)", "–", "\(realReport.covered) / \(realReport.modes)", pct(realReport.highQualityShare)])
        for sampler in samplers {
            let xy = kind == .ring && sampler == .ddpm ? ringDDPMSamples : nb.timed("sample \(sampleCount) points, \(kind.rawValue), \(sampler.label)") {
                samplePoints(model, schedule: linear, sampler: sampler, count: sampleCount, seed: nb.seed &+ 600)
            }
            let r = modeReport(samples: xy, modes: real.modes, std: real.modeStd)
            reports[kind, default: [:]][sampler.label] = r
            qualityRows.append([kind.title, sampler.label, "\(sampler.evaluations(linear))", "\(r.covered) / \(r.modes)", pct(r.highQualityShare)])
            samplerPanels.append(pointPanel("\(kind == .ring ? "ring" : "grid"): \(sampler.label) (\(sampler.evaluations(linear)) steps)", xy,
                                            range: -3...3, pointSize: 2))
        }
    }
    try nb.figure(Figure(title: "DDPM against DDIM with fewer steps (\(sampleCount) samples each)", rows: 2, columns: 4, panels: samplerPanels,
                         width: 2400, height: 1180),
                  name: "ddpm-vs-ddim", caption: "The same trained models sampled with DDPM (1000 steps) and DDIM (50, 20, 10 steps).")

    // MARK: 5. Quality and diversity
    nb.section("5. Quality and diversity, counted")
    nb.say("""
    Each sample is assigned to its nearest mode; it is *high quality* if it lies within 3σ of it \
    (3 × 0.05 = 0.15). For real data that keeps 1 − e^(−4.5) ≈ 98.9% of points, the ceiling. A \
    mode is *covered* when it holds at least 10% of its fair share of high-quality samples \
    (\(sampleCount)/k × 0.1), so a few stray points do not count as having learned a mode.
    """)
    nb.table(headers: ["data", "sampler", "network evaluations", "modes covered", "high-quality share"], rows: qualityRows)
    let ringDDPM = reports[.ring]!["DDPM"]!, gridDDPM = reports[.grid]!["DDPM"]!
    nb.number("ring: modes covered by DDPM (of 8)", ringDDPM.covered, key: "ch05_ring_modes_covered", unit: "count")
    nb.number("grid: modes covered by DDPM (of 25)", gridDDPM.covered, key: "ch05_grid_modes_covered", unit: "count")
    nb.number("ring: high-quality share (DDPM)", ringDDPM.highQualityShare, key: "ch05_ring_high_quality_share", unit: "share", format: "%.3f")
    nb.number("grid: high-quality share (DDPM)", gridDDPM.highQualityShare, key: "ch05_grid_high_quality_share", unit: "share", format: "%.3f")
    let ddim10 = [PointData.ring, .grid].map { reports[$0]!["DDIM 10"]!.highQualityShare }
    nb.say("""
    Diffusion models are known for covering modes: the training objective is a sum over every \
    noise level of a regression loss on *all* the data, and nothing rewards the model for ignoring \
    a mode. (The study guide says diffusion models "Produce higher quality, more diverse, and \
    consistent outputs compared to generative adversarial networks (GANs) and variational \
    autoencoders (VAEs)"; chapter 09 trains the three on the same data and measures that claim.) \
    What a small model loses is *precision*: with DDPM the high-quality share is \
    \(pct(ringDDPM.highQualityShare)) on the ring and \(pct(gridDDPM.highQualityShare)) on the grid, \
    against \(pct(realShares[.ring]!)) and \(pct(realShares[.grid]!)) for real data (98.9% expected), because \
    some points end between modes. Deterministic DDIM \
    with 10 steps drops to \(pct(ddim10[0])) and \(pct(ddim10[1])): its samples leave visible strings \
    along the lines between neighbouring modes, points whose large jumps landed on the wrong side of \
    a decision they could no longer correct.
    """)

    // The moons and the spiral have no modes: score them by distance to the shape.
    nb.say("""
    The moons and the spiral have no modes to count. Their samples are scored instead by the \
    distance from each sample to the nearest of 5,000 fresh points of the true distribution: the \
    share within 0.05 of one (*on the shape*) and the mean distance. Fresh real points give the \
    ceiling, the standard Gaussian the sampler starts from gives the floor.
    """)
    var shapeRows: [[String]] = []
    var shapeShares: [Double] = [], realShapeShares: [Double] = [], noiseShapeShares: [Double] = []
    var shapePanels: [any Chart] = []
    for (i, kind) in [PointData.moons, .spiral].enumerated() {
        let reference = kind.points(5000, seed: nb.seed &+ 510 &+ UInt64(i)).coordinates
        let real = kind.points(sampleCount, seed: nb.seed &+ 520 &+ UInt64(i)).coordinates
        let noise: [Float] = { var r = nb.rng(530 + UInt64(i)); return (0..<(2 * sampleCount)).map { _ in r.normal() } }()
        let samples = nb.timed("sample \(sampleCount) points, \(kind.rawValue), DDPM") {
            samplePoints(pointModels[kind]!, schedule: linear, sampler: .ddpm, count: sampleCount, seed: nb.seed &+ 540 &+ UInt64(i))
        }
        let fits = [("real data (ceiling)", real), ("DDPM samples", samples), ("Gaussian noise (floor)", noise)].map {
            ($0.0, shapeFit(samples: $0.1, reference: reference, radius: 0.05))
        }
        for (name, fit) in fits { shapeRows.append([kind.title, name, pct(fit.shareWithin), f(fit.meanDistance)]) }
        realShapeShares.append(fits[0].1.shareWithin)
        shapeShares.append(fits[1].1.shareWithin)
        noiseShapeShares.append(fits[2].1.shareWithin)
        nb.number("\(kind.rawValue): DDPM samples on the shape (within 0.05)", fits[1].1.shareWithin, key: "ch05_\(kind.rawValue)_on_shape_share",
                  unit: "share", format: "%.3f")
        nb.number("\(kind.rawValue): real points on the shape (within 0.05)", fits[0].1.shareWithin, key: "ch05_\(kind.rawValue)_on_shape_share_real",
                  unit: "share", format: "%.3f")
        shapePanels.append(pointPanel("\(kind.title): training data", kind.points(sampleCount, seed: nb.seed &+ 100 &+ UInt64(2 + i)).coordinates,
                                      range: -3...3, pointSize: 2))
        shapePanels.append(pointPanel("\(kind.title): DDPM samples", samples, range: -3...3, pointSize: 2))
    }
    try nb.figure(Figure(title: "The moons and the spiral: data and DDPM samples (\(sampleCount) each)", rows: 1, columns: 4, panels: shapePanels,
                         width: 2400, height: 650),
                  name: "moons-spiral", caption: "Training data and samples of the models trained on the two moons and the spiral.")
    nb.table(headers: ["data", "points", "on the shape (within 0.05)", "mean distance to the shape"], rows: shapeRows)
    let moonsShare = shapeShares[0], spiralShare = shapeShares[1]
    nb.say("""
    On the shape: \(pct(moonsShare)) of the moons samples and \(pct(spiralShare)) of the spiral \
    samples, against \(pct(realShapeShares[0])) and \(pct(realShapeShares[1])) for real points and \
    \(pct(noiseShapeShares[0])) and \(pct(noiseShapeShares[1])) for noise. \
    \(spiralShare < moonsShare - 0.1 ? "The spiral is the harder shape: the model draws its outer arm but fills the inner turns, where the arms lie close together, with a haze of points between them (the figure's last panel). A wider network or a longer run is the lever to try." : "Both shapes come out close to the data.")
    """)

    // MARK: Part B
    nb.section("Part B. Images")
    // MARK: 6. Image set
    nb.section("6. Glyph digits: a procedural image set")
    let trainCount = nb.pick(quick: 2000, full: 10_000)
    let train = GlyphDigits.generate(count: trainCount, seed: nb.seed &+ 1000)
    let heldOut = GlyphDigits.generate(count: nb.pick(quick: 500, full: 1000), seed: nb.seed &+ 1001)
    nb.say("""
    The images are 16×16 grey *glyph digits* (`GlyphDigits`): each digit 0–9 is a handful of \
    strokes (lines and elliptic arcs) drawn with a random pen width (1.1–2.3 px), size, position \
    (±1.5 px) and slant, and rasterised with anti-aliasing (a pixel's ink is the share of it the pen \
    covers). Pixels are scaled to [-1, 1], the range the noise is measured against. \
    \(trainCount) training images and \(heldOut.count) held-out images, each set from its own seed.
    """)
    var realCells: [GridImage] = []
    for row in 0..<4 { for d in 0..<10 { let i = row * 10 + d; realCells.append(GridImage(width: 16, height: 16, pixels: train.pixels01(i))) } }
    try nb.figure(ImageGrid(title: "Glyph digits: 4 training images per class", images: realCells, columns: 10,
                            columnLabels: (0..<10).map { "\($0)" }, width: 1000, height: 520),
                  name: "glyphs", caption: "Training images of the procedural glyph-digit set, one column per class.")

    // MARK: 7. U-Net
    nb.section("7. A small U-Net learns to predict the noise in images")
    var imageConfig = ImageTrainingConfig()
    imageConfig.steps = nb.pick(quick: 40, full: 3000)
    imageConfig.batch = nb.pick(quick: 16, full: 32)
    imageConfig.baseChannels = nb.pick(quick: 16, full: 32)
    let sampleSteps = nb.pick(quick: 10, full: 20)
    let unet = makeUNet(imageConfig, inChannels: 1, seed: nb.seed &+ 1100)
    nb.say("""
    For images the MLP becomes a *U-Net*: a 3×3 convolution lifts the image to \
    \(imageConfig.baseChannels) channels; residual blocks (GroupNorm, SiLU, convolution, with the \
    time embedding added to every channel) work at 16×16, a stride-2 convolution halves the \
    resolution to 8×8 with twice the channels, and the way back up concatenates the features saved \
    on the way down (the *skip connections*) so fine detail need not squeeze through the 8×8 level. \
    The output has one channel: the predicted noise. It is trained with the same loss as the \
    points, on the cosine schedule, for \(imageConfig.steps) steps of \(imageConfig.batch) images \
    (\(unet.parameterCount) parameters).
    """)
    let unetRun = try nb.timed("train U-Net (glyphs)") {
        try cache.trained(unet, key: imageConfig.key("unet-glyphs", schedule: cosine, images: trainCount, seed: nb.seed &+ 1100)) {
            try trainImageDenoiser(unet, images: train, schedule: cosine, config: imageConfig, conditioned: false, seed: nb.seed &+ 1100)
        }
    }
    let w = max(1, imageConfig.steps / 40)
    let sm = smooth(unetRun.losses, w)
    try nb.figure(LinePlot(title: "U-Net training loss", xLabel: "optimiser step", yLabel: "MSE of predicted noise (mean of \(w) steps)",
                           series: [LineSeries(name: "glyph U-Net", x: sm.x, y: sm.y)]),
                  name: "loss-unet", caption: "Noise-prediction loss of the image U-Net while training.")
    let stripTimes = [0, 50, 100, 200, 400, 600, 800, 999]
    var strip: [GridImage] = []
    do {
        let x0 = heldOut.tensor(0..<4)
        var rng = nb.rng(1200)
        let eps = Tensor.randn(x0.shape, std: 1, rng: &rng)
        var rows: [[GridImage]] = Array(repeating: [], count: 4)
        for t in stripTimes {
            let xt = cosine.noised(x0, t: [t, t, t, t], noise: eps)
            for (i, g) in gridImages(xt).enumerated() { rows[i].append(g) }
        }
        strip = rows.flatMap { $0 }
    }
    try nb.figure(ImageGrid(title: "Forward noising of four held-out digits (cosine schedule)", images: strip, columns: stripTimes.count,
                            columnLabels: stripTimes.map { "t=\($0 + 1)" }, width: 1100, height: 620),
                  name: "forward-images", caption: "The same noise draw scaled by the closed form at eight timesteps.")
    nb.say("""
    With the cosine schedule the digit is still readable at t = 400, only a trace of it is left at \
    t = 600, and the last columns are indistinguishable from pure noise. (Under the linear \
    schedule the same digits are gone by t ≈ 300, and the steps after that are wasted on noise.)
    """)
    var reverseFrames: [[GridImage]] = Array(repeating: [], count: 6)
    var frameLabels: [String] = ["noise"]
    do {
        var r = RNG(seed: nb.seed &+ 1300)
        let start = Tensor.randn([6, 1, 16, 16], std: 1, rng: &r)
        for (i, g) in gridImages(start).enumerated() { reverseFrames[i].append(g) }
        let sampler = DDIMSampler(schedule: cosine, steps: sampleSteps, eta: 0, clipDenoised: 1)
        // Six frames spread evenly over the steps, the last one the finished sample.
        let n = sampler.timesteps.count
        let keep = Set((1...6).map { k in sampler.timesteps[(k * (n - 1) + 3) / 6] })
        var rr = RNG(seed: nb.seed &+ 1301)
        _ = Tensor.noGrad {
            sampler.sample(shape: [6, 1, 16, 16], start: start, rng: &rr, predictor: { x, t in Tensor.noGrad { unet(x, t) } }) { t, x in
                guard keep.contains(t) || t < 0 else { return }
                frameLabels.append(t == 0 ? "sample" : "t=\(t + 1)")
                for (i, g) in gridImages(clampImages(x)).enumerated() { reverseFrames[i].append(g) }
            }
        }
    }
    try nb.figure(ImageGrid(title: "Reverse trajectory: DDIM, \(sampleSteps) steps, six samples", images: reverseFrames.flatMap { $0 },
                            columns: reverseFrames[0].count, columnLabels: frameLabels, width: 1100, height: 800),
                  name: "reverse-images", caption: "x_t after selected DDIM steps (column label: the step just taken), from pure noise (left) to the sample (right).")
    nb.say("""
    The reverse trajectory settles the coarse shape first (a blob of ink where the digit will be) \
    and the thin strokes last, the opposite order of the forward strip.
    """)

    // MARK: 8. Sample quality
    nb.section("8. Sample quality, measured")
    let classifier = makeClassifier(classes: 10, seed: nb.seed &+ 1400)
    let classifierSteps = nb.pick(quick: 120, full: 300)
    let classifierRun = try nb.timed("train classifier") {
        try cache.trained(classifier, key: "classifier-glyphs-w32-s\(classifierSteps)-n\(trainCount)-seed\(nb.seed &+ 1400)") {
            try trainClassifier(classifier, images: train, steps: classifierSteps, batch: 64, learningRate: 3e-3, seed: nb.seed &+ 1400)
        }
    }
    _ = classifierRun
    let generatedCount = nb.pick(quick: 100, full: 300)
    let generated = nb.timed("sample \(generatedCount) glyphs (DDIM \(sampleSteps))") {
        clampImages(sampleImages(unet, schedule: cosine, count: generatedCount, height: 16, width: 16, steps: sampleSteps, seed: nb.seed &+ 1500))
    }
    let realRef = heldOut.subset(Array(0..<min(generatedCount, heldOut.count)))
    let realTensor = realRef.tensor(0..<realRef.count)
    let trainRef = train.tensor(0..<min(2000, trainCount))
    let realView = classify(classifier, realTensor), genView = classify(classifier, generated), trainView = classify(classifier, trainRef)
    let confidence: Float = 0.5
    let realRating = rate(realView.probabilities, threshold: confidence, labels: realRef.labels)
    let genRating = rate(genView.probabilities, threshold: confidence)
    let d = classifier.featureDimension
    let fidReal = featureFrechetDistance(realView.features, trainView.features, dimension: d)
    let fidGen = featureFrechetDistance(genView.features, trainView.features, dimension: d)
    nb.say("""
    Looking at samples is not measuring them. A classifier (`ImageClassifier`: two conv–GroupNorm–SiLU \
    stages, global average pooling, a linear head) is trained on the real training images for \
    \(classifierSteps) steps. It then rates \(generatedCount) generated images and as many real \
    held-out images: the share it classifies with probability ≥ 0.5 for its top class, how its predicted classes \
    spread (entropy of the class histogram; log₂ 10 = 3.32 bits is perfectly even), and a \
    *Fréchet distance* between the Gaussian fitted to the classifier's \(d)-dimensional features of \
    each set and that of 2,000 training images. This is FID's recipe with a task-specific network \
    in place of Inception; the numbers are only comparable within this table.
    """)
    nb.table(headers: ["images", "classifier accuracy", "confident (top p ≥ 0.5)", "class entropy (bits)", "classes present", "Fréchet distance to training features"],
             rows: [["real held-out (\(realRef.count))", pct(realRating.accuracy ?? 0), pct(realRating.confidentShare), f(realRating.classEntropyBits),
                     "\(realRating.classCounts.filter { $0 > 0 }.count) / 10", f(fidReal)],
                    ["generated (\(generatedCount))", "–", pct(genRating.confidentShare), f(genRating.classEntropyBits),
                     "\(genRating.classCounts.filter { $0 > 0 }.count) / 10", f(fidGen)]])
    nb.number("classifier accuracy on held-out real images", realRating.accuracy ?? 0, key: "ch05_classifier_accuracy_real", unit: "share", format: "%.3f")
    nb.number("Fréchet distance, real held-out vs train", fidReal, key: "ch05_frechet_real", unit: "", format: "%.3f")
    nb.number("Fréchet distance, generated vs train", fidGen, key: "ch05_frechet_generated", unit: "", format: "%.3f")
    nb.number("generated: share confidently classified (top p ≥ 0.5)", genRating.confidentShare, key: "ch05_generated_confident_share",
              unit: "share", format: "%.3f")
    nb.number("real held-out: share confidently classified (top p ≥ 0.5)", realRating.confidentShare, key: "ch05_real_confident_share",
              unit: "share", format: "%.3f")
    nb.number("generated: classes present (of 10)", genRating.classCounts.filter { $0 > 0 }.count, key: "ch05_generated_classes_present", unit: "count")
    // Class balance: how far the predicted-class histogram is from uniform, for generated images,
    // for the same number of real ones (the sampling floor), and for pure-noise images (where the
    // classifier puts an image that is no digit at all).
    let noiseImages: Tensor = { var r = nb.rng(1510); return clampImages(Tensor.randn([generatedCount, 1, 16, 16], std: 1, rng: &r)) }()
    let noiseCounts = rate(classify(classifier, noiseImages).probabilities).classCounts
    let genConfidentCounts = confidentClassCounts(genView.probabilities, threshold: confidence)
    let tvGen = totalVariationFromUniform(genRating.classCounts), tvReal = totalVariationFromUniform(realRating.classCounts)
    let tvGenConfident = totalVariationFromUniform(genConfidentCounts), tvNoise = totalVariationFromUniform(noiseCounts)
    let trueTV = totalVariationFromUniform((0..<10).map { c in realRef.labels.filter { $0 == c }.count })
    nb.number("class histogram of generated images: total-variation distance from uniform", tvGen, key: "ch05_class_hist_tv", unit: "", format: "%.3f")
    nb.number("class histogram of real held-out images: total-variation distance from uniform", tvReal, key: "ch05_class_hist_tv_real", unit: "", format: "%.3f")
    nb.number("class histogram of confidently classified generated images: distance from uniform", tvGenConfident,
              key: "ch05_class_hist_tv_confident", unit: "", format: "%.3f")
    nb.number("class histogram of pure-noise images: distance from uniform", tvNoise, key: "ch05_class_hist_tv_noise", unit: "", format: "%.3f")
    let top = genRating.classCounts.indices.max { genRating.classCounts[$0] < genRating.classCounts[$1] }!
    let topConfidentShare = Double(genConfidentCounts[top]) / Double(max(genRating.classCounts[top], 1))
    let otherConfidentShare = Double(genConfidentCounts.reduce(0, +) - genConfidentCounts[top])
        / Double(max(generatedCount - genRating.classCounts[top], 1))
    let noiseTop = noiseCounts.indices.max { noiseCounts[$0] < noiseCounts[$1] }!
    let classBalanceNote: String
    if topConfidentShare < otherConfidentShare && noiseTop == top {
        classBalanceNote = """
        So the extra "\(top)"s are disproportionately images the classifier is unsure of, and the \
        excess is the classifier's habit as much as the generator's: an image that is no clear digit has to \
        go into some class, and this classifier's favourite for such images is "\(top)" (it puts \
        \(noiseCounts[noiseTop]) of \(generatedCount) pure-noise images there). The histogram of \
        all generated images therefore counts the generator's failed samples in one bar; the \
        confidently classified samples are the fairer view of which digits it draws.
        """
    } else if topConfidentShare < otherConfidentShare {
        classBalanceNote = """
        So the extra "\(top)"s are disproportionately images the classifier is unsure of: failed \
        samples that have to go into some class. (Pure-noise images go mostly to "\(noiseTop)" \
        instead, \(noiseCounts[noiseTop]) of \(generatedCount), so it is not simply the class \
        the classifier gives to anything unreadable.)
        """
    } else {
        classBalanceNote = """
        So the extra "\(top)"s are not the classifier's catch-all for unreadable samples: they are \
        confidently classified at least as often as the rest, the confident samples alone are no \
        more even, and pure noise, the clearest case of an unreadable image, goes to \
        "\(noiseTop)" instead. The imbalance is the generator's own. It draws every digit (the \
        smallest class still holds \(genRating.classCounts.min()!) of \(generatedCount)), so this \
        is no collapse onto a few digits, but it does not draw them in equal proportion: its \
        distance from uniform is \(f(tvGen / max(tvReal, 1e-9), "%.0f"))× that of real images.
        """
    }
    nb.table(headers: ["images (\(generatedCount) each)", "largest class (count)", "smallest class (count)", "distance from uniform (TV)"],
             rows: [["real held-out, true labels", "–", "–", f(trueTV)],
                    ["real held-out, classifier labels", "\(realRating.classCounts.max()!)", "\(realRating.classCounts.min()!)", f(tvReal)],
                    ["generated, classifier labels", "\(top) (\(genRating.classCounts[top]))", "\(genRating.classCounts.min()!)", f(tvGen)],
                    ["generated, confidently classified only (\(genConfidentCounts.reduce(0, +)))", "\(genConfidentCounts.max()!)",
                     "\(genConfidentCounts.min()!)", f(tvGenConfident)],
                    ["pure noise, classifier labels", "\(noiseCounts.indices.max { noiseCounts[$0] < noiseCounts[$1] }!) (\(noiseCounts.max()!))",
                     "\(noiseCounts.min()!)", f(tvNoise)]])
    nb.say("""
    The real held-out row is the reference: what a perfect generator would score with the same \
    number of images (its Fréchet distance is not zero only because \(realRef.count) images give a \
    noisy estimate of the feature mean and covariance). The classifier is trained briefly and its \
    probabilities are soft, so this chapter calls an image *confidently classified* when its top \
    class has probability ≥ 0.5 (one threshold, used for every row). The generated images land in \
    \(genRating.classCounts.filter { $0 > 0 }.count) of 10 classes, but not evenly. The \
    *total-variation distance* of a class histogram from uniform, ½·Σ|share_c − 0.1|, is \
    \(f(tvGen)) for the generated images against \(f(tvReal)) for as many real ones (a finite \
    sample of a balanced set is never exactly even; \(f(tvReal)) is that floor) and \(f(tvNoise)) \
    for pure-noise images, which the classifier puts into \(noiseCounts.filter { $0 > 0 }.count) of the 10 classes. The largest generated \
    class is "\(top)" with \(genRating.classCounts[top]) images; \(pct(topConfidentShare)) of \
    those are confidently classified, against \(pct(otherConfidentShare)) of the other generated \
    images, and among the confident ones alone the distance from uniform is \(f(tvGenConfident)). \
    \(classBalanceNote)
    Their Fréchet distance is \(f(fidGen / max(fidReal, 1e-9), "%.0f"))× the real reference: many \
    samples are recognisable digits, others are blends of two digits or broken strokes. That is the \
    honest state of a U-Net trained for \(imageConfig.steps) steps on a laptop CPU; image diffusion \
    models are usually trained for hundreds of thousands of steps, and more steps is the first \
    lever to pull here.
    """)
    let byClass = (0..<10).map { c in genView.probabilities.indices.filter { i in
        let p = genView.probabilities[i]; return p.indices.max { p[$0] < p[$1] } == c } }
    var genCells: [GridImage] = []
    let genGrid = gridImages(generated)
    for row in 0..<4 { for c in 0..<10 { genCells.append(row < byClass[c].count ? genGrid[byClass[c][row]] : GridImage(width: 16, height: 16, pixels: [Float](repeating: 0, count: 256))) } }
    try nb.figure(Figure(title: "Real and generated glyphs", rows: 1, columns: 2,
                         panels: [ImageGrid(title: "real (training set)", images: realCells, columns: 10, columnLabels: (0..<10).map { "\($0)" }),
                                  ImageGrid(title: "generated, sorted by the classifier's label", images: genCells, columns: 10,
                                            columnLabels: (0..<10).map { "\($0)" })], width: 1600, height: 560),
                  name: "generated-vs-real", caption: "Left: real digits. Right: DDIM samples placed in the column of the class the classifier gives them (black: fewer than four samples of that class).")
    try nb.figure(BarChart(title: "Predicted classes of real and generated images", categories: (0..<10).map { "\($0)" },
                           series: [BarSeries(name: "real held-out", values: realRating.classCounts.map { Double($0) }),
                                    BarSeries(name: "generated, all", values: genRating.classCounts.map { Double($0) }),
                                    BarSeries(name: "generated, top p ≥ 0.5", values: genConfidentCounts.map { Double($0) })],
                           xLabel: "class assigned by the classifier", yLabel: "images"),
                  name: "class-histogram", caption: "How the classifier distributes real and generated images over the ten classes, and the generated images it classifies with top probability ≥ 0.5.")

    // MARK: 9. Inpainting
    nb.section("9. Inpainting: filling a hole with the unconditional model")
    let inpaintSteps = nb.pick(quick: 10, full: 25)
    let resamplingSettings = nb.pick(quick: [1, 3], full: [1, 4])
    let inpaintCount = nb.pick(quick: 30, full: 150)
    let inpaintRange = 400..<(400 + inpaintCount)
    nb.say("""
    The model was only trained to generate whole digits, yet it can complete a partly hidden one. \
    RePaint's recipe (`Inpainter`): run the reverse process as usual, but after every step replace \
    the known pixels by the *original* noised to the current level, √ᾱ_t·x₀ + √(1 − ᾱ_t)·ε. \
    The unknown pixels must keep agreeing with known ones at every noise level, so the model fills \
    the hole with strokes that continue the visible ones. RePaint's *resampling* adds a second \
    lever: after a step, noise the merged image back up one step and take the step again, so the \
    hole gets more rounds to agree with its surroundings. Here \(inpaintSteps) steps (η = 1), each \
    taken \(resamplingSettings[0])× or \(resamplingSettings[1])×, on \(inpaintCount) held-out digits \
    per mask.

    To measure it, the classifier of section 8 labels every completion, and a completion *agrees* \
    when that label is the original digit's class. The ceiling is the classifier's accuracy on the \
    same images unmasked; the baseline fills every hidden pixel with that pixel's mean over the \
    training images (*mean fill*), which knows nothing about the visible strokes.
    """)
    let x0All = heldOut.tensor(inpaintRange)
    let labelsAll = Array(heldOut.labels[inpaintRange])
    let trainMean = pixelMean(train.tensor(0..<min(2000, trainCount)))
    let ceiling = classAgreement(classify(classifier, x0All).probabilities, labels: labelsAll)
    var inpaintCells: [GridImage] = []
    var inpaintRows: [String] = []
    var inpaintTable: [[String]] = []
    var pooled = [Double](repeating: 0, count: resamplingSettings.count), pooledBaseline = 0.0
    var perMaskLast: [Double] = []
    for (mi, maskKind) in InpaintingMask.allCases.enumerated() {
        let maskOne = maskKind.values(size: 16)
        let mask = Tensor(shape: x0All.shape, values: Array((0..<inpaintCount).map { _ in maskOne }.joined()))
        let baseline = classAgreement(classify(classifier, meanFill(known: x0All, mask: mask, pixelMean: trainMean)).probabilities, labels: labelsAll)
        pooledBaseline += baseline / Double(InpaintingMask.allCases.count)
        var row = [maskKind.label, pct(baseline)]
        var lastFilled = x0All
        var pooledLastMask = 0.0
        for (ri, resampling) in resamplingSettings.enumerated() {
            var r = RNG(seed: nb.seed &+ 1600 &+ UInt64(mi))
            let filled = nb.timed("inpaint \(inpaintCount) (\(maskKind.rawValue), resampling \(resampling))") {
                clampImages(Inpainter(schedule: cosine, steps: inpaintSteps, eta: 1, resampling: resampling)
                    .inpaint(known: x0All, mask: mask, rng: &r, predictor: { x, t in Tensor.noGrad { unet(x, t) } }))
            }
            let agreement = classAgreement(classify(classifier, filled).probabilities, labels: labelsAll)
            pooled[ri] += agreement / Double(InpaintingMask.allCases.count)
            pooledLastMask = agreement
            row.append(pct(agreement))
            lastFilled = filled
        }
        inpaintTable.append(row + [pct(ceiling)])
        perMaskLast.append(pooledLastMask)
        let shownRange = 0..<6
        let x0 = x0All.slice(axis: 0, shownRange).detach(), m = mask.slice(axis: 0, shownRange).detach()
        let shown = Tensor(shape: x0.shape, values: zip(x0.values, m.values).map { $1 == 1 ? $0 : 0 })
        inpaintCells += gridImages(x0) + gridImages(shown) + gridImages(lastFilled.slice(axis: 0, shownRange).detach())
        inpaintRows += ["original", maskKind.label, "inpainted"]
    }
    try nb.figure(ImageGrid(title: "Inpainting with RePaint (grey = hidden)",
                            images: inpaintCells, columns: 6, rowLabels: inpaintRows, width: 1000, height: 1100),
                  name: "inpainting", caption: "For each mask: six held-out originals, the visible part (grey hole), and the model's completion (\(inpaintSteps) steps, each taken \(resamplingSettings.last!)×).")
    nb.table(headers: ["mask", "mean fill (baseline)"] + resamplingSettings.map { "RePaint, resampling \($0)×" } + ["unmasked (ceiling)"],
             rows: inpaintTable + [["all three masks"] + [pct(pooledBaseline)] + pooled.map { pct($0) } + [pct(ceiling)]])
    nb.number("inpainting: classifier agrees with the original class (RePaint, resampling \(resamplingSettings.last!)×, three masks)",
              pooled.last!, key: "ch05_inpaint_class_agreement", unit: "share", format: "%.3f")
    nb.number("inpainting baseline: agreement after mean fill", pooledBaseline, key: "ch05_inpaint_baseline_agreement", unit: "share", format: "%.3f")
    nb.number("inpainting: agreement with resampling \(resamplingSettings[0])×", pooled[0], key: "ch05_inpaint_class_agreement_low_resampling",
              unit: "share", format: "%.3f")
    nb.number("inpainting ceiling: agreement on the unmasked images", ceiling, key: "ch05_inpaint_agreement_ceiling", unit: "share", format: "%.3f")
    let weakest = perMaskLast.indices.min { perMaskLast[$0] < perMaskLast[$1] }!
    let inpaintNote = """
    Over the three masks RePaint with resampling \(resamplingSettings.last!)× agrees with the \
    original class on \(pct(pooled.last!)) of completions, against \(pct(pooledBaseline)) for mean \
    fill and \(pct(ceiling)) for the unmasked images; with resampling \(resamplingSettings[0])× it \
    is \(pct(pooled[0])). \(pooled.last! > pooled[0] ? "More resampling helps: the hole gets more rounds to agree with the visible strokes." : "More resampling does not help here.") \
    \(pooled.last! > pooledBaseline ? "The model beats the baseline, so it does use the visible strokes." : "The model does not beat the baseline: with this little training its completions say no more about the class than the mean image does.") \
    The hardest mask is the \(inpaintTable[weakest][0]) one (\(pct(perMaskLast[weakest])) with resampling \(resamplingSettings.last!)×).
    """
    nb.say("""
    \(inpaintNote)
    A completion need not equal the original even when it is good: half a digit is often \
    consistent with several digits (the bottom half hidden leaves the tops of a 3, a 5 and a 9 \
    alike), so even a perfect inpainter stays below the ceiling on the harder masks.
    """)

    // MARK: 10. Upscaling
    nb.section("10. Upscaling: a model conditioned on the 8×8 image")
    var upConfig = imageConfig
    upConfig.steps = nb.pick(quick: 40, full: 1000)
    var shortUpConfig = upConfig
    shortUpConfig.steps = nb.pick(quick: 20, full: 300)
    nb.say("""
    Super-resolution is diffusion with a condition. The 16×16 digits are averaged down to 8×8; the \
    model sees x_t and, as a second input channel, the 8×8 image repeated up to 16×16, and learns \
    to predict the noise in the 16×16 image given that hint (trained for \(upConfig.steps) steps, \
    and a second copy for only \(shortUpConfig.steps) to see what training buys). Sampling starts \
    from noise as before, with the same low-resolution image attached at every step. The baselines \
    are nearest-neighbour and bilinear upsampling of the 8×8 image; all are scored by PSNR against \
    the true 16×16 held-out image (10·log₁₀(2²/MSE) for pixels in [-1, 1]).
    """)
    let upCount = nb.pick(quick: 50, full: 100)
    let truth = heldOut.tensor(200..<(200 + upCount))
    let low = downsample2x(truth)
    let nearest = upsampleNearest2x(low), bilinear = upsampleBilinear2x(low)
    var upscaledBy: [Tensor] = []
    for config in [shortUpConfig, upConfig] {
        let upscaler = makeUNet(config, inChannels: 2, seed: nb.seed &+ 1700)
        _ = try nb.timed("train upscaler (\(config.steps) steps)") {
            try cache.trained(upscaler, key: config.key("upscaler-glyphs", schedule: cosine, images: trainCount, seed: nb.seed &+ 1700)) {
                try trainImageDenoiser(upscaler, images: train, schedule: cosine, config: config, conditioned: true, seed: nb.seed &+ 1700)
            }
        }
        upscaledBy.append(nb.timed("upscale \(upCount) images (\(config.steps)-step model)") {
            clampImages(sampleImages(upscaler, schedule: cosine, count: upCount, height: 16, width: 16, steps: sampleSteps,
                                     seed: nb.seed &+ 1800, condition: lowResolutionCondition(truth)))
        })
    }
    let upscaled = upscaledBy[1]
    let psnrNearest = meanPSNR(nearest, reference: truth), psnrBilinear = meanPSNR(bilinear, reference: truth)
    let psnrModel = meanPSNR(upscaled, reference: truth), psnrShort = meanPSNR(upscaledBy[0], reference: truth)
    let speckle = backgroundSpeckle(upscaled, reference: truth), speckleShort = backgroundSpeckle(upscaledBy[0], reference: truth)
    let speckleNearest = backgroundSpeckle(nearest, reference: truth), speckleBilinear = backgroundSpeckle(bilinear, reference: truth)
    let speckleNoise: Double = { var r = nb.rng(1810); return backgroundSpeckle(clampImages(Tensor.randn(truth.shape, std: 1, rng: &r)), reference: truth) }()
    nb.table(headers: ["method", "mean PSNR on \(upCount) held-out images (dB)", "speckle: background pixels painted as ink"],
             rows: [["nearest neighbour", f(psnrNearest, "%.2f"), pct(speckleNearest)], ["bilinear", f(psnrBilinear, "%.2f"), pct(speckleBilinear)],
                    ["diffusion upscaler, \(shortUpConfig.steps) training steps (DDIM \(sampleSteps))", f(psnrShort, "%.2f"), pct(speckleShort)],
                    ["diffusion upscaler, \(upConfig.steps) training steps (DDIM \(sampleSteps))", f(psnrModel, "%.2f"), pct(speckle)],
                    ["pure noise (floor)", "–", pct(speckleNoise)]])
    nb.number("PSNR nearest (dB)", psnrNearest, key: "ch05_psnr_nearest", unit: "dB", format: "%.2f")
    nb.number("PSNR bilinear (dB)", psnrBilinear, key: "ch05_psnr_bilinear", unit: "dB", format: "%.2f")
    nb.number("PSNR diffusion upscaler (dB)", psnrModel, key: "ch05_psnr_upscaler", unit: "dB", format: "%.2f")
    nb.number("PSNR diffusion upscaler, short training (dB)", psnrShort, key: "ch05_psnr_upscaler_short", unit: "dB", format: "%.2f")
    nb.number("upscaler: share of background pixels painted as ink (speckle)", speckle, key: "ch05_upscale_speckle_share", unit: "share", format: "%.4f")
    nb.number("upscaler, short training: speckle", speckleShort, key: "ch05_upscale_speckle_share_short", unit: "share", format: "%.4f")
    nb.number("bilinear: speckle", speckleBilinear, key: "ch05_upscale_speckle_share_bilinear", unit: "share", format: "%.4f")
    var upCells: [GridImage] = []
    for x in [nearest, bilinear, upscaledBy[0], upscaled, truth] {
        upCells += gridImages(x.slice(axis: 0, 0..<8).detach())
    }
    try nb.figure(ImageGrid(title: "Upscaling 8×8 → 16×16", images: upCells, columns: 8,
                            rowLabels: ["8×8 input", "bilinear", "diffusion, \(shortUpConfig.steps) steps", "diffusion, \(upConfig.steps) steps", "original"],
                            width: 1100, height: 620),
                  name: "upscaling", caption: "Eight held-out digits: the 8×8 input (drawn with nearest upsampling), bilinear, the diffusion upscaler after short and longer training, and the original.")
    let speckleNote = """
    **Speckle.** Some upscales keep grey dots in what should be black background: noise the \
    sampler started from and the model did not remove. It is measured as the share of the \
    original's background pixels (value ≤ −0.9) that an upscale paints brighter than −0.8: \
    \(pct(speckleShort)) after \(shortUpConfig.steps) training steps and \(pct(speckle)) after \
    \(upConfig.steps), against \(pct(speckleBilinear)) for bilinear (whose count is blur spilling \
    into the pixels next to each stroke, not dots) and \(pct(speckleNoise)) for pure noise. \
    \(speckle < speckleShort / 2 ? "Longer training removes most of it, so the speckle is a mark of an undertrained model rather than of the method." : speckle < speckleShort ? "Longer training reduces it but does not remove it." : "Longer training does not remove it here.")
    """
    let best = [("nearest", psnrNearest), ("bilinear", psnrBilinear), ("the diffusion upscaler", psnrModel)].max { $0.1 < $1.1 }!.0
    let baselineNote = psnrNearest > psnrBilinear
        ? "Nearest-neighbour beating bilinear is no accident: the 8×8 image is a 2×2 *average*, so repeating each average is already the best constant guess for its block, while bilinear mixes neighbouring blocks and blurs the strokes further."
        : "Bilinear beats nearest-neighbour: smooth interpolation suits the soft, anti-aliased strokes."
    let modelNote = psnrModel > max(psnrNearest, psnrBilinear)
        ? "The diffusion upscaler goes further: it has seen thousands of digits and redraws crisp strokes where the 8×8 image says they must be."
        : "The diffusion upscaler draws crisp strokes, but PSNR rewards the average of all plausible answers, so a sharp stroke placed half a pixel off costs more than a blur; with this little training its strokes are also not always where the 8×8 image puts them."
    nb.say("""
    Highest PSNR here: \(best). \(baselineNote) \(modelNote) PSNR is a poor judge of a generative \
    upscaler in any case: look at the images as well.

    \(speckleNote)

    **Where the study guide is loose.** The guide is right that diffusion models "learn to reverse \
    a gradual noising process" and that reverse diffusion "Iteratively removes noise to \
    reconstruct data". Two points are worth making exact. First, "The model predicts the noise \
    added at each step": it predicts the *total* noise in x_t, everything added since x₀ \
    (section 3 shows the closed form and measures it). Second, one reverse step is not a clean \
    subtraction: the network's estimate of the total noise gives x̂₀, the step moves x_t part of \
    the way towards it, and DDPM then adds *fresh* noise of variance β̃_t at every step (section \
    4), so the walk is random until its last step; only DDIM with η = 0 makes it deterministic. \
    Upscaling and inpainting, which the guide lists as uses, need no new idea: the same denoiser, \
    with a condition attached (upscaling) or with the known pixels re-imposed at every step \
    (inpainting).
    """)
}
