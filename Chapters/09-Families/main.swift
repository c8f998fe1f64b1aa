// Chapter 09: diffusion, GANs and VAEs on the same data. The study guide says diffusion models give
// higher quality, more diverse and more consistent outputs than GANs and VAEs, and train more
// stably. This chapter trains the three families on the same data with the same budget and counts.
import Ch05Diffusion
import Ch06Latent
import Ch09Families
import Datasets
import Diffusion
import Engine
import Foundation
import Models
import Notebook
import Plot

func pm(_ s: (mean: Double, spread: Double), _ format: String = "%.1f") -> String { "\(f(s.mean, format)) ± \(f(s.spread, format))" }
func gflop(_ x: Double) -> String { String(format: "%.1f GFLOP", x / 1e9) }

/// A scatter panel of [n][2] points with fixed axes.
func pointPanel(_ title: String, _ xy: [Float], range: ClosedRange<Double>) -> ScatterPlot {
    let n = xy.count / 2
    var p = ScatterPlot(title: title, xLabel: "x₁", yLabel: "x₂", x: (0..<n).map { xy[2 * $0] }, y: (0..<n).map { xy[2 * $0 + 1] },
                        pointSize: 2, alpha: 0.4)
    p.xAxis.range = range
    p.yAxis.range = range
    return p
}

Notebook.run(number: 9, slug: "families", title: "Diffusion, GANs and VAEs") { nb in
    let cache = TrainingCache(folder: nb.cacheDir, fresh: nb.fresh)
    let linear = NoiseSchedule.linear()
    let families = Family.allCases
    let kinds: [PointData] = [.ring, .grid]

    nb.section("The claim")
    nb.say("""
    The study guide says diffusion models "Produce higher quality, more diverse, and consistent \
    outputs compared to generative adversarial networks (GANs) and variational autoencoders \
    (VAEs)", and that they are "more stable and easier to train". Those are four claims: \
    *quality*, *diversity*, *consistency* (from run to run) and *stability* (of training). Each is \
    measurable. This chapter trains the three families on the same data, with networks of the \
    same size and the same training compute, over several seeds and learning rates, and counts. \
    It also measures what the claim leaves out: what a sample costs.

    * A **GAN** (Goodfellow et al.) trains a generator G(z) against a discriminator D(x) that \
    learns to tell real points from generated ones; G improves by fooling D. Sampling is one \
    network evaluation. Here with the *non-saturating* generator loss −log D(G(z)) (the \
    original minimax loss log(1 − D(G(z))) has almost no gradient exactly when D rejects G's samples \
    with confidence, so G learns nothing when it is worst), and a stabilised variant with \
    *spectral normalisation* of D: every layer's weight is divided by its largest singular \
    value, so D is 1-Lipschitz and cannot hand G huge, erratic gradients.
    * A **VAE** (Kingma and Welling) trains an encoder q(z|x) and a Gaussian decoder p(x|z) on \
    the evidence lower bound: reconstruction error plus β times the KL divergence of q(z|x) from \
    the prior N(0, I). Sampling decodes a prior draw: one network evaluation.
    * **Diffusion** is chapter 05's model: an MLP that predicts the noise in x_t, sampled by \
    DDPM (one evaluation per timestep, 1,000) or DDIM (tens).
    """)

    // MARK: 1. Setup
    nb.section("1. Same data, same network size, same compute")
    var ring = PointSetup(), grid = PointSetup()
    ring.diffusionSteps = nb.pick(quick: 300, full: 3000)
    grid.diffusionSteps = nb.pick(quick: 300, full: 6000)
    for i in 0..<2 {
        var s = i == 0 ? ring : grid
        s.width = nb.pick(quick: 32, full: 64)
        s.checkpoints = nb.pick(quick: 6, full: 12)
        s.checkpointSamples = nb.pick(quick: 250, full: 500)
        s.finalSamples = nb.pick(quick: 500, full: 2500)
        s.finalSampler = .ddim(50)
        if i == 0 { ring = s } else { grid = s }
    }
    let setups: [PointData: PointSetup] = [.ring: ring, .grid: grid]
    let rates: [Float] = [3e-4, 1e-3, 3e-3]
    let seedCount = nb.pick(quick: 2, full: 5)
    nb.say("""
    Data: chapter 05's ring of 8 Gaussians and 5×5 grid of 25 (σ = 0.05, 20,000 training points \
    each). Every network is an MLP with \(ring.depth) hidden layers of \(ring.width) SiLU units, \
    every run uses batches of \(ring.batch) points and the same learning-rate schedule (warm-up, \
    then cosine decay to 1/20, chapter 05's), with AdamW (no weight decay; β₁ = 0.5 for the GANs, \
    the usual choice when the target moves). The GAN's generator reads an \(ring.ganLatent)-dimensional \
    Gaussian z; the VAE's code is \(ring.vaeLatent)-dimensional. The table counts parameters and \
    the FLOPs of one training step (2 per multiply-accumulate, backward = 2× forward). A GAN step \
    costs most: it runs the discriminator on real and fake batches and then once more through \
    the generator. So the families get *equal training FLOPs*, not equal steps: diffusion's \
    \(ring.diffusionSteps) steps on the ring (\(grid.diffusionSteps) on the grid, which has three \
    times the modes) set the budget, and the others take as many steps as fit. The networks that \
    draw the samples are matched in size to within a quarter (the noise predictor also reads a \
    \(ring.timeDim)-wide time embedding); the GAN and the VAE train a second network of the same \
    size (discriminator, encoder) that sampling does not use.
    """)
    var setupRows: [[String]] = []
    for fam in families {
        setupRows.append([fam.title, "\(ring.samplerParameters(fam))", "\(ring.trainedParameters(fam))", f(ring.stepFLOPs(fam) / 1e6, "%.1f"),
                          "\(ring.steps(fam)) / \(grid.steps(fam))", gflop(Double(ring.steps(fam)) * ring.stepFLOPs(fam)) + " / " + gflop(Double(grid.steps(fam)) * grid.stepFLOPs(fam)),
                          "\(fam == .diffusion ? "1000 (DDPM) or 10–50 (DDIM)" : "1")"])
    }
    nb.table(headers: ["family", "parameters of the sampling network", "parameters trained", "MFLOP per training step",
                       "steps (ring / grid)", "training compute (ring / grid)", "network evaluations per sample"], rows: setupRows)
    nb.number("diffusion: parameters of the noise predictor", ring.samplerParameters(.diffusion), key: "diffusion_sampler_params", unit: "count")
    nb.number("GAN: parameters of the generator", ring.samplerParameters(.gan), key: "gan_sampler_params", unit: "count")
    nb.number("VAE: parameters of the decoder", ring.samplerParameters(.vae), key: "vae_sampler_params", unit: "count")
    nb.number("training budget per run on the grid", grid.budgetFLOPs, key: "grid_training_flops", unit: "FLOP", format: "%.3g")

    // MARK: 2. VAE β
    nb.section("2. Choosing the VAE's β")
    let betas: [Float] = [0.01, 0.1, 1]
    nb.say("""
    The VAE's decoder is a Gaussian with a fixed standard deviation s = \(f(Double(ring.vaeDecoderStd), "%.2f")), the \
    spread of one mode, so its reconstruction term is Σ(x − μ)²/(2s²) + const. With β = 1 the \
    loss is the true negative ELBO. A smaller β lets the code carry more about each point at the \
    price of a posterior that the prior covers less well. β was chosen, per data set, as the value \
    of \(betas.map { f(Double($0), "%g") }.joined(separator: ", ")) with the most modes covered \
    (ties: the higher high-quality share) in one run at learning rate 1e-3 on a *selection seed* \
    that none of the compared runs uses, so the comparison is not tuned on its own seeds.
    """)
    var chosenBeta: [PointData: Float] = [:]
    var betaRows: [[String]] = []
    for kind in kinds {
        var best: (Float, Int, Double)? = nil
        for beta in betas {
            let r = nb.timed("VAE β = \(beta) on the \(kind.rawValue)") {
                pointRun(PointRun(family: .vae, data: kind, learningRate: 1e-3, seed: 90_000, vaeBeta: beta), setup: setups[kind]!, cache: cache)
            }
            betaRows.append([kind.title, f(Double(beta), "%g"), "\(r.report.covered) / \(r.report.modes)", pct(r.report.highQualityShare)])
            if best == nil || r.report.covered > best!.1 || (r.report.covered == best!.1 && r.report.highQualityShare > best!.2) {
                best = (beta, r.report.covered, r.report.highQualityShare)
            }
        }
        chosenBeta[kind] = best!.0
    }
    nb.table(headers: ["data", "β", "modes covered", "high-quality share"], rows: betaRows)
    nb.say("Chosen: β = \(f(Double(chosenBeta[.ring]!), "%g")) on the ring and β = \(f(Double(chosenBeta[.grid]!), "%g")) on the grid.")

    // MARK: 3. The sweep
    nb.section("3. \(seedCount) seeds × \(rates.count) learning rates × \(families.count) models × 2 data sets")
    nb.say("""
    Every family trains with every learning rate of \(rates.map { f(Double($0), "%g") }.joined(separator: ", ")) \
    from \(seedCount) seeds (\(seedCount * rates.count * families.count * 2) runs). During \
    training, modes are counted \(ring.checkpoints) times on \(ring.checkpointSamples) samples \
    (diffusion sampled with DDIM, \(ring.checkpointDDIMSteps) steps); at the end, \(ring.finalSamples) \
    samples (chapter 05's count) are scored with chapter 05's rule: a sample is *high quality* \
    within 3σ of its nearest mode (98.9 % of real points are), and a mode is *covered* when it \
    holds at least 10 % of its fair share of high-quality samples. Diffusion's final samples come \
    from DDIM with 50 steps here; section 6 adds DDPM's 1,000. A run *succeeds* when it ends \
    covering at least 90 % of the modes (8 of 8, 23 of 25).
    """)
    var results: [PointData: [Family: [Float: [PointRunResult]]]] = [:]
    for kind in kinds {
        for fam in families {
            let runs = rates.flatMap { lr in (0..<seedCount).map { PointRun(family: fam, data: kind, learningRate: lr, seed: UInt64(1 + $0) &* 1000 &+ nb.seed, vaeBeta: chosenBeta[kind]!) } }
            let out = nb.timed("\(runs.count) runs: \(fam.rawValue) on the \(kind.rawValue)") {
                runs.map { pointRun($0, setup: setups[kind]!, cache: cache) }
            }
            for (run, r) in zip(runs, out) { results[kind, default: [:]][fam, default: [:]][run.learningRate, default: []].append(r) }
        }
    }
    // Each family's best learning rate per data set: the most modes on average (ties: quality).
    var bestRate: [PointData: [Family: Float]] = [:]
    for kind in kinds {
        for fam in families {
            let byRate = results[kind]![fam]!
            bestRate[kind, default: [:]][fam] = rates.max { a, b in
                let ma = meanAndSpread(byRate[a]!.map { Double($0.report.covered) }).mean, mb = meanAndSpread(byRate[b]!.map { Double($0.report.covered) }).mean
                if ma != mb { return ma < mb }
                return meanAndSpread(byRate[a]!.map { $0.report.highQualityShare }).mean < meanAndSpread(byRate[b]!.map { $0.report.highQualityShare }).mean
            }!
        }
    }

    /// The family whose mean modes covered changes most across the learning rates, with its
    /// lowest and highest mean and the rates they came at.
    func mostRateSensitive(_ kind: PointData) -> (Family, Double, Double, Float, Float) {
        let ranges = families.map { fam -> (Family, Double, Double, Float, Float) in
            let m = rates.map { meanAndSpread(results[kind]![fam]![$0]!.map { Double($0.report.covered) }).mean }
            return (fam, m.min()!, m.max()!, rates[m.firstIndex(of: m.min()!)!], rates[m.firstIndex(of: m.max()!)!])
        }
        return ranges.max { ($0.2 - $0.1) < ($1.2 - $1.1) }!
    }

    // MARK: 4. Results
    nb.section("4. Results: quality, diversity, consistency, stability")
    var rows: [[String]] = []
    var summary: [PointData: [Family: (modes: (mean: Double, spread: Double), hq: (mean: Double, spread: Double), success: Double)]] = [:]
    for kind in kinds {
        let real = kind.points(ring.finalSamples, seed: nb.seed &+ 500)
        let realReport = modeReport(samples: real.coordinates, modes: real.modes, std: real.modeStd)
        rows.append([kind.title, "real data (ceiling)", "–", "\(realReport.covered)", pct(realReport.highQualityShare), "–", "–"])
        for fam in families {
            let lr = bestRate[kind]![fam]!
            let best = results[kind]![fam]![lr]!
            let all = rates.flatMap { results[kind]![fam]![$0]! }
            let modes = meanAndSpread(best.map { Double($0.report.covered) }), hq = meanAndSpread(best.map { $0.report.highQualityShare })
            let success = successShare(all)
            summary[kind, default: [:]][fam] = (modes, hq, success)
            rows.append([kind.title, fam.title, f(Double(lr), "%g"), pm(modes), "\(pct(hq.mean)) ± \(pct(hq.spread))",
                         "\(best.filter(isSuccess).count) / \(best.count)", "\(all.filter(isSuccess).count) / \(all.count) = \(pct(success))"])
        }
    }
    nb.table(headers: ["data", "family", "best learning rate", "modes covered (mean ± sd over seeds)", "high-quality share (mean ± sd)",
                       "successful seeds at the best rate", "successful runs, all rates"], rows: rows)
    nb.say("""
    The *mean ± sd* columns are over the \(seedCount) seeds at each family's best learning rate \
    (the one with most modes on average): every family is shown at its best. The last column \
    counts every (seed, rate) run: how forgiving the family is when the rate is not tuned. \
    Real points are the ceiling; a sampler that puts every point on one mode would score 1 mode \
    and a high-quality share near 100 %, which is why the two numbers are read together.
    """)
    let keyName: [Family: String] = [.gan: "gan", .ganSN: "gan_sn", .vae: "vae", .diffusion: "diffusion"]
    for fam in families {
        let k = keyName[fam]!
        nb.number("\(fam.title): modes covered of 8 (mean over seeds, best rate)", summary[.ring]![fam]!.modes.mean, key: "\(k)_modes_8", unit: "count", format: "%.1f")
        nb.number("\(fam.title): modes covered of 25 (mean over seeds, best rate)", summary[.grid]![fam]!.modes.mean, key: "\(k)_modes_25", unit: "count", format: "%.1f")
        nb.number("\(fam.title): high-quality share on the grid (mean, best rate)", summary[.grid]![fam]!.hq.mean, key: "\(k)_high_quality_25", unit: "share", format: "%.3f")
        let pooled = kinds.flatMap { kind in rates.flatMap { results[kind]![fam]![$0]! } }
        nb.number("\(fam.title): share of all (seed, rate) runs on both data sets that succeed", successShare(pooled), key: "\(k)_success_share", unit: "share", format: "%.3f")
    }

    // MARK: 5. Figures of the sweep
    nb.section("5. What the samples look like, and how they got there")
    var samplePanels: [any Chart] = []
    for kind in kinds {
        let real = kind.points(ring.finalSamples, seed: nb.seed &+ 500)
        samplePanels.append(pointPanel("\(kind == .ring ? "ring" : "grid"): real data", real.coordinates, range: -3...3))
        for fam in families {
            let r = results[kind]![fam]![bestRate[kind]![fam]!]![0]
            samplePanels.append(pointPanel("\(fam == .ganSN ? "GAN + SN" : fam.title): \(r.report.covered)/\(r.report.modes), \(pct(r.report.highQualityShare))",
                                           r.samples, range: -3...3))
        }
    }
    try nb.figure(Figure(title: "Samples of each family on the same data (first seed, best learning rate, \(ring.finalSamples) points each)",
                         rows: 2, columns: 5, panels: samplePanels, width: 2400, height: 1000),
                  name: "samples-2d", caption: "Real data and the final samples of each family (GAN + SN: with spectral normalisation), first seed at its best learning rate; each title gives modes covered and the high-quality share.")
    do {
        let g = summary[.ring]![.gan]!, sn = summary[.ring]![.ganSN]!, v = summary[.ring]![.vae]!, d = summary[.ring]![.diffusion]!
        nb.say("""
        Each family fails in its own way, and the two numbers tell the ways apart. On the ring the \
        plain GAN covers \(f(g.modes.mean, "%.1f")) of 8 modes but puts only \(pct(g.hq.mean)) of its samples \
        on one: \(g.modes.mean >= 7.5 && g.hq.mean < 0.5 ? "its generator has learned the circle the modes lie on, not the gaps between them." : "its samples miss the modes.") \
        The spectrally normalised GAN covers \(f(sn.modes.mean, "%.1f")) (\(pct(sn.hq.mean)) on a mode)\
        \(sn.modes.mean < 1 ? ": its generator has not left the narrow set it started from." : ".") \
        The VAE covers \(f(v.modes.mean, "%.1f")) with \(pct(v.hq.mean)) on a mode\
        \(v.hq.mean < 0.2 ? ": decoding prior draws gives points spread over the space between the modes, the \"blurry\" samples VAEs are known for, here in two dimensions." : ".") \
        Diffusion covers \(f(d.modes.mean, "%.1f")) with \(pct(d.hq.mean)) on a mode; its misses \
        lie on short strings from mode to mode, the decisions chapter 05's DDIM samples left unfinished.
        """)
    }

    var modePanels: [any Chart] = []
    for kind in kinds {
        let setup = setups[kind]!
        let k = kind == .ring ? 8 : 25
        for fam in families {
            let lr = bestRate[kind]![fam]!
            let perStep = setup.stepFLOPs(fam) / 1e9
            var p = LinePlot(title: "\(kind == .ring ? "ring" : "grid"): \(fam.title) (lr \(f(Double(lr), "%g")))", xLabel: "training compute (GFLOP)",
                             yLabel: "modes covered (of \(k))",
                             series: results[kind]![fam]![lr]!.enumerated().map { i, r in
                                 LineSeries(name: "seed \(i + 1)", x: r.checkpointSteps.map { Double($0) * perStep }, y: r.checkpointModes.map(Double.init), marker: .circle)
                             },
                             referenceLines: [ReferenceLine(value: Double(successThreshold(modes: k)), label: "success: \(successThreshold(modes: k))")])
            p.yAxis.range = 0...Double(k + 1)
            p.legendAvoidsReferenceLabels = true
            modePanels.append(p)
        }
    }
    try nb.figure(Figure(title: "Modes covered during training, every seed (\(ring.checkpointSamples) samples per count)", rows: 2, columns: 4,
                         panels: modePanels, width: 2400, height: 1100),
                  name: "modes-over-training", caption: "Modes covered at \(ring.checkpoints) points of training for each seed at the family's best learning rate; the x axis is training compute, so the four columns spend the same budget.")

    var lossPanels: [any Chart] = []
    for kind in kinds {
        for fam in families {
            let lr = bestRate[kind]![fam]!
            let runs = results[kind]![fam]![lr]!
            let window = max(1, runs[0].losses.count / 60)
            // The VAE's −ELBO falls from hundreds of nats in its first steps; the plot starts after
            // 10 % of the run so the rest of the curve is not flattened against the axis.
            let skip = fam == .vae ? runs[0].losses.count / 10 : 0
            let series = runs.enumerated().map { i, r -> LineSeries in
                let m = Array(runningMean(r.losses, window: window).dropFirst(skip))
                let stride = max(1, m.count / 200)
                let idx = Array(Swift.stride(from: 0, to: m.count, by: stride))
                return LineSeries(name: "seed \(i + 1)", x: idx.map { Double($0 + skip) }, y: idx.map { Double(m[$0]) })
            }
            let yLabel: String
            var refs: [ReferenceLine] = []
            switch fam {
            case .gan, .ganSN:
                yLabel = "discriminator loss (nats)"
                refs = [ReferenceLine(value: 2 * log(2.0), label: "2 ln 2: D cannot tell")]
            case .vae: yLabel = "−ELBO per point (nats)"
            case .diffusion: yLabel = "noise MSE"
            }
            var panel = LinePlot(title: "\(kind == .ring ? "ring" : "grid"): \(fam.title)", xLabel: "optimiser step", yLabel: yLabel,
                                 series: series, referenceLines: refs)
            panel.legendAvoidsReferenceLabels = true
            lossPanels.append(panel)
        }
    }
    try nb.figure(Figure(title: "Training losses of every seed at the best learning rate (running mean over 1/60 of each run)",
                         rows: 2, columns: 4, panels: lossPanels, width: 2400, height: 1100),
                  name: "losses", caption: "Loss curves of every seed at each family's best learning rate (running mean over 1/60 of the run; the VAE's from 10 % of the run on). For the GANs the discriminator's loss; 2 ln 2 ≈ 1.386 is what a discriminator that cannot tell real from fake scores.")
    var lostRows: [[String]] = []
    var lost: [PointData: [Family: Double]] = [:]
    for kind in kinds {
        for fam in families {
            let rs = results[kind]![fam]![bestRate[kind]![fam]!]!
            let m = meanAndSpread(rs.map { Double(modesLost($0.checkpointModes)) })
            lost[kind, default: [:]][fam] = m.mean
            lostRows.append([kind.title, fam.title, pm(m), pm(meanAndSpread(rs.map { Double($0.checkpointModes.max() ?? 0) })),
                             pm(meanAndSpread(rs.map { Double($0.checkpointModes.last ?? 0) }))])
        }
    }
    nb.table(headers: ["data", "family", "modes lost during training (sum of drops between counts)", "most modes at any count", "modes at the last count"],
             rows: lostRows)
    let ganLost = [Family.gan, .ganSN].map { lost[.grid]![$0]! }.max()!, calmLost = [Family.vae, .diffusion].map { lost[.grid]![$0]! }.max()!
    nb.say("""
    The loss curves say little about sample quality for the GANs: a discriminator loss near \
    2 ln 2 means D cannot tell real from generated *at that moment*, which is as true of a \
    generator that has collapsed onto a few modes D has not yet learned to check as of a good \
    one. The mode counts over training are the better view. "Modes lost" adds up every drop in \
    a run's count from one checkpoint to the next (the counts use \(ring.checkpointSamples) \
    samples, so a drop of one or two modes can be sampling noise). On the grid the GANs lose up \
    to \(f(ganLost, "%.1f")) modes per run on average, the VAE and diffusion at most \
    \(f(calmLost, "%.1f")). \(ganLost > 2 * calmLost + 1 ? "The GANs' counts rise and fall as the generator and the discriminator chase each other, while the other two minimise a fixed objective and their counts mostly only rise." : "By this count the GANs are not much more erratic than the others here.")
    """)

    // MARK: 6. Stability
    nb.section("6. Stability: success against learning rate")
    var stabilityPanels: [any Chart] = []
    var stabilityRows: [[String]] = []
    for kind in kinds {
        let rateNames = rates.map { f(Double($0), "%g") }
        let none = families.allSatisfy { fam in rates.allSatisfy { successShare(results[kind]![fam]![$0]!) == 0 } }
        var bars = BarChart(title: "\(kind.title): runs ending with ≥ \(successThreshold(modes: kind == .ring ? 8 : 25)) modes\(none ? " (none)" : "")",
                            categories: rateNames,
                            series: families.map { fam in BarSeries(name: fam.title, values: rates.map { successShare(results[kind]![fam]![$0]!) }) },
                            xLabel: "peak learning rate", yLabel: "share of \(seedCount) seeds that succeed")
        bars.yAxis.range = 0...1.05
        stabilityPanels.append(bars)
        for fam in families {
            stabilityRows.append([kind.title, fam.title] + rates.map { lr in
                let rs = results[kind]![fam]![lr]!
                return "\(rs.filter(isSuccess).count)/\(rs.count) (\(f(meanAndSpread(rs.map { Double($0.report.covered) }).mean, "%.1f")) modes)"
            } + ["\(rates.flatMap { results[kind]![fam]![$0]! }.filter(\.diverged).count)"])
        }
    }
    for kind in kinds {
        stabilityPanels.append(BarChart(title: "\(kind.title): modes covered at the end", categories: rates.map { f(Double($0), "%g") },
                                        series: families.map { fam in
                                            let s = rates.map { meanAndSpread(results[kind]![fam]![$0]!.map { Double($0.report.covered) }) }
                                            return BarSeries(name: fam.title, values: s.map(\.mean), errors: s.map(\.spread))
                                        },
                                        xLabel: "peak learning rate", yLabel: "modes covered (mean ± sd over seeds)",
                                        referenceLines: [ReferenceLine(value: Double(kind == .ring ? 8 : 25), label: "all \(kind == .ring ? 8 : 25) modes")]))
    }
    try nb.figure(Figure(title: "Stability: how each family fares at each learning rate", rows: 2, columns: 2, panels: stabilityPanels,
                         width: 2000, height: 1300),
                  name: "stability", caption: "Top: for each learning rate, the share of \(seedCount) seeds whose final samples cover at least 90 % of the modes. Bottom: the modes they cover (mean ± sd over seeds).")
    nb.table(headers: ["data", "family"] + rates.map { "lr \(f(Double($0), "%g")): successes (mean modes)" } + ["runs that diverged (NaN)"], rows: stabilityRows)
    do {
        // How much the learning rate matters: the range of mean modes across the three rates.
        var parts: [String] = []
        for kind in kinds {
            let most = mostRateSensitive(kind)
            parts.append("on the \(kind.rawValue) the rate matters most to \(most.0.title) (\(f(most.1, "%.1f")) modes at \(f(Double(most.3), "%g")), \(f(most.2, "%.1f")) at \(f(Double(most.4), "%g")))")
        }
        let diverged = kinds.flatMap { kind in families.flatMap { fam in rates.flatMap { results[kind]![fam]![$0]! } } }.filter(\.diverged).count
        nb.say("""
        No run of any family diverged to NaN (\(diverged) of \(seedCount * rates.count * families.count * 2)): at \
        these sizes "unstable" means ending in the wrong place, not blowing up. The rate decides \
        much of where: \(parts.joined(separator: "; ")). A family whose best rate sits at the edge \
        of the sweep might do better beyond it; three rates a factor of about 3 apart is the \
        budget this chapter can spend.
        """)
    }

    // MARK: 7. Cost
    nb.section("7. What a sample costs")
    nb.say("""
    A GAN's generator and a VAE's decoder turn noise into a sample in one network evaluation. \
    Diffusion needs one per reverse step. The same trained noise predictors (each seed at the \
    best learning rate) are sampled here with DDIM at 10, 25 and 50 steps and with DDPM's 1,000, \
    \(ring.finalSamples) samples each, and scored like the rest.
    """)
    let samplers: [PointSampler] = [.ddim(10), .ddim(25), .ddim(50), .ddpm]
    var costPanels: [any Chart] = []
    var costRows: [[String]] = []
    var ddpmModes: [PointData: [Double]] = [:], ddpmHQ: [PointData: [Double]] = [:], costHQ: [PointData: [Double]] = [:]
    for kind in kinds {
        let setup = setups[kind]!
        let real = kind.points(10, seed: 1)
        let runs = results[kind]![.diffusion]![bestRate[kind]![.diffusion]!]!
        var hqBySampler: [[Double]] = [], modesBySampler: [[Double]] = []
        for sampler in samplers {
            var hq: [Double] = [], modes: [Double] = []
            for (i, r) in runs.enumerated() {
                let xy: [Float]
                if sampler == setup.finalSampler {
                    xy = r.samples
                } else {
                    xy = nb.timed("\(kind.rawValue): sample \(setup.finalSamples) points with \(sampler.label) (seed \(i + 1))") {
                        samplePoints(r.denoiser!, schedule: linear, sampler: sampler, count: setup.finalSamples, seed: nb.seed &+ 700 &+ UInt64(i))
                    }
                }
                let rep = modeReport(samples: xy, modes: real.modes, std: real.modeStd)
                hq.append(rep.highQualityShare); modes.append(Double(rep.covered))
            }
            hqBySampler.append(hq); modesBySampler.append(modes)
            costRows.append([kind.title, "diffusion, \(sampler.label)", "\(sampler.evaluations(linear))", pm(meanAndSpread(modes)),
                             "\(pct(meanAndSpread(hq).mean)) ± \(pct(meanAndSpread(hq).spread))"])
        }
        ddpmModes[kind] = modesBySampler.last!
        costHQ[kind] = hqBySampler.map { meanAndSpread($0).mean }
        ddpmHQ[kind] = hqBySampler.last!
        var series = [LineSeries(name: "diffusion (DDIM 10, 25, 50; DDPM 1000)", x: samplers.map { Double($0.evaluations(linear)) },
                                 y: hqBySampler.map { meanAndSpread($0).mean }, yError: hqBySampler.map { meanAndSpread($0).spread }, marker: .circle)]
        for fam in families where fam != .diffusion {
            let rs = results[kind]![fam]![bestRate[kind]![fam]!]!
            let hq = meanAndSpread(rs.map { $0.report.highQualityShare }), modes = meanAndSpread(rs.map { Double($0.report.covered) })
            costRows.append([kind.title, fam.title, "1", pm(modes), "\(pct(hq.mean)) ± \(pct(hq.spread))"])
            series.append(LineSeries(name: fam.title, x: [1.0], y: [hq.mean], yError: [hq.spread], marker: fam == .vae ? .square : (fam == .gan ? .triangle : .diamond)))
        }
        var p = LinePlot(title: "\(kind.title): quality against sampling cost", xLabel: "network evaluations per sample", yLabel: "high-quality share (mean ± sd over seeds)",
                         xScale: .log10, series: series, referenceLines: [ReferenceLine(value: 0.989, label: "real data 98.9 %")])
        p.yAxis.range = 0...1.05
        p.legendAvoidsReferenceLabels = true
        costPanels.append(p)
    }
    try nb.figure(Figure(title: "The cost/quality trade-off in the plane", rows: 1, columns: 2, panels: costPanels, width: 2000, height: 750),
                  name: "cost-quality-2d", caption: "High-quality share (mean ± sd over \(seedCount) seeds, each family at its best learning rate) against network evaluations per sample; diffusion with DDIM at 10, 25, 50 steps and DDPM at 1,000.")
    nb.table(headers: ["data", "model and sampler", "network evaluations per sample", "modes covered (mean ± sd)", "high-quality share (mean ± sd)"], rows: costRows)
    nb.number("diffusion (DDPM): modes covered of 25 (mean over seeds)", meanAndSpread(ddpmModes[.grid]!).mean, key: "diffusion_ddpm_modes_25", unit: "count", format: "%.1f")
    nb.number("diffusion (DDPM): high-quality share on the grid", meanAndSpread(ddpmHQ[.grid]!).mean, key: "diffusion_ddpm_high_quality_25", unit: "share", format: "%.3f")
    // Wall time per sample, machine-dependent, so it goes to the timings only.
    do {
        let setup = grid
        let n = setup.finalSamples
        for fam in families {
            let r = results[.grid]![fam]![bestRate[.grid]![fam]!]![0]
            let start = ContinuousClock.now
            switch fam {
            case .diffusion:
                _ = samplePoints(r.denoiser!, schedule: linear, sampler: .ddim(50), count: n, seed: 1)
            case .vae:
                // Time depends on the architecture only, so a fresh decoder of the same size will do.
                var rr = RNG(seed: 1)
                let v = MLPVAE(data: 2, latent: setup.vaeLatent, hidden: setup.hidden, rng: &rr)
                _ = v.sample(n, rng: &rr)
            case .gan, .ganSN:
                var rr = RNG(seed: 1)
                let g = MLP(setup.generatorSizes, activation: .silu, rng: &rr)
                _ = Tensor.noGrad { g(Tensor.randn([n, setup.ganLatent], rng: &rr)) }
            }
            let d = start.duration(to: .now)
            let s = Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
            nb.machineNumber("\(fam.title): wall time per sample (\(n) in one batch\(fam == .diffusion ? ", DDIM 50" : ""))", text: String(format: "%.2f µs", 1e6 * s / Double(n)))
        }
    }
    var reachRows: [[String]] = []
    for kind in kinds {
        let setup = setups[kind]!, k = kind == .ring ? 8 : 25
        for fam in families {
            let rs = results[kind]![fam]![bestRate[kind]![fam]!]!
            let reached = rs.compactMap { firstStep(reaching: successThreshold(modes: k), steps: $0.checkpointSteps, modes: $0.checkpointModes) }
                .map { Double($0) * setup.stepFLOPs(fam) }.sorted()
            let text = reached.isEmpty ? "never" : "median \(gflop(reached[reached.count / 2])) (\(reached.count) of \(rs.count) seeds reach it)"
            reachRows.append([kind.title, fam.title, text, gflop(setup.budgetFLOPs)])
        }
    }
    nb.table(headers: ["data", "family", "training compute until the first count with ≥ 90 % of the modes", "budget"], rows: reachRows)
    let gridBestOther = [Family.gan, .ganSN, .vae].max { summary[.grid]![$0]!.hq.mean < summary[.grid]![$1]!.hq.mean }!
    nb.say("""
    On the grid, diffusion's high-quality share grows with the evaluations it is given, \
    \(pct(costHQ[.grid]![0])) with DDIM 10 to \(pct(costHQ[.grid]![3])) with DDPM's 1,000, \
    against \(pct(summary[.grid]![gridBestOther]!.hq.mean)) for the best one-evaluation family \
    (\(gridBestOther.title)). So at this training budget diffusion buys its quality with 10 to \
    1,000 times the sampling work, and even its cheapest sampler beats the others here. The \
    counts in the last table are taken during training on \(ring.checkpointSamples) samples, \
    where a mode needs only \(max(1, Int((0.1 * Double(ring.checkpointSamples) / 25).rounded(.up)))) \
    samples on it to count (of 25), against \(max(1, Int((0.1 * Double(ring.finalSamples) / 25).rounded(.up)))) \
    of the final \(ring.finalSamples); the counts during training therefore run a little higher \
    than the final ones in section 4.
    """)

    // MARK: 8. Glyphs
    nb.section("8. Images: the glyph digits")
    let cosine = NoiseSchedule.cosine()
    let trainCount = nb.pick(quick: 2000, full: 10_000)
    let train = GlyphDigits.generate(count: trainCount, seed: nb.seed &+ 1000)
    let heldOut = GlyphDigits.generate(count: nb.pick(quick: 500, full: 1000), seed: nb.seed &+ 1001)
    let imageCount = nb.pick(quick: 100, full: 300)
    // Chapter 05's classifier and U-Net, restored from chapter 05's cache through the same keys.
    let ch05Cache = TrainingCache(folder: nb.cacheDir.hasSuffix("09-families") ? String(nb.cacheDir.dropLast("09-families".count)) + "05-diffusion" : nb.cacheDir,
                                  fresh: nb.fresh)
    let classifier = makeClassifier(classes: 10, seed: nb.seed &+ 1400)
    let classifierSteps = nb.pick(quick: 120, full: 300)
    let classifierRun = try nb.timed("classifier (chapter 05)") {
        try ch05Cache.trained(classifier, key: "classifier-glyphs-w32-s\(classifierSteps)-n\(trainCount)-seed\(nb.seed &+ 1400)") {
            try trainClassifier(classifier, images: train, steps: classifierSteps, batch: 64, learningRate: 3e-3, seed: nb.seed &+ 1400)
        }
    }
    var imageConfig = ImageTrainingConfig()
    imageConfig.steps = nb.pick(quick: 40, full: 3000)
    imageConfig.batch = nb.pick(quick: 16, full: 32)
    imageConfig.baseChannels = nb.pick(quick: 16, full: 32)
    let unet = makeUNet(imageConfig, inChannels: 1, seed: nb.seed &+ 1100)
    let unetRun = try nb.timed("U-Net (chapter 05)") {
        try ch05Cache.trained(unet, key: imageConfig.key("unet-glyphs", schedule: cosine, images: trainCount, seed: nb.seed &+ 1100)) {
            try trainImageDenoiser(unet, images: train, schedule: cosine, config: imageConfig, conditioned: false, seed: nb.seed &+ 1100)
        }
    }
    if !classifierRun.cached || !unetRun.cached {
        nb.say("(Chapter 05's cache did not hold its classifier or U-Net for these settings, so they were retrained here with chapter 05's code and keys.)")
    }
    let unetFLOPs = UNetCost.trainingFLOPs(imageConfig.unetConfig(inChannels: 1), height: 16, width: 16, batch: imageConfig.batch) * Double(imageConfig.steps)

    var glyph = GlyphSetup()
    glyph.ganSteps = nb.pick(quick: 100, full: 2000)
    // Diffusion at the GAN's budget: chapter 05's U-Net recipe at 16 channels, as many steps as the budget buys.
    var matchedConfig = ImageTrainingConfig()
    matchedConfig.baseChannels = 16
    matchedConfig.batch = 32
    let matchedStepFLOPs = UNetCost.trainingFLOPs(matchedConfig.unetConfig(inChannels: 1), height: 16, width: 16, batch: matchedConfig.batch)
    matchedConfig.steps = max(10, Int((glyph.budgetFLOPs / matchedStepFLOPs).rounded()))
    let matchedUNet = makeUNet(matchedConfig, inChannels: 1, seed: nb.seed &+ 1900)
    nb.say("""
    The same question on images. Chapter 05's glyph digits (\(trainCount) training images) and \
    its classifier judge every family: the *Fréchet distance* (FD) between the classifier's \
    \(classifier.featureDimension)-dimensional features of \(imageCount) generated images and of \
    2,000 training images, *precision and recall* (Kynkäänniemi et al., k = 3) of the generated \
    features against \(imageCount) held-out real images, the classes present and the class \
    histogram's distance from uniform. Real held-out images give the ceiling, clamped Gaussian \
    noise the floor.

    The GAN and the VAE are MLPs over the 256 pixels (two hidden layers of \(glyph.width); the \
    generator reads a \(glyph.ganLatent)-dimensional z, the VAE has a \(glyph.vaeLatent)-dimensional \
    code and a Gaussian decoder with s = \(f(Double(glyph.vaeDecoderStd), "%.1f")); tanh keeps both \
    outputs in [−1, 1]). The GANs train \(glyph.ganSteps) steps of \(glyph.batch) images and the \
    VAE the \(glyph.steps(.vae)) steps that cost the same \(gflop(glyph.budgetFLOPs)). Chapter \
    05's diffusion U-Net (\(unet.parameterCount) parameters) trained for \(gflop(unetFLOPs)), \
    \(f(unetFLOPs / glyph.budgetFLOPs, "%.0f"))× that budget; giving each of the \
    \(3 * nb.pick(quick: 2, full: 5)) GAN and VAE runs as much would cost this chapter hours. So a second, smaller U-Net (16 channels, \
    \(matchedUNet.parameterCount) parameters) is trained here on exactly the GAN's budget \
    (\(matchedConfig.steps) steps of \(matchedConfig.batch)): the matched comparison. That is few steps \
    because a U-Net spends its FLOPs on convolutions at every pixel: one of its training steps \
    costs \(f(matchedStepFLOPs / glyph.stepFLOPs(.gan), "%.0f"))× a GAN step.
    """)
    let matchedRun = try nb.timed("U-Net at the GAN's budget (\(matchedConfig.steps) steps)") {
        try cache.trained(matchedUNet, key: matchedConfig.key("unet-glyphs-matched", schedule: cosine, images: trainCount, seed: nb.seed &+ 1900)) {
            try trainImageDenoiser(matchedUNet, images: train, schedule: cosine, config: matchedConfig, conditioned: false, seed: nb.seed &+ 1900)
        }
    }
    _ = matchedRun
    let trainFeatures = classify(classifier, train.tensor(0..<min(2000, trainCount))).features
    let realA = heldOut.tensor(0..<imageCount), realB = heldOut.tensor(imageCount..<(2 * imageCount))
    let realFeatures = classify(classifier, realB).features
    let score = { (x: Tensor) in glyphScore(x, classifier: classifier, trainFeatures: trainFeatures, realFeatures: realFeatures) }
    let realScore = score(realA)
    let noiseScore: GlyphScore = { var r = nb.rng(1950); return score(clampImages(Tensor.randn([imageCount, 1, 16, 16], std: 1, rng: &r))) }()

    // The VAE's β on a selection seed, by FD.
    var vaeBeta: Float = 1
    var betaNote: [String] = []
    do {
        var bestFD = Double.infinity
        for beta: Float in [0.1, 1] {
            let r = nb.timed("glyph VAE, β = \(beta) (selection seed)") { glyphRun(.vae, images: train, setup: glyph, beta: beta, seed: 95_000, cache: cache) }
            let fd = score(clampImages(r.sample(imageCount, 95_001))).frechet
            betaNote.append("β = \(f(Double(beta), "%g")): FD \(f(fd, "%.2f"))")
            if fd < bestFD { bestFD = fd; vaeBeta = beta }
        }
    }
    nb.say("The VAE's β was chosen by FD on a selection seed that no compared run uses (\(betaNote.joined(separator: ", "))): β = \(f(Double(vaeBeta), "%g")).")

    let glyphSeeds = nb.pick(quick: 2, full: 5)
    let ddimSteps = nb.pick(quick: 10, full: 20)
    var glyphScores: [String: [GlyphScore]] = [:]
    var glyphFirst: [String: Tensor] = [:]
    var glyphLosses: [Family: [[Float]]] = [:]
    for fam in [Family.gan, .ganSN, .vae] {
        for s in 0..<glyphSeeds {
            let r = nb.timed("glyph \(fam.rawValue), seed \(s + 1)") {
                glyphRun(fam, images: train, setup: glyph, beta: vaeBeta, seed: nb.seed &+ 2000 &+ UInt64(s), cache: cache)
            }
            let x = clampImages(r.sample(imageCount, nb.seed &+ 2100 &+ UInt64(s)))
            glyphScores[fam.title, default: []].append(r.diverged ? noiseScore : score(x))
            glyphLosses[fam, default: []].append(r.losses)
            if s == 0 { glyphFirst[fam.title] = x }
        }
    }
    let diffusionLabel = "diffusion (chapter 05, DDIM \(ddimSteps))", matchedLabel = "diffusion at the GAN's budget (DDIM \(ddimSteps))"
    for s in 0..<glyphSeeds {
        let x = nb.timed("sample \(imageCount) glyphs, chapter 05's U-Net, DDIM \(ddimSteps), seed \(s + 1)") {
            cachedImages(key: "samples-unet-c\(imageConfig.baseChannels)-s\(imageConfig.steps)-ddim\(ddimSteps)-n\(imageCount)-seed\(nb.seed &+ 2200 &+ UInt64(s))",
                         count: imageCount, cache: cache) {
                clampImages(sampleImages(unet, schedule: cosine, count: imageCount, height: 16, width: 16, steps: ddimSteps, seed: nb.seed &+ 2200 &+ UInt64(s)))
            }
        }
        glyphScores[diffusionLabel, default: []].append(score(x))
        if s == 0 { glyphFirst[diffusionLabel] = x }
    }
    do {
        let x = nb.timed("sample \(imageCount) glyphs, U-Net at the GAN's budget") {
            cachedImages(key: "samples-unet-matched-c16-s\(matchedConfig.steps)-ddim\(ddimSteps)-n\(imageCount)-seed\(nb.seed &+ 2300)", count: imageCount, cache: cache) {
                clampImages(sampleImages(matchedUNet, schedule: cosine, count: imageCount, height: 16, width: 16, steps: ddimSteps, seed: nb.seed &+ 2300))
            }
        }
        glyphScores[matchedLabel] = [score(x)]
        glyphFirst[matchedLabel] = x
    }
    let glyphOrder = [Family.gan.title, Family.ganSN.title, Family.vae.title, diffusionLabel, matchedLabel]
    func glyphRow(_ name: String, _ scores: [GlyphScore], params: String, flops: String, evals: String) -> [String] {
        let fd = meanAndSpread(scores.map(\.frechet)), p = meanAndSpread(scores.map(\.precisionRecall.precision))
        let rc = meanAndSpread(scores.map(\.precisionRecall.recall)), cl = meanAndSpread(scores.map { Double($0.classesPresent) })
        let tv = meanAndSpread(scores.map(\.classTV))
        let two = { (s: (mean: Double, spread: Double)) in scores.count > 1 ? pm(s, "%.2f") : f(s.mean, "%.2f") }
        return [name, "\(scores.count)", two(fd), two(p), two(rc), scores.count > 1 ? pm(cl) : f(cl.mean, "%.0f"), two(tv), params, flops, evals]
    }
    var glyphRows: [[String]] = [glyphRow("real held-out images (ceiling)", [realScore], params: "–", flops: "–", evals: "–")]
    for name in glyphOrder {
        let params: String, flops: String, evals: String
        switch name {
        case Family.gan.title, Family.ganSN.title:
            params = "\(glyph.samplerParameters(.gan))"; flops = gflop(glyph.budgetFLOPs); evals = "1"
        case Family.vae.title:
            params = "\(glyph.samplerParameters(.vae))"; flops = gflop(Double(glyph.steps(.vae)) * glyph.stepFLOPs(.vae)); evals = "1"
        case diffusionLabel:
            params = "\(unet.parameterCount)"; flops = gflop(unetFLOPs); evals = "\(ddimSteps)"
        default:
            params = "\(matchedUNet.parameterCount)"; flops = gflop(Double(matchedConfig.steps) * matchedStepFLOPs); evals = "\(ddimSteps)"
        }
        glyphRows.append(glyphRow(name, glyphScores[name]!, params: params, flops: flops, evals: evals))
    }
    glyphRows.append(glyphRow("clamped Gaussian noise (floor)", [noiseScore], params: "–", flops: "–", evals: "–"))
    nb.table(headers: ["images", "seeds", "FD to training features (lower is better)", "precision", "recall", "classes present (of 10)",
                       "class histogram: distance from uniform", "parameters (sampling network)", "training compute", "network evaluations per sample"],
             rows: glyphRows)
    nb.say("""
    Mean ± sd over \(glyphSeeds) training seeds for the GANs and the VAE; for chapter 05's U-Net \
    (one trained model) over \(glyphSeeds) sampling seeds, and one run of the matched U-Net, so \
    their spreads say less about training luck than the others'.
    """)
    nb.number("GAN: Fréchet distance on glyphs (mean over seeds)", meanAndSpread(glyphScores[Family.gan.title]!.map(\.frechet)).mean,
              key: "gan_frechet_glyphs", unit: "", format: "%.3f")
    nb.number("GAN + spectral norm: Fréchet distance on glyphs", meanAndSpread(glyphScores[Family.ganSN.title]!.map(\.frechet)).mean,
              key: "gan_sn_frechet_glyphs", unit: "", format: "%.3f")
    nb.number("VAE: Fréchet distance on glyphs", meanAndSpread(glyphScores[Family.vae.title]!.map(\.frechet)).mean, key: "vae_frechet_glyphs", unit: "", format: "%.3f")
    nb.number("diffusion (chapter 05's U-Net): Fréchet distance on glyphs", meanAndSpread(glyphScores[diffusionLabel]!.map(\.frechet)).mean,
              key: "diffusion_frechet_glyphs", unit: "", format: "%.3f")
    nb.number("diffusion at the GAN's training budget: Fréchet distance on glyphs", glyphScores[matchedLabel]![0].frechet,
              key: "diffusion_matched_frechet_glyphs", unit: "", format: "%.3f")
    nb.number("real held-out images: Fréchet distance (ceiling)", realScore.frechet, key: "real_frechet_glyphs", unit: "", format: "%.3f")
    nb.number("noise images: Fréchet distance (floor)", noiseScore.frechet, key: "noise_frechet_glyphs", unit: "", format: "%.3f")
    nb.number("real held-out images: recall (ceiling)", realScore.precisionRecall.recall, key: "real_recall_glyphs", unit: "share", format: "%.3f")
    for (name, key) in [(Family.gan.title, "gan"), (Family.ganSN.title, "gan_sn"), (Family.vae.title, "vae"), (diffusionLabel, "diffusion")] {
        nb.number("\(name): recall on glyphs", meanAndSpread(glyphScores[name]!.map(\.precisionRecall.recall)).mean, key: "\(key)_recall_glyphs", unit: "share", format: "%.3f")
        nb.number("\(name): precision on glyphs", meanAndSpread(glyphScores[name]!.map(\.precisionRecall.precision)).mean, key: "\(key)_precision_glyphs", unit: "share", format: "%.3f")
    }
    let fdOf = { (name: String) in meanAndSpread(glyphScores[name]!.map(\.frechet)).mean }
    let bestGlyphOther = [Family.gan, .ganSN, .vae].min { fdOf($0.title) < fdOf($1.title) }!
    let matched = glyphScores[matchedLabel]![0]
    nb.say("""
    Chapter 05's U-Net is far ahead: FD \(f(fdOf(diffusionLabel), "%.2f")) against \
    \(f(fdOf(bestGlyphOther.title), "%.2f")) for the best one-evaluation family (\(bestGlyphOther.title)), on a \
    scale from \(f(realScore.frechet, "%.2f")) (real images) to \(f(noiseScore.frechet, "%.1f")) (noise). \
    But it trained on \(f(unetFLOPs / glyph.budgetFLOPs, "%.0f"))× their compute. Trained on exactly \
    the GAN's budget, the same recipe \(matched.frechet > fdOf(bestGlyphOther.title) ? "loses" : "still wins"): \
    FD \(f(matched.frechet, "%.2f")), with precision \(f(matched.precisionRecall.precision, "%.2f")). \
    Its recall of \(f(matched.precisionRecall.recall, "%.2f")) is a warning about recall, not praise: \
    noisy samples scatter widely in feature space, each one's ball (out to its 3rd-nearest \
    generated neighbour) is large, and large balls cover real points without resembling them. \
    Recall means something only beside precision. The VAE shows the other classic pattern: \
    recall \(f(meanAndSpread(glyphScores[Family.vae.title]!.map(\.precisionRecall.recall)).mean, "%.2f")) with \
    precision \(f(meanAndSpread(glyphScores[Family.vae.title]!.map(\.precisionRecall.precision)).mean, "%.2f")): \
    blurry images that sit near every class and look like none.
    """)
    var glyphCells: [GridImage] = gridImages(realA.slice(axis: 0, 0..<12).detach())
    for name in glyphOrder { glyphCells += gridImages(glyphFirst[name]!.slice(axis: 0, 0..<12).detach()) }
    try nb.figure(ImageGrid(title: "Glyph digits: real and generated by each family (first seed)", images: glyphCells, columns: 12,
                            rowLabels: ["real"] + ["GAN", "GAN + SN", "VAE", "diffusion (ch. 05)", "diffusion, GAN budget"], width: 1400, height: 640),
                  name: "samples-glyphs", caption: "Twelve held-out real digits and the first twelve samples of each family (first seed).")

    // The cost/quality trade-off on images: FD against network evaluations per sample.
    var tradeX: [Double] = [], tradeY: [Double] = []
    for steps in nb.pick(quick: [5, 10], full: [5, 10, 20, 40]) {
        let x = nb.timed("sample \(imageCount) glyphs, DDIM \(steps)") {
            cachedImages(key: "samples-unet-c\(imageConfig.baseChannels)-s\(imageConfig.steps)-ddim\(steps)-n\(imageCount)-seed\(nb.seed &+ 2200)",
                         count: imageCount, cache: cache) {
                clampImages(sampleImages(unet, schedule: cosine, count: imageCount, height: 16, width: 16, steps: steps, seed: nb.seed &+ 2200))
            }
        }
        tradeX.append(Double(steps)); tradeY.append(score(x).frechet)
    }
    var tradeSeries = [LineSeries(name: "diffusion (chapter 05's U-Net), DDIM", x: tradeX, y: tradeY, marker: .circle)]
    for (fam, marker) in [(Family.gan, Marker.triangle), (.ganSN, .diamond), (.vae, .square)] {
        let s = meanAndSpread(glyphScores[fam.title]!.map(\.frechet))
        tradeSeries.append(LineSeries(name: fam.title, x: [1.0], y: [s.mean], yError: [s.spread], marker: marker))
    }
    tradeSeries.append(LineSeries(name: "diffusion at the GAN's budget, DDIM \(ddimSteps)", x: [Double(ddimSteps)], y: [glyphScores[matchedLabel]![0].frechet], marker: .cross))
    var tradePlot = LinePlot(title: "Glyphs: Frechet distance against sampling cost", xLabel: "network evaluations per sample", yLabel: "Frechet distance to training features",
                             xScale: .log10, yScale: .log10, series: tradeSeries,
                             referenceLines: [ReferenceLine(value: realScore.frechet, label: "real held-out \(f(realScore.frechet, "%.2f"))"),
                                              ReferenceLine(value: noiseScore.frechet, label: "noise \(f(noiseScore.frechet, "%.1f"))")])
    tradePlot.legendAvoidsReferenceLabels = true
    try nb.figure(tradePlot,
                  name: "cost-quality-glyphs", caption: "FD of \(imageCount) samples against network evaluations per sample: chapter 05's U-Net with DDIM at several step counts (one sampling seed), the one-evaluation GAN and VAE (mean ± sd over seeds), and the U-Net trained on the GAN's budget.")
    nb.table(headers: ["DDIM steps (chapter 05's U-Net)"] + tradeX.map { "\(Int($0))" }, rows: [["FD"] + tradeY.map { f($0, "%.2f") }])
    var glyphLossPanels: [any Chart] = []
    for fam in [Family.gan, .ganSN, .vae] {
        let curves = glyphLosses[fam]!
        let window = max(1, curves[0].count / 50)
        var panel = LinePlot(title: "glyphs: \(fam.title)", xLabel: "optimiser step", yLabel: fam == .vae ? "−ELBO per image (nats)" : "discriminator loss (nats)",
                             series: curves.enumerated().map { i, l in
                                 // Every few steps of the running mean: the curve's shape, not thousands of CSV rows.
                                 let m = runningMean(l, window: window), idx = Array(Swift.stride(from: 0, to: m.count, by: max(1, m.count / 250)))
                                 return LineSeries(name: "seed \(i + 1)", x: idx.map(Double.init), y: idx.map { Double(m[$0]) })
                             },
                             referenceLines: fam == .vae ? [] : [ReferenceLine(value: 2 * log(2.0), label: "2 ln 2")])
        panel.legendAvoidsReferenceLabels = true
        glyphLossPanels.append(panel)
    }
    try nb.figure(Figure(title: "Glyph training losses, every seed", rows: 1, columns: 3, panels: glyphLossPanels, width: 2100, height: 650),
                  name: "losses-glyphs", caption: "Loss of every seed of the glyph GANs and VAE (running mean over 1/50 of the run).")

    // MARK: 9. Verdicts
    nb.section("9. The study guide's claims, judged")
    let others: [Family] = [.gan, .ganSN, .vae]
    func perSeed(_ kind: PointData, _ fam: Family, _ value: (PointRunResult) -> Double) -> [Double] {
        results[kind]![fam]![bestRate[kind]![fam]!]!.map(value)
    }
    var verdictRows: [[String]] = []
    func judge(_ claim: String, _ kind: PointData, diffusion: [Double], others o: [[Double]], higher: Bool, show: (Double) -> String) -> Verdict {
        let (v, rival) = Verdict.decide(diffusion: diffusion, others: o, higherIsBetter: higher)
        let d = meanAndSpread(diffusion), r = meanAndSpread(o[rival])
        verdictRows.append([claim, kind == .ring ? "ring (8)" : "grid (25)", v.rawValue,
                            "diffusion \(show(d.mean)) ± \(show(d.spread)) vs best other (\(others[rival].title)) \(show(r.mean)) ± \(show(r.spread))"])
        return v
    }
    var verdicts: [String: [Verdict]] = [:]
    for kind in kinds {
        let diffusionHQ = kind == .grid || kind == .ring ? ddpmHQ[kind]! : []
        verdicts["quality", default: []].append(judge("higher quality (high-quality share, DDPM)", kind, diffusion: diffusionHQ,
                                                        others: others.map { perSeed(kind, $0) { $0.report.highQualityShare } }, higher: true, show: { pct($0) }))
        verdicts["diversity", default: []].append(judge("more diverse (modes covered, DDPM)", kind, diffusion: ddpmModes[kind]!,
                                                          others: others.map { perSeed(kind, $0) { Double($0.report.covered) } }, higher: true, show: { f($0, "%.1f") }))
    }
    // Consistency and stability are about spread and success, one number per family: decided by the numbers' order and size.
    for kind in kinds {
        // Consistent outputs from run to run: judged by the worst seed, since a family that always
        // fails the same way has a small spread but is not what "consistent" promises.
        let worst = families.map { fam in perSeed(kind, fam) { Double($0.report.covered) }.min()! }
        let dIndex = families.firstIndex(of: .diffusion)!
        let bestOther = worst.indices.filter { $0 != dIndex }.max { worst[$0] < worst[$1] }!
        let v: Verdict = worst[dIndex] >= worst[bestOther] + 1 ? .supported : (worst[dIndex] <= worst[bestOther] - 1 ? .notSupported : .tie)
        verdicts["consistency", default: []].append(v)
        verdictRows.append(["more consistent (modes covered by the worst of \(seedCount) seeds)", kind == .ring ? "ring (8)" : "grid (25)", v.rawValue,
                            "diffusion's worst seed \(f(worst[dIndex], "%.0f")) vs best other (\(families[bestOther].title)) \(f(worst[bestOther], "%.0f")) modes"])
        let shares = families.map { fam in successShare(rates.flatMap { results[kind]![fam]![$0]! }) }
        let bestShare = shares.indices.filter { $0 != dIndex }.max { shares[$0] < shares[$1] }!
        let n = Double(seedCount * rates.count)
        // Two shares of n runs differ by more than chance when the gap exceeds ~2 binomial standard errors.
        let pooledP = (shares[dIndex] + shares[bestShare]) / 2
        let se = (2 * pooledP * (1 - pooledP) / n).squareRoot()
        let gap = shares[dIndex] - shares[bestShare]
        let sv: Verdict = gap > 2 * se && gap > 0 ? .supported : (gap < -2 * se && gap < 0 ? .notSupported : .tie)
        verdicts["stability", default: []].append(sv)
        verdictRows.append(["more stable, easier to train (share of all (seed, rate) runs that succeed)", kind == .ring ? "ring (8)" : "grid (25)", sv.rawValue,
                            "diffusion \(pct(shares[dIndex])) vs best other (\(families[bestShare].title)) \(pct(shares[bestShare])) of \(Int(n)) runs"])
    }
    // On glyphs: FD (quality) and recall (diversity), chapter 05's U-Net and the U-Net at the GAN's budget.
    let otherGlyph = [Family.gan, .ganSN, .vae]
    func glyphJudge(_ claim: String, _ label: String, _ value: (GlyphScore) -> Double, higher: Bool) -> Verdict {
        let o = otherGlyph.map { glyphScores[$0.title]!.map(value) }
        let d = glyphScores[label]!.map(value)
        let (v, rival) = Verdict.decide(diffusion: d, others: o, higherIsBetter: higher)
        let ds = meanAndSpread(d), rs = meanAndSpread(o[rival])
        verdictRows.append([claim, "glyphs, \(label)", v.rawValue,
                            "diffusion \(f(ds.mean, "%.2f"))\(d.count > 1 ? " ± " + f(ds.spread, "%.2f") : "") vs best other (\(otherGlyph[rival].title)) \(f(rs.mean, "%.2f")) ± \(f(rs.spread, "%.2f"))"])
        return v
    }
    let glyphQuality = glyphJudge("higher quality (Fréchet distance, lower is better)", diffusionLabel, \.frechet, higher: false)
    let glyphDiversity = glyphJudge("more diverse (recall)", diffusionLabel, \.precisionRecall.recall, higher: true)
    let matchedQuality = glyphJudge("higher quality at equal training compute (FD)", matchedLabel, \.frechet, higher: false)
    nb.table(headers: ["claim", "data", "verdict", "deciding numbers"], rows: verdictRows)
    func overall(_ vs: [Verdict]) -> String {
        if vs.allSatisfy({ $0 == .supported }) { return "supported" }
        if vs.allSatisfy({ $0 == .notSupported }) { return "not supported" }
        if vs.allSatisfy({ $0 == .tie }) { return "not shown (no clear difference)" }
        return "depends on the data (\(zip(kinds, vs).map { "\($0.0.rawValue): \($0.1.rawValue)" }.joined(separator: "; ")))"
    }
    nb.say("""
    A claim is *supported* when diffusion beats the strongest other family by more than twice \
    the standard error of the difference over seeds, *not supported* when another family wins by \
    that much, and *no clear difference* in between; quality and diversity use diffusion's DDPM \
    samples (its best sampler), every family at its best learning rate. In the plane:

    * **Higher quality:** \(overall(verdicts["quality"]!)).
    * **More diverse:** \(overall(verdicts["diversity"]!)).
    * **More consistent:** \(overall(verdicts["consistency"]!)).
    * **More stable and easier to train:** \(overall(verdicts["stability"]!)).
    * **On images:** quality (FD) \(glyphQuality.rawValue) for chapter 05's U-Net, which \
    trained on \(f(unetFLOPs / glyph.budgetFLOPs, "%.0f"))× the GAN's compute; \(matchedQuality.rawValue) \
    for the U-Net trained on the GAN's compute; diversity (recall) \(glyphDiversity.rawValue).
    * **Left out of the claim:** a diffusion sample costs 10 to 50 (DDIM) or 1,000 (DDPM) network \
    evaluations in the plane and \(ddimSteps) on images, a GAN or VAE sample one (sections 7 and 8).
    """)
    let pooledShare = { (fam: Family) in successShare(kinds.flatMap { kind in rates.flatMap { results[kind]![fam]![$0]! } }) }
    let otherGridModes = [Family.gan, .ganSN, .vae].map { summary[.grid]![$0]!.modes.mean }.max()!
    let coverWord = summary[.grid]![.diffusion]!.modes.mean > otherGridModes ? "did cover the most modes" : "did not cover the most modes"
    let ganFD = meanAndSpread(glyphScores[Family.gan.title]!.map(\.frechet)).mean, vaeFD = meanAndSpread(glyphScores[Family.vae.title]!.map(\.frechet)).mean
    let matchedFD = glyphScores[matchedLabel]![0].frechet, bigFD = meanAndSpread(glyphScores[diffusionLabel]!.map(\.frechet)).mean
    let imageNote = matchedFD > min(ganFD, vaeFD) && bigFD < min(ganFD, vaeFD)
        ? "only with \(f(unetFLOPs / glyph.budgetFLOPs, "%.0f"))× the compute did it win."
        : (bigFD < min(ganFD, vaeFD) ? "and with \(f(unetFLOPs / glyph.budgetFLOPs, "%.0f"))× the compute it won by more." : "and even with \(f(unetFLOPs / glyph.budgetFLOPs, "%.0f"))× the compute it did not win.")
    // The lowest the discriminator's smoothed loss got on the ring (seeds at the best rate): how
    // well it ever told real from fake, which is the signal the generator learns from.
    let lowestD = { (fam: Family) -> Double in
        results[.ring]![fam]![bestRate[.ring]![fam]!]!.map { r in Double(runningMean(r.losses, window: max(1, r.losses.count / 60)).min()!) }.reduce(0, +)
            / Double(seedCount)
    }
    let snNote = pooledShare(.ganSN) < pooledShare(.gan)
        ? "and the stabilised GAN (\(pct(pooledShare(.ganSN)))) shows that a \"stabilising\" trick can also starve the generator of signal: on the ring its discriminator's smoothed loss never fell below \(f(lowestD(.ganSN), "%.2f")) on average (2 ln 2 = 1.39 is chance), the plain GAN's reached \(f(lowestD(.gan), "%.2f")). A discriminator held to slope 1 cannot say much about modes 0.05 wide."
        : "and the stabilised GAN succeeded in \(pct(pooledShare(.ganSN)))."
    nb.say("""
    **Where the study guide is loose.** "Higher quality, more diverse" is a statement about \
    models trained to convergence at large scale, where diffusion's wins are well documented; it \
    is not a property of the family at any budget. Here, at equal training FLOPs, diffusion \
    \(coverWord) in the plane (\(f(summary[.grid]![.diffusion]!.modes.mean, "%.1f")) of 25 against \
    \(f([Family.gan, .ganSN, .vae].map { summary[.grid]![$0]!.modes.mean }.max()!, "%.1f")) for the best other family), and on \
    images the U-Net trained on the GAN's budget scored FD \(f(glyphScores[matchedLabel]![0].frechet, "%.2f")) against \
    the GAN's \(f(ganFD, "%.2f")) and the VAE's \(f(vaeFD, "%.2f")); \(imageNote) "More stable and easier to train" is the weakest of the claims on this \
    evidence: over all seeds and learning rates \(pct(pooledShare(.diffusion))) of diffusion runs \
    succeeded against \(pct(pooledShare(.gan))) of the plain GAN's, \(snNote) \
    \(kinds.allSatisfy { mostRateSensitive($0).0 == .diffusion } ? "And diffusion was the family most sensitive to the learning rate on both data sets (section 6): easy to train at the right rate, not at any rate." : "") Diffusion's real advantage in training is that its loss is a plain regression that \
    falls steadily (section 5); what the guide does not say is that each of its samples costs \
    tens to a thousand network evaluations where a GAN or a VAE needs one.
    """)
    for (name, vs) in verdicts.sorted(by: { $0.key < $1.key }) {
        let score = vs.map { $0 == .supported ? 1.0 : ($0 == .notSupported ? -1.0 : 0) }.reduce(0, +) / Double(vs.count)
        nb.number("verdict on '\(name)' over the 2-D sets (+1 supported, −1 not supported, 0 no clear difference; mean)", score,
                  key: "verdict_\(name)_2d", unit: "", format: "%+.2f")
    }
}
