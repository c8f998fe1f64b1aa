import Datasets
import Engine
import Models

/// Recall@k of cross-modal retrieval over a set of scenes and their canonical captions, with the
/// rate a random ranking would reach.
///
/// Several scenes can share a canonical caption (two single large red circles at the top left),
/// so a retrieved caption counts as correct when its *text* equals the query's caption, and a
/// retrieved image when its caption equals the query caption. The chance rate is computed the same
/// way: with m of the N items correct, a random top k misses all of them with probability
/// C(N−m, k)/C(N, k).
public struct RetrievalScores: Sendable {
    /// Image → text recall at 1 and at 5.
    public var imageToText: (at1: Double, at5: Double)
    /// Text → image recall at 1 and at 5.
    public var textToImage: (at1: Double, at5: Double)
    /// Expected recall of a random ranking at 1 and 5.
    public var chance: (at1: Double, at5: Double)
    /// The top 5 caption indices for each image.
    public var topCaptions: [[Int]]
}

/// Ranks all captions for every image and all images for every caption by cosine similarity.
public func retrievalScores(imageEmbeddings: Tensor, captions: [String], textEmbeddings: Tensor) -> RetrievalScores {
    let sim = imageEmbeddings.matmul(textEmbeddings.transpose())
    let n = captions.count
    let s = sim.values
    func topK(_ scores: [Float], _ k: Int) -> [Int] {
        // Ties broken by index so the ranking is reproducible.
        Array(scores.indices.sorted { scores[$0] != scores[$1] ? scores[$0] > scores[$1] : $0 < $1 }.prefix(k))
    }
    var i2t1 = 0, i2t5 = 0, t2i1 = 0, t2i5 = 0
    var c1 = 0.0, c5 = 0.0
    var tops: [[Int]] = []
    for i in 0..<n {
        let row = Array(s[(i * n)..<((i + 1) * n)])
        let col = (0..<n).map { s[$0 * n + i] }
        let rowTop = topK(row, 5), colTop = topK(col, 5)
        tops.append(rowTop)
        if captions[rowTop[0]] == captions[i] { i2t1 += 1 }
        if rowTop.contains(where: { captions[$0] == captions[i] }) { i2t5 += 1 }
        if captions[colTop[0]] == captions[i] { t2i1 += 1 }
        if colTop.contains(where: { captions[$0] == captions[i] }) { t2i5 += 1 }
        let m = captions.filter { $0 == captions[i] }.count
        c1 += Double(m) / Double(n)
        var miss = 1.0
        for j in 0..<5 { miss *= Double(n - m - j) / Double(n - j) }
        c5 += 1 - max(0, miss)
    }
    let d = Double(n)
    return RetrievalScores(imageToText: (Double(i2t1) / d, Double(i2t5) / d), textToImage: (Double(t2i1) / d, Double(t2i5) / d),
                           chance: (c1 / d, c5 / d), topCaptions: tops)
}

/// The prompts of zero-shot classification: each class is described by several templates and
/// the normalised text embeddings are averaged (prompt ensembling, as CLIP does with "a photo of
/// a {}.", "a blurry photo of a {}.", ...).
public enum ZeroShotPrompts {
    /// Templates for the colour classes; "{k}" variants are averaged over the three kinds.
    public static let color = ["a {c} shape", "a small {c} shape", "a large {c} shape", "a {c} {k}"]
    /// Templates for the kind classes; "{c}" variants are averaged over the four colours.
    public static let kind = ["a {k}", "a small {k}", "a large {k}", "a {c} {k}"]

    /// The texts one template gives for one class (several when it names the other attribute).
    static func texts(_ template: String, color: ShapeColor?, kind: ShapeKind?) -> [String] {
        let colors = color.map { [$0] } ?? ShapeColor.allCases
        let kinds = kind.map { [$0] } ?? ShapeKind.allCases
        var out: [String] = []
        for c in colors {
            for k in kinds {
                let t = template.replacingOccurrences(of: "{c}", with: c.name).replacingOccurrences(of: "{k}", with: k.name)
                if !out.contains(t) { out.append(t) }
            }
        }
        return out
    }
}

/// One class embedding per class: the normalised mean of the normalised embeddings of `texts(class)`
/// (for a template such as "a {c} {k}", the same colour with each of the kinds).
func classEmbeddings(_ model: AlignmentModel, classes: Int, texts: (Int) -> [String]) -> Tensor {
    let rows = (0..<classes).map { c -> Tensor in
        model.textEmbeddings(texts(c)).mean(axes: [0], keepDims: true)
    }
    return Tensor.noGrad { l2Normalized(Tensor.concat(rows, axis: 0)) }
}

/// Zero-shot predictions: for each image, the class whose embedding is most similar.
public func zeroShotPredictions(images: Tensor, classEmbeddings: Tensor) -> [Int] {
    let sim = images.matmul(classEmbeddings.transpose())
    let c = classEmbeddings.shape[0]
    return (0..<images.shape[0]).map { i in
        var best = 0
        for j in 1..<c where sim.data[i * c + j] > sim.data[i * c + best] { best = j }
        return best
    }
}

/// Zero-shot accuracy of colour and kind for single-shape scenes, per template and ensembled.
public struct ZeroShotResult {
    /// Accuracy of each colour template alone, then of the ensemble.
    public var colorAccuracy: [Double]
    /// Accuracy of each kind template alone, then of the ensemble.
    public var kindAccuracy: [Double]
    /// Ensemble confusion counts [true][predicted].
    public var colorConfusion: [[Int]]
    public var kindConfusion: [[Int]]
}

/// Classifies the single shape of every scene in `set` by colour and by kind.
public func zeroShot(_ model: AlignmentModel, set: SceneSet) -> ZeroShotResult {
    let img = model.imageEmbeddings(set.images)
    let colors = set.scenes.map { $0.objects[0].color.rawValue }, kinds = set.scenes.map { $0.objects[0].kind.rawValue }
    func accuracy(_ p: [Int], _ t: [Int]) -> Double { Double(zip(p, t).filter { $0 == $1 }.count) / Double(max(1, t.count)) }
    func confusion(_ p: [Int], _ t: [Int], _ c: Int) -> [[Int]] {
        var m = [[Int]](repeating: [Int](repeating: 0, count: c), count: c)
        for (a, b) in zip(t, p) { m[a][b] += 1 }
        return m
    }
    let nc = ShapeColor.allCases.count, nk = ShapeKind.allCases.count
    // Each template's class embeddings; the ensemble averages them over templates (each
    // template weighs the same, however many texts it expands to) and renormalises.
    let colorTemplates = ZeroShotPrompts.color.map { t in
        classEmbeddings(model, classes: nc) { ZeroShotPrompts.texts(t, color: ShapeColor(rawValue: $0)!, kind: nil) }
    }
    let kindTemplates = ZeroShotPrompts.kind.map { t in
        classEmbeddings(model, classes: nk) { ZeroShotPrompts.texts(t, color: nil, kind: ShapeKind(rawValue: $0)!) }
    }
    var colorAcc = colorTemplates.map { accuracy(zeroShotPredictions(images: img, classEmbeddings: $0), colors) }
    var kindAcc = kindTemplates.map { accuracy(zeroShotPredictions(images: img, classEmbeddings: $0), kinds) }
    let ensemble = { (parts: [Tensor]) in Tensor.noGrad { l2Normalized(parts.dropFirst().reduce(parts[0]) { $0 + $1 }) } }
    let cp = zeroShotPredictions(images: img, classEmbeddings: ensemble(colorTemplates))
    let kp = zeroShotPredictions(images: img, classEmbeddings: ensemble(kindTemplates))
    colorAcc.append(accuracy(cp, colors))
    kindAcc.append(accuracy(kp, kinds))
    return ZeroShotResult(colorAccuracy: colorAcc, kindAccuracy: kindAcc, colorConfusion: confusion(cp, colors, nc),
                          kindConfusion: confusion(kp, kinds, nk))
}
