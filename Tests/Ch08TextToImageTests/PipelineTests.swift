import Datasets
import Diffusion
import Engine
import Foundation
import Models
import Testing
@testable import Ch08TextToImage

/// A tiny text encoder and text-conditioned U-Net with every weight perturbed, for 8×8 latents.
func tinyPipeline(mode: TextConditioningMode = .crossAttention, seed: UInt64 = 7) -> GuidedSampler {
    var rng = RNG(seed: seed)
    let text = TextEncoder(TextEncoderConfig(vocab: SceneVocabulary.standard.count, context: 24, width: 16, heads: 2, layers: 1, embedDim: 16), rng: &rng)
    let unet = TextConditionedUNet(TextUNetConfig(unet: UNetConfig(inChannels: 4, outChannels: 4, baseChannels: 8, channelMultipliers: [1, 2],
                                                                   groups: 4, timeDim: 16),
                                                  contextDim: 16, pooledDim: 16, heads: 2, mode: mode), rng: &rng)
    perturb(unet, seed: seed &+ 1)
    return GuidedSampler(unet: unet, encoder: CaptionEncoder(text), channelRanges: [ClosedRange<Float>](repeating: -3...3, count: 4), latentShape: [4, 8, 8])
}

@Suite struct GuidanceTests {
    /// w = 0 is the unconditional estimate exactly (u + 0·(c − u) = u); w = 1 is the conditional
    /// one up to the rounding of u + (c − u), one ulp of the larger magnitude; the paper's w′ = w − 1.
    @Test func neutralScales() {
        var rng = RNG(seed: 1)
        let u = Tensor.randn([3, 4], rng: &rng), c = Tensor.randn([3, 4], rng: &rng)
        #expect(guidedNoise(unconditional: u, conditional: c, scale: 0).values == u.values)
        let one = guidedNoise(unconditional: u, conditional: c, scale: 1)
        for i in 0..<c.count { #expect(abs(one.data[i] - c.data[i]) <= 2 * Float.ulpOfOne * max(abs(u.data[i]), abs(c.data[i]), 1)) }
        let three = guidedNoise(unconditional: u, conditional: c, scale: 3)
        #expect(abs(three.data[5] - (u.data[5] + 3 * (c.data[5] - u.data[5]))) < 1e-6)
        #expect(paperGuidanceWeight(1) == 0 && paperGuidanceWeight(7.5) == 6.5)
    }

    /// The sampler's guided estimate with w = 0 equals the network run on the negative caption
    /// alone, and with w = 1 the network on the prompt alone: the doubled batch does not mix rows.
    @Test func samplerCombinesTheRightHalves() {
        let s = tinyPipeline()
        var rng = RNG(seed: 2)
        let x = Tensor.randn([2, 4, 8, 8], rng: &rng)
        let prompt = s.encoder.encodeKnown(["a red circle", "a blue square"]), empty = s.encoder.encodeKnown(["", ""])
        let cond = Tensor.noGrad { s.unet(x, [500, 500], prompt) }, uncond = Tensor.noGrad { s.unet(x, [500, 500], empty) }
        let g0 = s.noise(x, [500, 500], text: prompt, negative: empty, scale: 0)
        let g1 = s.noise(x, [500, 500], text: prompt, negative: empty, scale: 1)
        let gap = zip(cond.values, uncond.values).map { abs($0 - $1) }.max()!
        #expect(gap > 1e-3, "the caption must change the prediction for this test to mean anything")
        #expect(zip(g0.values, uncond.values).allSatisfy { abs($0 - $1) < 1e-5 })
        #expect(zip(g1.values, cond.values).allSatisfy { abs($0 - $1) < 1e-5 })
    }
}

@Suite struct TwoScaleGuidanceTests {
    /// ε̂(∅) + a·(ε̂(s) − ε̂(∅)) + w·(ε̂(c) − ε̂(s)): with a = w the shared terms cancel (plain
    /// guidance away from ∅), with a = 1 it is plain guidance away from s; each up to the rounding
    /// of a few float additions of values of size about 3 (a few ulps of 3·w, well under 1e-5).
    @Test func reducesToPlainGuidance() {
        var rng = RNG(seed: 11)
        let e = Tensor.randn([2, 5], rng: &rng), sh = Tensor.randn([2, 5], rng: &rng), c = Tensor.randn([2, 5], rng: &rng)
        func close(_ x: Tensor, _ y: Tensor) -> Bool { zip(x.values, y.values).allSatisfy { abs($0 - $1) < 1e-5 } }
        #expect(close(twoScaleGuidedNoise(empty: e, shared: sh, conditional: c, sharedScale: 4, scale: 4), guidedNoise(unconditional: e, conditional: c, scale: 4)))
        #expect(close(twoScaleGuidedNoise(empty: e, shared: sh, conditional: c, sharedScale: 1, scale: 3), guidedNoise(unconditional: sh, conditional: c, scale: 3)))
        let mixed = twoScaleGuidedNoise(empty: e, shared: sh, conditional: c, sharedScale: 2, scale: 5)
        let k = 7, (ev, sv, cv) = (e.values[k], sh.values[k], c.values[k])
        #expect(abs(mixed.values[k] - (ev + 2 * (sv - ev) + 5 * (cv - sv))) < 1e-5)
    }

    /// The sampler's tripled batch keeps its thirds apart: a = 0, w = 0 gives the network on the
    /// empty caption alone, a = 1, w = 0 on the shared caption alone, a = 1, w = 1 on the prompt
    /// alone, and a = w matches the doubled batch of plain guidance.
    @Test func samplerCombinesTheRightThirds() {
        let s = tinyPipeline()
        var rng = RNG(seed: 12)
        let x = Tensor.randn([2, 4, 8, 8], rng: &rng)
        let t = [300, 700]
        let prompt = s.encoder.encodeKnown(["a red circle", "a blue square"])
        let shared = s.encoder.encodeKnown(["a shape", "a shape"]), empty = s.encoder.encodeKnown(["", ""])
        func alone(_ text: TextCondition) -> [Float] { Tensor.noGrad { s.unet(x, t, text) }.values }
        func three(_ a: Float, _ w: Float) -> [Float] { s.noise(x, t, text: prompt, sharedText: shared, empty: empty, sharedScale: a, scale: w).values }
        func close(_ p: [Float], _ q: [Float]) -> Bool { zip(p, q).allSatisfy { abs($0 - $1) < 1e-5 } }
        let gap = zip(alone(shared), alone(empty)).map { abs($0 - $1) }.max()!
        #expect(gap > 1e-3, "the captions must change the prediction for this test to mean anything")
        #expect(close(three(0, 0), alone(empty)))
        #expect(close(three(1, 0), alone(shared)))
        #expect(close(three(1, 1), alone(prompt)))
        #expect(close(three(3, 3), s.noise(x, t, text: prompt, negative: empty, scale: 3).values))
    }

    /// A sampler with a shared caption at a = 1 draws what the plain sampler draws away from that
    /// caption as a negative prompt; an explicit negative prompt overrides the shared caption; and
    /// the shared caption changes the samples (so it is used at all).
    @Test func sharedCaptionSetsTheDefaultGuidance() {
        let plain = tinyPipeline()
        func with(_ shared: SharedCaption?) -> GuidedSampler {
            GuidedSampler(unet: plain.unet, encoder: plain.encoder, channelRanges: plain.channelRanges, latentShape: plain.latentShape, shared: shared)
        }
        func draw(_ s: GuidedSampler, negative: String?) -> [Float] {
            var rng = RNG(seed: 9)
            return s.sample(prompts: ["a red circle", "a blue square"], negative: negative, scale: 3, steps: 4, rng: &rng).values
        }
        let awayFromShape = draw(with(SharedCaption("a shape", scale: 1)), negative: nil)
        #expect(awayFromShape == draw(plain, negative: "a shape"))
        let byDefault = draw(plain, negative: nil)
        #expect(byDefault == draw(plain, negative: ""))
        #expect(zip(awayFromShape, byDefault).map { abs($0 - $1) }.max()! > 1e-4)
        #expect(draw(with(SharedCaption("a shape", scale: 2)), negative: "") == byDefault)
        #expect(zip(draw(with(SharedCaption("a shape", scale: 2)), negative: nil), awayFromShape).map { abs($0 - $1) }.max()! > 1e-4)
    }
}

@Suite struct ShapeCountTests {
    /// Hand-drawn images on the −1 background: two separate squares are two shapes; squares that
    /// touch only at a corner are two (side neighbours only); a bar joining them makes one; a
    /// 3-pixel speck is ignored; an empty image has none.
    @Test func countsConnectedShapes() {
        var v = [Float](repeating: -1, count: 5 * 3 * 16 * 16)
        func light(_ n: Int, _ y: Int, _ x: Int, channel: Int = 0) { v[((n * 3 + channel) * 16 + y) * 16 + x] = 0.8 }
        func square(_ n: Int, _ y0: Int, _ x0: Int, channel: Int = 0) { for y in y0..<(y0 + 3) { for x in x0..<(x0 + 3) { light(n, y, x, channel: channel) } } }
        square(0, 1, 1); square(0, 10, 10, channel: 2)               // two apart, different colours
        square(1, 2, 2); square(1, 5, 5)                               // corner to corner
        square(2, 2, 2); square(2, 2, 8); for x in 5..<8 { light(2, 3, x) }  // joined by a bar
        square(3, 6, 6); for x in 12..<15 { light(3, 0, x) }          // one shape and a 3-pixel speck
        let images = Tensor(shape: [5, 3, 16, 16], values: v)
        #expect(shapeCounts(images) == [2, 2, 1, 1, 0])
        #expect(oneShapeShare(images) == 0.4)
    }

    /// "As prompted" needs one shape and every attribute the prompt names: of a red circle
    /// (one shape), two red circles, a blue circle and one red square, only the first passes
    /// "a red circle"; "a circle" (colour free) also passes the blue one.
    @Test func asPromptedNeedsOneShapeOfTheAskedKindAndColour() {
        let judged = [JudgedShape(kind: .circle, color: .red), JudgedShape(kind: .circle, color: .red),
                      JudgedShape(kind: .circle, color: .blue), JudgedShape(kind: .square, color: .red)]
        func run(_ spec: PromptSpec) -> PromptRun {
            let specs = [PromptSpec](repeating: spec, count: 4)
            return PromptRun(specs: specs, images: Tensor.zeros([4, 3, 2, 2]), judged: judged, adherence: Adherence(judged: judged, specs: specs),
                             diversity: 0, shapeCounts: [1, 2, 1, 1])
        }
        #expect(run(PromptSpec(kind: .circle, color: .red)).asPrompted == 0.25)
        #expect(run(PromptSpec(kind: .circle, color: nil)).asPrompted == 0.5)
        #expect(run(PromptSpec(kind: .circle, color: .red)).oneShape == 0.75)
    }

    /// Empty images are those with no lit pixel, which the judge marks by giving no position.
    @Test func emptyShareCountsUnlitImages() {
        let lit = JudgedShape(kind: .circle, color: .red, size: .small, position: PositionBin(column: 0, row: 0))
        let unlit = JudgedShape(kind: .square, color: .blue, size: nil, position: nil)
        #expect(emptyImageShare([lit, unlit, unlit, lit, lit]) == 0.4)
        #expect(emptyImageShare([]) == 0)
        let black = Tensor(shape: [1, 3, 32, 32], values: [Float](repeating: -1, count: 3 * 32 * 32))
        #expect(SceneJudge.measure(black, 0, kind: .circle).position == nil)
    }
}

@Suite struct TrainingTests {
    /// The empty caption appears at the configured rate: over 20,000 draws the binomial standard
    /// deviation at 0.1 is 0.0021, so ±0.01 is almost five of them. Rates 0 and 1 are exact.
    @Test func dropoutRate() {
        let captions = [[String]](repeating: ["a red circle", "a circle"], count: 100)
        var rng = RNG(seed: 3)
        var empty = 0
        for _ in 0..<200 { empty += trainingCaptions(Array(0..<100), captions: captions, dropout: 0.1, rng: &rng).filter(\.isEmpty).count }
        #expect(abs(Double(empty) / 20_000 - 0.1) < 0.01)
        #expect(trainingCaptions(Array(0..<100), captions: captions, dropout: 0, rng: &rng).allSatisfy { !$0.isEmpty })
        #expect(trainingCaptions(Array(0..<100), captions: captions, dropout: 1, rng: &rng).allSatisfy { $0.isEmpty })
    }

    /// A hundred steps on two latents with their captions lower the denoising loss on a fixed
    /// evaluation batch (the same 64 timesteps and noises before and after), in both conditioning
    /// modes, without a NaN. The untrained network is the same recipe's initialisation.
    @Test func trainingLowersTheLoss() throws {
        var rng = RNG(seed: 4)
        let latents = Tensor.randn([2, 4, 8, 8], rng: &rng)
        let enc = tinyPipeline().encoder
        let evalBatch = Tensor.concat([Tensor](repeating: latents, count: 32), axis: 0)
        let evalText = enc.encodeKnown([String](repeating: "", count: 64).enumerated().map { $0.offset % 2 == 0 ? "a red circle" : "a blue square" })
        func evalLoss(_ unet: TextConditionedUNet) -> Float {
            var r = RNG(seed: 42)
            return Tensor.noGrad { denoisingLoss(evalBatch, schedule: NoiseSchedule.cosine(steps: 1000), rng: &r) { unet($0, $1, evalText) } }.item()
        }
        for mode in [TextConditioningMode.crossAttention, .pooled] {
            let config = TextUNetConfig(unet: UNetConfig(inChannels: 4, outChannels: 4, baseChannels: 8, channelMultipliers: [1, 2], groups: 4, timeDim: 16),
                                        contextDim: 16, pooledDim: 16, heads: 2, mode: mode)
            let recipe = TextToImageRecipe(config: config, steps: 100, batch: 2, learningRate: 3e-3, dropout: 0.1, seed: 5)
            var initRNG = RNG(seed: recipe.seed)
            let before = evalLoss(TextConditionedUNet(config, rng: &initRNG))
            let run = try trainTextToImage(recipe, latents: latents, captions: [["a red circle"], ["a blue square"]], encoder: enc,
                                       dataKey: "test", cache: TrainingCache(folder: nil, fresh: false))
            let after = evalLoss(run.unet)
            #expect(run.losses.allSatisfy { $0.isFinite })
            #expect(after < 0.8 * before, "\(mode): evaluation loss \(before) → \(after)")
        }
    }
}

@Suite struct SamplingTests {
    /// Same seed, same bits, whatever the thread count (η = 1, so the fresh noise of every jump
    /// is part of what must repeat).
    @Test func samplingIsBitIdenticalAcrossThreadCounts() {
        let t = tinyPipeline()
        let s = GuidedSampler(unet: t.unet, encoder: t.encoder, channelRanges: t.channelRanges, latentShape: t.latentShape, eta: 1)
        func draw() -> [Float] {
            var rng = RNG(seed: 9)
            return s.sample(prompts: ["a red circle", "a small blue triangle at the top left"], scale: 3, steps: 5, rng: &rng).values
        }
        let one = Parallel.withThreads(1) { draw() }, two = Parallel.withThreads(2) { draw() }, four = Parallel.withThreads(4) { draw() }
        #expect(one == two && one == four)
    }

    /// A checkpoint written to safetensors and read into a freshly built network gives the
    /// same samples, bit for bit.
    @Test func checkpointRoundTrip() throws {
        let s = tinyPipeline()
        let path = NSTemporaryDirectory() + "ch08-roundtrip-\(getpid()).safetensors"
        defer { try? FileManager.default.removeItem(atPath: path) }
        try s.unet.save(to: path)
        let other = tinyPipeline(seed: 99)
        try other.unet.load(from: path)
        let copy = GuidedSampler(unet: other.unet, encoder: s.encoder, channelRanges: s.channelRanges, latentShape: s.latentShape)
        var r1 = RNG(seed: 10), r2 = RNG(seed: 10)
        let a = s.sample(prompts: ["a green square"], scale: 2, steps: 4, rng: &r1)
        let b = copy.sample(prompts: ["a green square"], scale: 2, steps: 4, rng: &r2)
        #expect(a.values == b.values)
    }

    /// An unknown word is an error that names it, not a crash.
    @Test func unknownWordIsReported() {
        let s = tinyPipeline()
        #expect(throws: SceneTextError.self) { try s.encoder.encode(["a purple circle"]) }
        do { _ = try s.encoder.encode(["a purple circle"]) } catch { #expect("\(error)".contains("purple")) }
    }
}

@Suite struct ScoringTests {
    /// The measured size and grid cell of rendered single shapes equal the truth for every
    /// kind, both sizes and all nine cells (centres placed in the middle of each cell).
    @Test func measuresSizeAndPosition() {
        for kind in ShapeKind.allCases {
            for size in SizeClass.allCases {
                for cell in PositionBin.all {
                    let r = (size.radiusRange.lowerBound + size.radiusRange.upperBound) / 2
                    let o = SceneObject(kind: kind, color: .green, size: size, radius: r,
                                        x: Float(cell.column) * 32 / 3 + 16 / 3, y: Float(cell.row) * 32 / 3 + 16 / 3)
                    let x = Tensor(shape: [1, 3, 32, 32], values: Scene(objects: [o]).render())
                    let m = SceneJudge.measure(x, 0, kind: kind)
                    #expect(m.size == size && m.position == cell, "\(kind) \(size) at \(cell): measured \(String(describing: m))")
                }
            }
        }
        let black = Tensor(shape: [1, 3, 32, 32], values: [Float](repeating: -1, count: 3072))
        #expect(SceneJudge.measure(black, 0, kind: .circle).size == nil)
    }

    /// Colour centroids of a rendered two-shape scene: the stated relation holds, its inverse
    /// does not, and an absent colour makes every relation false.
    @Test func colourLayoutRelations() {
        let s = Scene(objects: [SceneObject(kind: .circle, color: .red, size: .large, radius: 6, x: 8, y: 16),
                                SceneObject(kind: .square, color: .blue, size: .small, radius: 4, x: 24, y: 14)])
        let x = Tensor(shape: [1, 3, 32, 32], values: s.render())
        let layout = ColorLayout(x, 0)
        #expect(layout.holds(.leftOf, .red, .blue) && !layout.holds(.rightOf, .red, .blue) && layout.holds(.rightOf, .blue, .red))
        #expect(!layout.holds(.leftOf, .red, .yellow) && !layout.has(.red, .green) && layout.has(.red, .blue))
        let p = RelationPrompt(KindColor(.red, .circle), .leftOf, KindColor(.blue, .square))
        #expect(p.text == "a red circle left of a blue square")
        let score = relationScores(x, prompts: [p])
        #expect(score.bothPresent == 1 && score.relationHolds == 1)
    }

    /// Adherence counts only the prompts that ask for an attribute.
    @Test func adherenceCounts() {
        let judged = [JudgedShape(kind: .circle, color: .red, size: .small, position: nil),
                      JudgedShape(kind: .square, color: .red, size: .large, position: PositionBin(column: 0, row: 0)),
                      JudgedShape(kind: .circle, color: .blue, size: nil, position: nil)]
        let specs = [PromptSpec(kind: .circle, color: .red), PromptSpec(kind: .circle, color: .red, size: .large),
                     PromptSpec(kind: .circle, color: .green)]
        let a = Adherence(judged: judged, specs: specs)
        #expect(a.kind == 2.0 / 3 && a.color == 2.0 / 3 && a.kindAndColor == 1.0 / 3 && a.size == 1 && a.position == nil)
        #expect(PromptSpec(kind: .triangle, color: .yellow).isHeldOut && !PromptSpec(kind: .triangle, color: .red).isHeldOut)
        #expect(PromptSpec(kind: .circle, color: .red, size: .small, position: PositionBin(column: 0, row: 0)).text == "a small red circle at the top left")
    }

    /// Two identical images are 0 apart; images differing by 2 in every value are 2 apart (RMS).
    @Test func pairwiseDistance() {
        let x = Tensor(shape: [4, 1, 1, 2], values: [0, 0, 0, 0, 1, 1, -1, -1])
        #expect(abs(meanPairwiseDistance(x, groupSize: 2) - 1) < 1e-12)   // (0 + 2) / 2
    }
}
