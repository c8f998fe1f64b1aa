import Ch06Latent
import Datasets
import Engine
import Models

/// Generated images for a list of prompts, with what the judge saw in them.
public struct PromptRun {
    /// The prompts, one per image (each prompt repeated `perPrompt` times in a row).
    public let specs: [PromptSpec]
    /// Decoded images [N, 3, 32, 32] in [-1, 1].
    public let images: Tensor
    /// What the judge read off each image.
    public let judged: [JudgedShape]
    /// Shares of images that match their prompt.
    public let adherence: Adherence
    /// Mean distance between two samples of the same prompt (root mean square per pixel value).
    public let diversity: Double
    /// Separate shapes in each image (`shapeCounts`).
    public let shapeCounts: [Int]

    /// Share of images with exactly one shape.
    public var oneShape: Double { share { shapeCounts[$0] == 1 } }
    /// Share of images with no lit pixel.
    public var empty: Double { emptyImageShare(judged) }
    /// Share of images that are what a single-shape prompt asks for: exactly one shape, of the
    /// asked kind and colour (whichever of them the prompt names).
    public var asPrompted: Double {
        share { i in shapeCounts[i] == 1 && specs[i].kind.map { $0 == judged[i].kind } != false
            && specs[i].color.map { $0 == judged[i].color } != false }
    }

    /// Share of the images whose index passes `ok`.
    private func share(_ ok: (Int) -> Bool) -> Double {
        specs.isEmpty ? 0 : Double(specs.indices.filter(ok).count) / Double(specs.count)
    }
}

/// Samples `perPrompt` images of every prompt in `prompts` at guidance `scale`, decodes them with
/// `decode`, and scores them with `judge`. Sampling runs in batches of at most `batch` images; the
/// noise of the whole run comes from `rng` in prompt order, so a seed fixes every image.
public func runPrompts(_ prompts: [PromptSpec], perPrompt: Int, scale: Float, sampler: GuidedSampler, steps: Int,
                       decode: (Tensor) -> Tensor, judge: SceneJudge, rng: inout RNG, batch: Int = 96) -> PromptRun {
    let specs = prompts.flatMap { [PromptSpec](repeating: $0, count: perPrompt) }
    var parts: [Tensor] = []
    var start = 0
    while start < specs.count {
        let end = min(specs.count, start + batch)
        let z = sampler.sample(prompts: specs[start..<end].map(\.text), scale: scale, steps: steps, rng: &rng)
        parts.append(decode(z))
        start = end
    }
    let images = Tensor.concat(parts, axis: 0)
    let judged = judge.judge(images)
    return PromptRun(specs: specs, images: images, judged: judged, adherence: Adherence(judged: judged, specs: specs),
                     diversity: meanPairwiseDistance(images, groupSize: perPrompt), shapeCounts: shapeCounts(images))
}

/// Share of judged images with no lit pixel at all (the judge still names a kind and colour for
/// them, so adherence is read next to this share).
public func emptyImageShare(_ judged: [JudgedShape]) -> Double {
    judged.isEmpty ? 0 : Double(judged.filter { $0.position == nil }.count) / Double(judged.count)
}

/// Mean root-mean-square distance between every two images in the same consecutive group of
/// `groupSize` images of [N, …]: 0 when a prompt always gives the same image.
public func meanPairwiseDistance(_ x: Tensor, groupSize: Int) -> Double {
    precondition(groupSize >= 2 && x.shape[0] % groupSize == 0, "meanPairwiseDistance: \(x.shape[0]) images do not split into groups of \(groupSize) ≥ 2")
    let d = x.count / x.shape[0], v = x.data
    var total = 0.0, pairs = 0
    for g in stride(from: 0, to: x.shape[0], by: groupSize) {
        for i in g..<(g + groupSize) {
            for j in (i + 1)..<(g + groupSize) {
                var s = 0.0
                for k in 0..<d { let e = Double(v[i * d + k] - v[j * d + k]); s += e * e }
                total += (s / Double(d)).squareRoot()
                pairs += 1
            }
        }
    }
    return total / Double(pairs)
}

/// The twelve single-shape prompts "a <colour> <kind>", held-out pairs included.
public func kindColorPrompts() -> [PromptSpec] {
    ShapeKind.allCases.flatMap { k in ShapeColor.allCases.map { PromptSpec(kind: k, color: $0) } }
}
