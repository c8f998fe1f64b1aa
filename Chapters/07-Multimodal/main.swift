// Chapter 07: multimodal models. One embedded set of scenes with captions and questions; an image
// and a text encoder aligned contrastively (CLIP-style), then retrieval, zero-shot classification,
// captioning and visual question answering built on the same parts.
// The steps live in Steps/ (module Ch07Multimodal, tested in Tests/Ch07MultimodalTests); this file
// narrates them in order and writes the figures and report to Figures/07-multimodal.
import Ch07Multimodal
import Datasets
import Engine
import Foundation
import Models
import Notebook
import Plot

extension ImageCards: NotebookFigure {}

/// A share as a percentage with one decimal, for tables.
/// A scene image as a figure cell.
func cell(_ set: SceneSet, _ i: Int) -> GridImage { GridImage(width: 32, height: 32, channels: 3, pixels: set.images.pixels01(i)) }
let good = Color(20, 120, 40), bad = Color(190, 30, 30), plain = Color.ink, grey = Color(100, 100, 100)

Notebook.run(number: 7, slug: "multimodal", title: "Multimodal models") { nb in
    let settings = nb.pick(quick: MultimodalSettings.quick, full: MultimodalSettings.full)
    let cache = TrainingCache(folder: nb.cacheDir, fresh: nb.fresh)
    nb.say("""
        The chapters so far each worked in one modality: text in and text out (chapters 01–04), or \
        images in and images out (05–06). A *multimodal* model takes in or puts out more than one \
        kind of data, which is what lets it search images with words, describe a picture, answer a \
        question about it, or (next chapter) draw what a sentence says. This chapter builds the \
        three understanding tasks the study guide names on one small world of coloured shapes: \
        CLIP-style contrastive alignment of images and text (with retrieval and zero-shot \
        classification), image captioning, and visual question answering. Chapter 08 reuses the \
        text encoder trained here, as Stable Diffusion reuses CLIP's.
        """)

    // MARK: 1. Data
    nb.section("1. Scenes, captions and questions")
    let data = MultimodalData(settings, seed: nb.seed)
    let held = SceneSet.heldOutCombinations.map(\.name).joined(separator: " and ")
    nb.say("""
        Each scene is one to three non-overlapping shapes on a black 32×32 image, drawn with chapter \
        06's shapes (circle, square or triangle; red, green, blue or yellow) plus a size word \
        (small: radius 3.5–4.5 px, large: 5.5–6.5 px, with a gap so the word is never a judgement \
        call) and a position. Because the generator knows every attribute, it can write true \
        captions from a small grammar ("a large red triangle above a small blue circle", "three \
        shapes from left to right : ...") and questions of four types with their answers. The \
        first caption of each scene is its *canonical* caption: every shape's size, colour and \
        kind, in a fixed order. The other captions leave things out ("a red shape") or say the same \
        relation the other way round. Words are the tokens: the grammar has \
        \(SceneVocabulary.standard.count - 3) words, so a byte-level BPE would learn them as whole \
        tokens anyway.

        To measure *compositional* generalisation, two kind–colour pairs never appear in training: \
        no \(SceneSet.heldOutCombinations.map(\.name).joined(separator: " and no ")). Both words occur in training (yellow circles, green triangles, blue circles), \
        only never together. Scenes with these pairs are a separate test set, reported apart and \
        never used to choose anything.
        """)
    nb.number("training scenes", data.train.count, key: "train_scenes", unit: "count")
    nb.number("held-out scenes (seen combinations)", data.test.count, key: "test_scenes", unit: "count")
    nb.number("held-out scenes with a held-out pair", data.heldOut.count, key: "heldout_combo_scenes", unit: "count")
    nb.number("vocabulary (words + 3 markers)", SceneVocabulary.standard.count, key: "vocab_size", unit: "count")
    var dataRNG = nb.rng(1)
    var cards: [ImageCard] = []
    for i in 0..<8 {
        let s = data.train.scenes[i]
        let caps = SceneCaptions.captions(s)
        var lines: [(text: String, color: Color)] = [(caps[0], plain), (caps[min(caps.count - 1, 2)], grey)]
        for _ in 0..<2 {
            let q = SceneQuestions.sample(s, rng: &dataRNG)
            lines.append(("\(q.type.name): \(q.text)  ->  \(q.answer)", Color(30, 70, 160)))
        }
        cards.append(ImageCard(image: cell(data.train, i), lines: lines))
    }
    try nb.figure(ImageCards(title: "Training scenes with two of their captions and two questions", cards: cards,
                             columns: 1, imageSide: 112, textSize: 16, width: 1600, height: 1180),
                  name: "data", caption: "Eight training scenes. Black: the canonical caption; grey: a shorter caption; blue: sampled questions with their answers.")
    let typeCounts = QuestionType.allCases.map { t in data.test.scenes.filter { s in SceneQuestions.all(s).contains { $0.type == t } }.count }
    nb.say("""
        Questions are only asked when their answer is unambiguous: "what colour is the triangle ?" \
        needs exactly one triangle, and a relation question needs exactly one shape on that side \
        of the reference, with every other shape more than \(Int(SceneQuestions.relationMargin)) \
        pixels away from the dividing line. Of the \(data.test.count) held-out scenes, \
        \(QuestionType.allCases.map { "\(typeCounts[$0.rawValue]) have \($0.name) questions" }.joined(separator: ", ")). \
        The tests check every caption by parsing it back into attributes and every answer by \
        reading the question's text and looking at the scene, for 400 scenes.
        """)

    // MARK: 2. Alignment
    nb.section("2. One space for images and text (CLIP-style)")
    let recipe = AlignmentRecipe(settings, seed: nb.seed)
    nb.say("""
        Two towers map each modality to a 64-number vector. The image encoder is four 3×3 \
        convolutions, each followed by a GroupNorm and SiLU, two of them with stride 2, that turn \
        the image into an 8×8 grid of \(recipe.imageConfig.width)-channel features. A linear layer \
        maps the grid averaged over 2×2 blocks (a 4×4 layout survives, so "left of" can still be \
        told apart) together with its mean over all cells (a summary that does not depend on where \
        a shape is) to the embedding. The text encoder is a small transformer over \
        the caption's words (\(recipe.textConfig.layers) blocks of width \(recipe.textConfig.width), \
        attention in both directions, since nothing is generated); its output at the start marker, \
        projected, is the embedding. Neither tower sees the other modality. They meet only in the \
        loss.

        The loss is the symmetric InfoNCE of CLIP. For a batch of B matching (image, caption) \
        pairs, normalise all embeddings and form the B×B matrix of cosine similarities times a \
        scale s. Row i is a B-way classification "which caption belongs to image i?" whose answer \
        is the diagonal; column j is "which image belongs to caption j?". The loss is the mean \
        cross-entropy of both, so it is ln B ≈ \(String(format: "%.2f", log(Double(recipe.batch)))) \
        nats for a model that cannot tell pairs apart and 0 for a perfect one. The other B − 1 \
        captions in the batch are the negatives: no labels are needed, only pairs. The scale s = \
        1/temperature is learned, as in CLIP: stored as log s so it stays positive, started at \
        temperature 0.07 (s ≈ 14.3) and clamped to s ≤ 100 after every step. The tests check the \
        loss against a hand-computed 3×3 case and its gradient by finite differences.
        """)
    nb.code("""
        let logits = l2Normalized(image(x)).matmul(l2Normalized(text(ids)).transpose()) * logScale.exp()
        let loss = (crossEntropy(logits, diagonal) + crossEntropy(logits.transpose(), diagonal)) * 0.5
        """)
    // A batch of held-out scenes with distinct canonical captions, for the similarity matrices.
    var shown: [Int] = [], seen: Set<String> = []
    for i in 0..<data.test.count where shown.count < 10 {
        let c = SceneCaptions.canonical(data.test.scenes[i])
        if data.test.scenes[i].objects.count <= 2, seen.insert(c).inserted { shown.append(i) }
    }
    let shownSet = data.test.subset(shown)
    let shownCaptions = shown.map { SceneCaptions.canonical(data.test.scenes[$0]) }
    func similarityMatrix(_ m: AlignmentModel) -> [Double] {
        cosineSimilarity(m.imageEmbeddings(shownSet.images), m.textEmbeddings(shownCaptions)).values.map(Double.init)
    }
    let before = similarityMatrix(AlignmentModel(recipe))
    var bar = nb.progress(0..<recipe.steps, label: "alignment").makeIterator()
    let aligned = nb.timed("train alignment") { trainAlignment(recipe, train: data.train, cache: cache) { _ in _ = bar.next() } }
    let clip = aligned.model
    nb.say("""
        The trained towers are saved as safetensors under the chapter's cache folder \
        (`.cache/07-multimodal`, one file named by everything that determines the run). Chapter 08 \
        loads them with `loadChapter07Encoders(quick:seed:)`, which retrains them, with a printed \
        note, when the file is missing or was written for other settings.
        """)
    nb.number("image encoder parameters", clip.image.parameterCount, key: "image_encoder_params", unit: "count")
    nb.number("text encoder parameters", clip.text.parameterCount, key: "text_encoder_params", unit: "count")
    let tail = max(1, recipe.steps / 20)
    let finalLoss = Double(aligned.losses.suffix(tail).reduce(0, +)) / Double(tail)
    nb.number("contrastive loss, last \(tail) steps (chance ln B)", finalLoss, key: "align_final_loss", unit: "nats", format: "%.3f")
    nb.number("learned scale s = 1/temperature", Double(aligned.scales.last ?? 0), key: "align_scale", unit: "", format: "%.1f")
    let after = similarityMatrix(clip)
    let labels = (1...shown.count).map { "#\($0)" }
    try nb.figure(Figure(title: "Cosine similarity of held-out images (rows) and their captions (columns)", rows: 1, columns: 2, panels: [
        Heatmap(title: "before training", values: before, rows: shown.count, columns: shown.count, rowLabels: labels, columnLabels: labels,
                xLabel: "caption", yLabel: "image", colorBarLabel: "cosine similarity", colormap: .blueRed, range: -1...1, annotate: false),
        Heatmap(title: "after training", values: after, rows: shown.count, columns: shown.count, rowLabels: labels, columnLabels: labels,
                xLabel: "caption", yLabel: "image", colorBarLabel: "cosine similarity", colormap: .blueRed, range: -1...1, annotate: false),
    ], width: 2000, height: 850), name: "similarity",
        caption: "Ten held-out scenes and their canonical captions (#k is scene k's caption; listed below). Before training every pair is about equally similar; after training the diagonal stands out.")
    nb.table(headers: ["#", "caption"], rows: shownCaptions.enumerated().map { ["\($0.offset + 1)", $0.element] })

    // Retrieval.
    nb.say("""
        **Retrieval.** Embed all \(data.test.count) held-out images and their canonical captions once; \
        image → text retrieval ranks the captions by similarity to an image, text → image the \
        other way. Recall@k is the share of queries whose right answer is among the top k. \
        Several scenes can share a canonical caption (a lone small red circle at the top left is \
        a common scene), so a caption with the right *text* counts, and the chance rate below is \
        computed with the same rule.
        """)
    let testCaptions = data.test.scenes.map(SceneCaptions.canonical)
    let imgEmb = clip.imageEmbeddings(data.test.images)
    let r = retrievalScores(imageEmbeddings: imgEmb, captions: testCaptions, textEmbeddings: clip.textEmbeddings(testCaptions))
    nb.number("image → text recall@1", r.imageToText.at1, key: "i2t_recall_at_1", unit: "share", format: "%.1f%%", scale: 100)
    nb.number("image → text recall@5", r.imageToText.at5, key: "i2t_recall_at_5", unit: "share", format: "%.1f%%", scale: 100)
    nb.number("text → image recall@1", r.textToImage.at1, key: "t2i_recall_at_1", unit: "share", format: "%.1f%%", scale: 100)
    nb.number("text → image recall@5", r.textToImage.at5, key: "t2i_recall_at_5", unit: "share", format: "%.1f%%", scale: 100)
    nb.number("chance recall@1", r.chance.at1, key: "retrieval_chance_at_1", unit: "share", format: "%.2f%%", scale: 100)
    nb.number("chance recall@5", r.chance.at5, key: "retrieval_chance_at_5", unit: "share", format: "%.2f%%", scale: 100)
    nb.number("image → text recall@1 over chance", r.imageToText.at1 / max(r.chance.at1, 1e-12), key: "i2t_recall_at_1_over_chance", unit: "", format: "%.0f×")
    let heldCaptions = data.heldOut.scenes.map(SceneCaptions.canonical)
    let rh = retrievalScores(imageEmbeddings: clip.imageEmbeddings(data.heldOut.images), captions: heldCaptions,
                             textEmbeddings: clip.textEmbeddings(heldCaptions))
    nb.number("image → text recall@1, scenes with a held-out pair", rh.imageToText.at1, key: "i2t_recall_at_1_heldout", unit: "share", format: "%.1f%%", scale: 100)
    nb.number("chance recall@1 on that set", rh.chance.at1, key: "retrieval_chance_at_1_heldout", unit: "share", format: "%.2f%%", scale: 100)
    var rcards: [ImageCard] = []
    for q in [0, 1, 2, 3, 4, 5] {
        var lines: [(text: String, color: Color)] = [("true: " + testCaptions[q], plain)]
        for (k, j) in r.topCaptions[q].enumerated() {
            lines.append(("\(k + 1). " + testCaptions[j], testCaptions[j] == testCaptions[q] ? good : bad))
        }
        rcards.append(ImageCard(image: cell(data.test, q), lines: lines))
    }
    try nb.figure(ImageCards(title: "Image → text retrieval on held-out scenes: the top 5 of \(data.test.count) captions", cards: rcards,
                             columns: 1, imageSide: 128, textSize: 16, width: 1600, height: 1240),
                  name: "retrieval", caption: "Each held-out image with its own caption (black) and the five most similar captions among all held-out captions: green is a caption with the right text, red a wrong one.")

    // Zero-shot.
    nb.say("""
        **Zero-shot classification.** With one space for both modalities, a classifier needs no \
        training: describe each class in words, embed the descriptions, and give each image the \
        class whose text embedding is most similar. The result depends on the wording (CLIP's \
        authors found "a photo of a {label}." beat the bare label), so each class is described by \
        several templates and the normalised embeddings are averaged (*prompt ensembling*). Tested \
        on \(data.single.count) held-out single-shape scenes of seen kind–colour pairs:
        """)
    let zs = zeroShot(clip, set: data.single)
    let zh = zeroShot(clip, set: data.singleHeldOut)
    var ztable: [[String]] = []
    for (i, t) in ZeroShotPrompts.color.enumerated() { ztable.append(["colour", "\"\(t)\"", pct(zs.colorAccuracy[i]), pct(zh.colorAccuracy[i])]) }
    ztable.append(["colour", "**ensemble of all**", pct(zs.colorAccuracy.last!), pct(zh.colorAccuracy.last!)])
    for (i, t) in ZeroShotPrompts.kind.enumerated() { ztable.append(["kind", "\"\(t)\"", pct(zs.kindAccuracy[i]), pct(zh.kindAccuracy[i])]) }
    ztable.append(["kind", "**ensemble of all**", pct(zs.kindAccuracy.last!), pct(zh.kindAccuracy.last!)])
    nb.table(headers: ["class", "template ({k}: averaged over kinds, {c}: over colours)", "accuracy, seen pairs", "accuracy, held-out pairs (\(held))"], rows: ztable)
    nb.number("zero-shot colour accuracy (ensemble, seen pairs; chance 25%)", zs.colorAccuracy.last!, key: "zero_shot_color_acc", unit: "share", format: "%.1f%%", scale: 100)
    nb.number("zero-shot kind accuracy (ensemble, seen pairs; chance 33%)", zs.kindAccuracy.last!, key: "zero_shot_kind_acc", unit: "share", format: "%.1f%%", scale: 100)
    nb.number("zero-shot colour accuracy, held-out pairs", zh.colorAccuracy.last!, key: "zero_shot_color_acc_heldout", unit: "share", format: "%.1f%%", scale: 100)
    nb.number("zero-shot kind accuracy, held-out pairs", zh.kindAccuracy.last!, key: "zero_shot_kind_acc_heldout", unit: "share", format: "%.1f%%", scale: 100)
    let colorNames = ShapeColor.allCases.map(\.name), kindNames = ShapeKind.allCases.map(\.name)
    try nb.figure(Figure(title: "Zero-shot confusion on held-out single shapes (prompt ensemble)", rows: 1, columns: 2, panels: [
        Heatmap(title: "colour", matrix: zs.colorConfusion.map { $0.map(Double.init) }, rowLabels: colorNames, columnLabels: colorNames,
                xLabel: "predicted", yLabel: "true", colorBarLabel: "images", colormap: .viridis, annotate: true),
        Heatmap(title: "kind", matrix: zs.kindConfusion.map { $0.map(Double.init) }, rowLabels: kindNames, columnLabels: kindNames,
                xLabel: "predicted", yLabel: "true", colorBarLabel: "images", colormap: .viridis, annotate: true),
    ], width: 1800, height: 760), name: "zero-shot", caption: "Counts of true (rows) against predicted (columns) classes for \(data.single.count) held-out single-shape scenes of seen kind–colour pairs.")

    // PCA of the embedding space, seen and held-out pairs together.
    let both = [data.single, data.singleHeldOut]
    var rows: [[Float]] = [], combos: [Int] = []
    for set in both {
        let emb = clip.imageEmbeddings(set.images)
        let e = emb.shape[1]
        emb.withUnsafeValues { p in
            for i in 0..<set.count {
                rows.append(Array(UnsafeBufferPointer(start: p + i * e, count: e)))
                combos.append(set.scenes[i].objects[0].kind.rawValue * 4 + set.scenes[i].objects[0].color.rawValue)
            }
        }
    }
    let pca = principalComponents2(rows)
    let heldNames = Set(SceneSet.heldOutCombinations.map(\.name))
    var scatter = ScatterPlot(title: "Image embeddings of single shapes, first two principal components",
                              xLabel: "PC 1 (\(pct(pca.explained.0)) of variance)", yLabel: "PC 2 (\(pct(pca.explained.1)) of variance)",
                              x: pca.coords.map(\.0), y: pca.coords.map(\.1), category: combos,
                              categoryNames: ShapeKind.allCases.flatMap { k in ShapeColor.allCases.map { c in
                                  let n = "\(c.name) \(k.name)"
                                  return heldNames.contains(n) ? n + " (held out)" : n } },
                              pointSize: 9, alpha: 0.85, width: 1600, height: 1000)
    scatter.markers = ShapeKind.allCases.flatMap { k in ShapeColor.allCases.map { _ in [Marker.circle, .square, .triangle][k.rawValue] } }
    scatter.colors = ShapeKind.allCases.flatMap { _ in ShapeColor.allCases.map { c in
        let (r, g, b) = c.rgb
        return Color(UInt8(r * 200), UInt8(g * 200), UInt8(b * 200))
    } }
    try nb.figure(scatter, name: "embedding-pca", caption: "Each point is a held-out single-shape image, drawn in its colour with its kind's marker; the two held-out pairs (never seen in training) are included.")
    nb.say("""
        The projection shows what the space is organised by: the first components separate \
        colours and kinds, because those are what the captions talk about most. Size and position \
        live in further directions (the two components shown carry \
        \(pct(pca.explained.0 + pca.explained.1)) of the variance).
        """)
    // With only held-out pairs in that set, its true-triangle row is the yellow triangles and its
    // true-square row the blue squares.
    func calls(_ row: [Int]) -> String {
        let n = max(1, row.reduce(0, +))
        return ShapeKind.allCases.map { "\(pct(Double(row[$0.rawValue]) / Double(n))) \($0.name)" }.joined(separator: ", ")
    }
    nb.say("""
        **Held-out pairs.** On single shapes of the held-out pairs the zero-shot colour accuracy \
        is \(pct(zh.colorAccuracy.last!)) and the kind accuracy \(pct(zh.kindAccuracy.last!)), against \
        \(pct(zs.colorAccuracy.last!)) and \(pct(zs.kindAccuracy.last!)) on seen pairs. The yellow \
        triangles are called \(calls(zh.kindConfusion[ShapeKind.triangle.rawValue])); the blue \
        squares \(calls(zh.kindConfusion[ShapeKind.square.rawValue])). Image → text recall@1 on \
        scenes with such a pair is \(pct(rh.imageToText.at1)) (chance \(pct(rh.chance.at1))). The \
        contrastive loss only asks the model to tell apart the pairs that occur in its batches, so \
        nothing forces colour and kind into independent directions; where they are entangled, an \
        unseen combination lands nearer a seen one (the principal-component plot above includes the \
        held-out shapes).
        """)
    // MARK: 3. Captioning
    nb.section("3. Image captioning")
    let featureKey = recipe.key
    let trainFeatures = nb.timed("frozen image features") { FrozenFeatures(clip, data.train) }
    let testFeatures = FrozenFeatures(clip, data.test), heldFeatures = FrozenFeatures(clip, data.heldOut)
    nb.say("""
        Captioning turns the direction round: image in, text out. The captioner is the GPT of \
        chapter 02 with an image in front of the words. The image side is the image encoder just \
        trained, *frozen*: its 8×8 feature grid, averaged to 4×4, goes through a linear layer \
        that makes each cell a *prefix token* of the decoder's width, and the causal transformer \
        continues the sequence with the caption, one word at a time. Training is next-word \
        cross-entropy on the canonical captions, exactly as in chapter 02; only the 16 prefix \
        positions are new. Reusing a contrastively trained vision encoder and keeping it frozen is \
        how ClipCap, BLIP-2 and LLaVA are built: seeing shapes is learned once, and each new task \
        trains only what it adds (here it also saves the convolutions' cost at every step).

        Why a prefix and not cross-attention? A prefix needs no new layer: the decoder's own \
        self-attention already lets every word look back at the image tokens (ClipCap and LLaVA \
        work this way). Cross-attention, a second attention in every block whose keys and values \
        come from the image (Flamingo; chapter 08's U-Net), pays off when the image is long or the \
        language model must stay frozen; neither is true here.
        """)
    var cbar = nb.progress(0..<settings.captionSteps, label: "captioner").makeIterator()
    let captioner = nb.timed("train captioner") { trainCaptioner(settings, train: data.train, features: trainFeatures, featureKey: featureKey, seed: nb.seed &+ 800, cache: cache) { _ in _ = cbar.next() } }
    nb.number("captioner parameters", captioner.model.parameterCount, key: "captioner_params", unit: "count")
    let evalIdx = Array(0..<min(settings.captionEval, data.test.count)), heldIdx = Array(0..<min(settings.captionEval / 2, data.heldOut.count))
    let evalSet = data.test.subset(evalIdx), heldEval = data.heldOut.subset(heldIdx)
    var crng = nb.rng(2)
    let greedy = nb.timed("caption \(evalSet.count) images") { captioner.model.caption(testFeatures.rows(evalIdx), rule: .greedy, rng: &crng) }
    let sampled = captioner.model.caption(testFeatures.rows(evalIdx), rule: .sample(temperature: 1, topK: nil), rng: &crng)
    let heldGreedy = captioner.model.caption(heldFeatures.rows(heldIdx), rule: .greedy, rng: &crng)
    let common = mostCommonCaption(data.train.scenes)
    let sg = scoreCaptions(greedy, scenes: evalSet.scenes), ss = scoreCaptions(sampled, scenes: evalSet.scenes)
    let sb = scoreCaptions([String](repeating: common, count: evalSet.count), scenes: evalSet.scenes)
    let sh = scoreCaptions(heldGreedy, scenes: heldEval.scenes)
    nb.say("""
        **Scoring.** A caption is read back with the grammar's parser; its shapes are matched to \
        the scene's (the best of all orderings), and each scene shape counts as right for colour, \
        kind or size when its matched phrase says so (a shape the caption omits counts as wrong). \
        *Exact* means the caption parses, names every attribute of every shape, and is true of the \
        scene, including the relation, position or left-to-right order. The floor is a captioner \
        that ignores the image and always writes the training set's most common canonical \
        caption, "\(common)".
        """)
    func crow(_ n: String, _ s: CaptionScores) -> [String] { [n, pct(s.color), pct(s.kind), pct(s.size), pct(s.count), pct(s.exact)] }
    nb.table(headers: ["captions", "colour", "kind", "size", "number of shapes", "exact scene"], rows: [
        crow("greedy, held-out scenes", sg), crow("sampled (T = 1), held-out scenes", ss),
        crow("most common caption (floor)", sb), crow("greedy, scenes with a held-out pair", sh)])
    let attr = (sg.color + sg.kind) / 2
    nb.number("captioning colour accuracy (greedy)", sg.color, key: "caption_color_acc", unit: "share", format: "%.1f%%", scale: 100)
    nb.number("captioning kind accuracy (greedy)", sg.kind, key: "caption_kind_acc", unit: "share", format: "%.1f%%", scale: 100)
    nb.number("captioning attribute accuracy (mean of colour and kind)", attr, key: "caption_attr_acc", unit: "share", format: "%.1f%%", scale: 100)
    nb.number("captioning exact scene match (greedy)", sg.exact, key: "caption_exact", unit: "share", format: "%.1f%%", scale: 100)
    nb.number("most-common-caption floor, mean of colour and kind", (sb.color + sb.kind) / 2, key: "caption_attr_floor", unit: "share", format: "%.1f%%", scale: 100)
    nb.number("captioning attribute accuracy, scenes with a held-out pair", (sh.color + sh.kind) / 2, key: "caption_attr_acc_heldout", unit: "share", format: "%.1f%%", scale: 100)
    var ccards: [ImageCard] = []
    for i in 0..<8 {
        let truth = SceneCaptions.canonical(evalSet.scenes[i])
        func mark(_ c: String) -> Color { ((try? ParsedCaption(c))?.isTrue(of: evalSet.scenes[i]) ?? false) ? good : bad }
        ccards.append(ImageCard(image: cell(evalSet, i), lines: [("true:    " + truth, plain), ("greedy:  " + greedy[i], mark(greedy[i])),
                                                                 ("sampled: " + sampled[i], mark(sampled[i]))]))
    }
    try nb.figure(ImageCards(title: "Held-out images captioned by the model", cards: ccards, columns: 1, imageSide: 96, textSize: 16,
                             width: 1600, height: 1000),
                  name: "captions", caption: "The true canonical caption, the greedy caption and one sampled at temperature 1; green when everything the caption says is true of the scene, red otherwise.")
    nb.say("""
        Greedy decoding takes the most likely word each time and so writes one caption per image; \
        sampling at temperature 1 draws each word from the model's distribution, which gives \
        variety and, where the model is unsure, more mistakes (compare the two rows of the table). \
        Against the floor of one fixed caption (\(pct((sb.color + sb.kind) / 2)) for colour and kind), \
        the greedy captions get \(pct(attr)). On scenes with a held-out pair, colour stays at \
        \(pct(sh.color)) while kind falls to \(pct(sh.kind)): the captioner reads the same frozen \
        features, and has never written "yellow triangle" or "blue square".
        """)

    // MARK: 4. VQA
    nb.section("4. Visual question answering")
    nb.say("""
        A VQA model reads an image and a question and gives the answer. Here the answers form a \
        closed set of \(SceneQuestions.answers.count) words (yes, no, 0–3, four colours, three \
        kinds), so the model is a classifier. The question's word tokens and the image's 64 grid \
        tokens (the frozen feature grid again, projected, each cell with a learned position) go \
        through one transformer encoder together (a *fusion* encoder, as in ViLT), so \
        every word can attend to every image cell and back; the output at the question's start \
        marker is read out into one logit per answer. Relation questions ("what shape is left of \
        the red one ?") are why the image stays a grid: the model has to find the red cell, then \
        look on one side of it, which attention over positioned tokens can do in two hops. \
        Training draws a fresh question for each scene at every step: the type uniformly among \
        those the scene has, and for existence questions yes and no equally often.

        Two baselines expose shortcuts. The *question-only* baseline is the best a model that \
        never looks at the image can do: for each question text, the answer most often right for \
        it in training (counted over 50,000 training questions). The *image-only* baseline is a \
        small classifier on the contrastive image embedding that never sees the question; it can \
        learn what answer a scene most often has, nothing more.
        """)
    var vbar = nb.progress(0..<settings.vqaSteps, label: "VQA").makeIterator()
    let vqa = nb.timed("train VQA") { trainVQA(settings, train: data.train, features: trainFeatures, featureKey: featureKey, seed: nb.seed &+ 900, cache: cache) { _ in _ = vbar.next() } }
    nb.number("VQA model parameters", vqa.model.parameterCount, key: "vqa_params", unit: "count")
    let items = testQuestions(data.test, seed: nb.seed &+ 3)
    let heldItems = testQuestions(data.heldOut, seed: nb.seed &+ 4)
    let vacc = accuracyByType(answerQuestions(vqa.model, items: items, features: testFeatures), items: items)
    let vheld = accuracyByType(answerQuestions(vqa.model, items: heldItems, features: heldFeatures), items: heldItems)
    let qonly = QuestionOnlyBaseline(train: data.train, samples: 50_000, seed: nb.seed &+ 5)
    let qacc = accuracyByType(items.map { qonly.predict($0.question.text) }, items: items)
    let ionly = ImageOnlyBaseline(embedDim: recipe.imageConfig.embedDim, seed: nb.seed &+ 6)
    let trainEmb = clip.imageEmbeddings(data.train.images)
    _ = nb.timed("train image-only baseline") { ionly.fit(embeddings: trainEmb, train: data.train, steps: settings.imageOnlySteps, batch: 128, seed: nb.seed &+ 7) }
    let iacc = accuracyByType(ionly.predict(embeddings: imgEmb, items: items), items: items)
    let typeNames = QuestionType.allCases.map(\.name)
    nb.table(headers: ["model"] + typeNames + ["overall"], rows: [
        ["image + question"] + vacc.perType.map { pct($0) } + [pct(vacc.overall)],
        ["question only (best table)"] + qacc.perType.map { pct($0) } + [pct(qacc.overall)],
        ["image only"] + iacc.perType.map { pct($0) } + [pct(iacc.overall)],
        ["image + question, scenes with a held-out pair"] + vheld.perType.map { pct($0) } + [pct(vheld.overall)]])
    nb.number("VQA accuracy, all \(items.count) held-out questions", vacc.overall, key: "vqa_acc", unit: "share", format: "%.1f%%", scale: 100)
    nb.number("VQA accuracy, relation questions", vacc.perType[QuestionType.relation.rawValue], key: "vqa_relation_acc", unit: "share", format: "%.1f%%", scale: 100)
    nb.number("VQA accuracy, attribute questions", vacc.perType[QuestionType.attribute.rawValue], key: "vqa_attribute_acc", unit: "share", format: "%.1f%%", scale: 100)
    nb.number("question-only baseline accuracy", qacc.overall, key: "vqa_question_only_acc", unit: "share", format: "%.1f%%", scale: 100)
    nb.number("question-only baseline, relation questions", qacc.perType[QuestionType.relation.rawValue], key: "vqa_question_only_relation_acc", unit: "share", format: "%.1f%%", scale: 100)
    nb.number("image-only baseline accuracy", iacc.overall, key: "vqa_image_only_acc", unit: "share", format: "%.1f%%", scale: 100)
    nb.number("VQA accuracy, scenes with a held-out pair", vheld.overall, key: "vqa_acc_heldout", unit: "share", format: "%.1f%%", scale: 100)
    try nb.figure(BarChart(title: "VQA accuracy on held-out scenes by question type", categories: typeNames + ["overall"], series: [
        BarSeries(name: "image + question", values: vacc.perType + [vacc.overall]),
        BarSeries(name: "question only", values: qacc.perType + [qacc.overall]),
        BarSeries(name: "image only", values: iacc.perType + [iacc.overall]),
    ], xLabel: "question type", yLabel: "accuracy (share of questions)", showValues: true, width: 1600, height: 900),
        name: "vqa-accuracy", caption: "Accuracy per question type of the VQA model and of the two shortcut baselines, on \(items.count) held-out questions (one per type per scene where the scene has one).")
    nb.say("""
        The baselines show which questions can be answered without looking. The question-only \
        table gets \(pct(qacc.perType[1])) of existence and \(pct(qacc.perType[2])) of count \
        questions right from the wording alone (the held-out pairs are never present, and most \
        counts are 0 or 1), but \
        only \(pct(qacc.perType[0])) of attribute and \(pct(qacc.perType[3])) of relation \
        questions, where every colour or kind is about equally likely until one looks. The \
        image-only classifier, blind to the question, reaches \(pct(iacc.overall)) overall: a scene \
        has answers of every type, and without the question it can only guess which is wanted. \
        The full model answers \(pct(vacc.perType[3])) of relation questions against \
        \(pct(qacc.perType[3])) and \(pct(iacc.perType[3])) for the two shortcuts: these need both \
        inputs at once. For scale, on Sort-of-CLEVR a CNN with an MLP answers about 63% of \
        relational questions and a relation network about 94% (Santoro et al., 2017). On scenes \
        with a held-out pair the model answers \(pct(vheld.overall)) of questions, \
        \(pct(vheld.perType[0])) of attribute questions: the frozen image features inherit the \
        alignment model's confusion of unseen combinations.
        """)

    // Training curves.
    let sm = { (v: [Float]) in runningMean(v, window: max(1, v.count / 40)) }
    try nb.figure(Figure(title: "Training curves (running mean over 2.5% of the steps)", rows: 1, columns: 3, panels: [
        LinePlot(title: "contrastive alignment", xLabel: "step", yLabel: "InfoNCE loss (nats)", series: [LineSeries(name: "loss", y: sm(aligned.losses))],
                 referenceLines: [ReferenceLine(value: log(Double(recipe.batch)), label: "chance ln B")]),
        LinePlot(title: "captioner", xLabel: "step", yLabel: "next-word loss (nats)", series: [LineSeries(name: "loss", y: sm(captioner.losses))],
                 referenceLines: [ReferenceLine(value: log(Double(SceneVocabulary.standard.count)), label: "uniform ln V")]),
        LinePlot(title: "VQA", xLabel: "step", yLabel: "answer loss (nats)", series: [LineSeries(name: "loss", y: sm(vqa.losses))],
                 referenceLines: [ReferenceLine(value: log(Double(SceneQuestions.answers.count)), label: "uniform ln \(SceneQuestions.answers.count)")]),
    ], width: 2100, height: 650), name: "training", caption: "Loss per step of the three models, with the loss of a model that has learned nothing (dashed).")

    // MARK: 5. Unimodal and multimodal
    nb.section("5. Unimodal and multimodal models, and where they are used")
    nb.say("""
        A unimodal model stays in one modality: the GPT of chapter 02 maps text to text, the \
        diffusion models of chapters 05–06 images to images. The models of this chapter cross \
        between modalities, each in a different way. The table places them next to the real \
        systems they are small versions of.
        """)
    nb.table(headers: ["model", "in", "out", "trained on", "this chapter's counterpart"], rows: [
        ["GPT (ch. 02)", "text", "text", "text alone, next token", "(unimodal)"],
        ["CLIP (OpenAI, 2021)", "image, text", "embeddings (similarity)", "400 M web image–caption pairs, contrastive", "section 2: alignment, retrieval, zero-shot"],
        ["BLIP (Salesforce, 2022)", "image (+ text)", "text, embeddings", "129 M image–text pairs, contrastive + matching + captioning, with synthetic captions", "sections 2 and 3 in one model"],
        ["Flamingo (DeepMind, 2022) / LLaVA (2023)", "images + text", "text", "a frozen LLM joined to a vision encoder (cross-attention / prefix tokens), image–text data, then instructions", "sections 3 and 4 (prefix tokens, answering)"],
        ["DALL-E (OpenAI, 2021–)", "text", "image", "hundreds of millions of image–caption pairs", "chapter 08"],
        ["Stable Diffusion (2022)", "text (+ image)", "image", "LAION image–caption pairs; CLIP text encoder + latent diffusion", "chapter 08 (uses this chapter's text encoder)"],
        ["Midjourney", "text (+ image)", "image", "undisclosed; a diffusion model served as a product", "chapter 08"],
    ])
    nb.table(headers: ["use the study guide lists", "what the model does", "task of this chapter (or the next)"], rows: [
        ["marketing", "write copy for a product photo, generate visuals from a brief", "captioning; text to image (ch. 08)"],
        ["image captioning / accessibility", "describe a picture in words (alt text)", "captioning"],
        ["product design", "search a catalogue by description, sketch variants from text", "retrieval; text to image (ch. 08)"],
        ["customer service", "answer a question about a photo the customer sends", "visual question answering"],
        ["chatbots", "hold a conversation that includes images", "VQA and captioning in one decoder (LLaVA-style)"],
        ["avatars", "generate a likeness from a description or a photo", "text (+ image) to image (ch. 08)"],
        ["search and moderation", "find or flag images by what a sentence says", "retrieval, zero-shot classification"],
    ])
    nb.say("""
        The gap between these rows and this chapter is scale, not kind: the same contrastive loss, \
        the same prefix-token decoder and the same fusion encoder, with web-scale data and billions \
        of parameters instead of \(settings.trainCount) generated scenes and a few hundred thousand \
        parameters.
        """)
}
