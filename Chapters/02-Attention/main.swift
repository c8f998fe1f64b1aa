// Chapter 02: attention, from one query to a small GPT pre-trained on stories.
// The steps live in Steps/ (module Ch02Attention, tested in Tests/Ch02AttentionTests); this file
// narrates them in order and writes the figures and report to Figures/02-attention.
import Ch02Attention
import Datasets
import Engine
import ExerciseGrading
import Foundation
import Models
import Notebook
import Plot

/// A float with a fixed number of decimals, for tables.
/// A short vector as "[a, b, c]".
func vec(_ v: [Float], _ digits: Int = 2) -> String { "[" + v.map { f($0, digits) }.joined(separator: ", ") + "]" }
/// A character as a readable axis label (space as "_", newline as "/").
func label(_ id: Int) -> String { id == 32 ? "_" : id == 10 ? "/" : printable([id]) }
/// Text as a markdown code span; double backticks let a generated sample contain a single one.
func codeSpan(_ s: String) -> String { s.contains("`") ? "`` \(s) ``" : "`\(s)`" }
/// A matrix given as row-major floats, as rows.
func rows(_ flat: [Float], _ n: Int) -> [[Float]] { (0..<n).map { Array(flat[($0 * n)..<(($0 + 1) * n)]) } }

// `--use-exercise causal-mask` trains a small model with the student's mask (Sources/Exercises)
// instead of running the chapter; without it the chapter runs as always.
if let status = UseExercise.run(CommandLine.arguments) { exit(status) }

Notebook.run(number: 2, slug: "attention", title: "Attention") { nb in
    nb.say("""
        A language model reads a sequence and, at every position, predicts what comes next. The part \
        of the transformer that lets a position use *other* positions is attention: each position \
        asks a question (its query), every position offers a label (its key) and some content (its \
        value), and the answer is a blend of the contents, weighted by how well each label matches \
        the question. This chapter builds attention from one query to a small GPT, pre-trains the \
        GPT on the course's story corpus, samples from it, speeds up generation with a cache, and \
        looks inside the trained model to see what its heads attend to.

        A correction to the study guide first. It says that during pre-training "the encoder \
        generates an embedding or vector representation for each token". GPT-style language models \
        have no encoder: they are *decoder-only* stacks of the blocks built below, and the vector \
        for each token comes from an embedding table (chapter 01) followed by those blocks. Encoders \
        (as in BERT, or the encoder half of the original translation transformer) let every token \
        see the whole input; a decoder lets each token see only the past, which is what generating \
        text one token at a time requires (section 2).
        """)

    // MARK: 1. One query
    nb.section("1. One query against a few keys")
    nb.say("""
        Take four tokens, "the cat sat on", and let the token "sat" look for its subject. In a real \
        model the query, keys and values are learned linear maps of each token's vector; here they \
        are small numbers picked by hand so every step can be checked on paper. The query has width \
        d = 4. Attention does four things:

        1. **score** each key by its dot product with the query, q·kⱼ;
        2. **scale** the scores by 1/√d;
        3. **softmax** the scaled scores into weights that are positive and sum to 1;
        4. **blend** the values with those weights: output = Σⱼ weightⱼ · vⱼ.
        """)
    let ex = attendOne(query: WorkedExample.query, keys: WorkedExample.keys, values: WorkedExample.values)
    nb.say("The query of \"sat\" is \(vec(WorkedExample.query, 0)).")
    nb.table(headers: ["token", "key kⱼ", "value vⱼ", "score q·kⱼ", "scaled q·kⱼ/√4", "weight (softmax)"],
             rows: WorkedExample.tokens.indices.map { j in
                 [WorkedExample.tokens[j], vec(WorkedExample.keys[j], 0), vec(WorkedExample.values[j], 0),
                  f(ex.scores[j], 0), f(ex.scaled[j], 2), f(ex.weights[j], 3)]
             })
    nb.say("""
        The output, Σ weightⱼ·vⱼ, is \(vec(ex.output, 3)). \
        "cat" matches the query best (score 3) and takes about half the weight; "sat" and "on" tie; \
        "the" gets the least but not zero: softmax never shuts a key out completely. The output is \
        mostly the value of "cat", with a little of the others mixed in.
        """)
    try nb.figure(BarChart(title: "One query, four keys: scaled scores and softmax weights",
                           categories: WorkedExample.tokens.map { "\"\($0)\"" },
                           series: [BarSeries(name: "scaled score q·k / sqrt(d)", values: ex.scaled),
                                    BarSeries(name: "attention weight", values: ex.weights)],
                           xLabel: "key token", yLabel: "value (scores: unitless; weights: sum to 1)", showValues: true),
                  name: "step1-single-query",
                  caption: "The worked example: the query of \"sat\" scores each key, and softmax turns the scaled scores into weights.")

    nb.say("""
        **Why divide by √d?** If the entries of q and k are independent with variance 1, the dot \
        product of two width-d vectors has variance d. Without scaling, a wide model starts with \
        scores spread over ±√d, and the softmax puts almost all weight on one key: the gradient to \
        the others all but vanishes. Dividing by √d brings the spread back to about 1 at any width. \
        The table measures this on random vectors (1,000 queries, 16 keys each):
        """)
    var scaleRNG = nb.rng(1)
    let sweep = scaleSweep(widths: [4, 64, 512], trials: 1000, keys: 16, rng: &scaleRNG)
    let scaleRows = sweep.map { r in
        [String(r.width), f(r.scoreSpread, 2), f(Float(r.width).squareRoot(), 2), f(r.largestWeightRaw, 3), f(r.largestWeightScaled, 3)]
    }
    nb.table(headers: ["width d", "spread of q·k (std)", "√d", "largest weight, unscaled", "largest weight, scaled by 1/√d"],
             rows: scaleRows)

    // MARK: 2. Matrix form and the causal mask
    nb.section("2. Every query at once, and the causal mask")
    nb.say("""
        A sequence of T tokens has T queries. Stacking them as rows of a matrix Q (T×d), and the \
        keys and values as K and V, all the dot products are one matrix product, Q·Kᵀ (T×T): row i \
        holds query i's scores against every key. Softmax row by row, then multiply by V:
        """)
    nb.code("""
        var scores = q.matmul(k.transpose()).scaled(1 / Float(d).squareRoot())   // [T, T]
        if causal { scores = scores.maskedFill(MultiHeadSelfAttention.causalMask(t), -Float.infinity) }
        let weights = scores.softmax()                                            // rows sum to 1
        let output = weights.matmul(v)                                            // [T, dv]
        """)
    nb.say("""
        A language model is trained to predict token i+1 from tokens 0…i, at every position at once. \
        If query i could see key i+1, the answer would be in the input and training would teach the \
        model to copy it — a model useless for generation, where token i+1 does not exist yet. The \
        **causal mask** sets every score above the diagonal (a key later than its query) to −∞ \
        before the softmax; e^−∞ = 0, so those keys get weight exactly 0 and the remaining weights \
        still sum to 1. Training with the mask makes every position a fair next-token problem, and \
        it is also what makes the cache of section 8 possible: once computed, an earlier position's \
        keys and values never change.
        """)
    let sentence = ["the", "cat", "sat", "on", "the", "mat"]
    var maskRNG = nb.rng(2)
    let t2 = sentence.count, d2 = 4
    let q2 = Tensor.randn([t2, d2], std: 1, rng: &maskRNG)
    let k2 = Tensor.randn([t2, d2], std: 1, rng: &maskRNG)
    let v2 = Tensor.randn([t2, d2], std: 1, rng: &maskRNG)
    let open = scaledDotProductAttention(q: q2, k: k2, v: v2, causal: false)
    let causal = scaledDotProductAttention(q: q2, k: k2, v: v2, causal: true)
    let mask = MultiHeadSelfAttention.causalMask(t2)
    try nb.figure(Figure(title: "The causal mask on \"the cat sat on the mat\" (random q, k, v of width 4)", rows: 1, columns: 3, panels: [
        Heatmap(title: "mask: 1 = hidden", matrix: rows(mask.values, t2), rowLabels: sentence, columnLabels: sentence,
                xLabel: "key", yLabel: "query", colorBarLabel: "hidden", colormap: .greys, range: 0...1, annotate: true),
        Heatmap(title: "weights without the mask", matrix: rows(open.weights.values, t2), rowLabels: sentence,
                columnLabels: sentence, xLabel: "key", yLabel: "query", colorBarLabel: "weight", range: 0...1, annotate: true),
        Heatmap(title: "weights with the mask", matrix: rows(causal.weights.values, t2), rowLabels: sentence,
                columnLabels: sentence, xLabel: "key", yLabel: "query", colorBarLabel: "weight", range: 0...1, annotate: true),
    ], width: 2400, height: 760), name: "causal-mask",
                  caption: "Left: the mask hides every key later than its query. Middle and right: the same scores without and with it; masked rows renormalise over the keys that remain.")
    let leakOpen = backwardLeak(q: q2, k: k2, v: v2, replacementKey: [3, -3, 3, -3], replacementValue: [5, 5, 5, 5], causal: false)
    let leakCausal = backwardLeak(q: q2, k: k2, v: v2, replacementKey: [3, -3, 3, -3], replacementValue: [5, 5, 5, 5], causal: true)
    nb.say("Replace the key and value of the last token (\"mat\") and see how much the outputs of the five earlier positions move:")
    nb.number("largest change at earlier positions, no mask", leakOpen, key: "ch02_leak_no_mask", unit: "", format: "%.3f")
    nb.number("largest change at earlier positions, causal mask", leakCausal, key: "ch02_leak_causal_mask", unit: "", format: "%.3f")

    // MARK: 3. Heads
    nb.section("3. Several heads and the output projection")
    nb.say("""
        One softmax gives each query one blend. A token may need several things at once (the \
        previous letter, the start of its word, the name of the character the sentence is about), \
        so a layer runs H attentions side by side, each on its own slice of width d/H of the \
        queries, keys and values: the **heads**. In the engine's `MultiHeadSelfAttention` one \
        linear map `qkv` (d → 3d) makes all queries, keys and values at once; head h uses columns \
        h·d/H ..< (h+1)·d/H of each third. The heads' outputs are placed side by side (width d \
        again) and the **output projection** `proj` (d → d) mixes them: every output feature is a \
        learned combination of every head's features, so heads can write into the same directions \
        of the model's vector or into separate ones. Without `proj`, head h could only ever write to \
        its own d/H slice.

        Below, a layer of width 8 with 2 heads runs on the six tokens above (random vectors as \
        inputs), once through the engine's module and once head by head with this chapter's \
        `scaledDotProductAttention` from section 2:
        """)
    var headRNG = nb.rng(3)
    let layer = MultiHeadSelfAttention(dim: 8, heads: 2, causal: true, rng: &headRNG)
    let x3 = Tensor.randn([t2, 8], std: 3, rng: &headRNG)
    let trace = Tensor.noGrad { traceHeads(layer, x3) }
    let module = Tensor.noGrad { layer(x3.reshape([1, t2, 8])).reshape([t2, 8]) }
    let moduleGap = zip(trace.projected.values, module.values).map { abs($0 - $1) }.max()!
    nb.number("largest |head-by-head − module| over the output", moduleGap, key: "ch02_heads_vs_module_gap", unit: "", format: "%.1e")
    nb.table(headers: ["head", "query \"mat\" attends to (weights over the 6 tokens)", "RMS of its contribution after proj"],
             rows: (0..<2).map { h in
                 ["\(h + 1)", vec(Array(trace.weights[h].values[(5 * t2)..<(6 * t2)]), 2), f(trace.contributionRMS[h], 3)]
             })
    nb.number("parameters of this layer: qkv (3d² + 3d) + proj (d² + d), d = 8", layer.parameterCount, key: "ch02_attention_layer_parameters", unit: "count")

    // MARK: 4. Positions
    nb.section("4. Positions")
    nb.say("""
        Nothing in attention knows where a token is. Scores depend only on the vectors, and a \
        weighted sum does not care about the order of its terms. So if the input rows are \
        shuffled, the output rows are shuffled the same way and nothing else changes: attention \
        (without the causal mask) is **permutation-equivariant**. "Tom saw Mia" and "Mia saw Tom" \
        would look the same to it. The check below shuffles 10 random input vectors of width 16 \
        through a 4-head attention layer:
        """)
    var posRNG = nb.rng(4)
    let setLayer = MultiHeadSelfAttention(dim: 16, heads: 4, causal: false, rng: &posRNG)
    let x4 = Tensor.randn([10, 16], std: 1, rng: &posRNG)
    let perm = posRNG.permutation(10)
    let sinus = sinusoidalPositions(count: 10, dim: 16)
    let gapPlain = permutationGap(setLayer, x4, permutation: perm)
    let gapPos = permutationGapWithPositions(setLayer, x4, positions: Tensor(shape: [10, 16], values: sinus.flatMap { $0 }), permutation: perm)
    nb.say("The permutation used (row i takes input row …): \(perm.map(String.init).joined(separator: " ")).")
    nb.number("max |attn(shuffled x) − shuffled attn(x)|, no positions", gapPlain, key: "ch02_permutation_gap_plain", unit: "", format: "%.1e")
    nb.number("the same with sinusoidal positions added", gapPos, key: "ch02_permutation_gap_positions", unit: "", format: "%.3f")
    nb.say("""
        The first number is float32 rounding; the second is a real change. The fix is to add a \
        position vector to each token's vector before the first block, so the same token at \
        different places arrives as different vectors. Two common choices:

        - **Sinusoidal** (the original transformer): fixed, not learned. Position p gets \
        sin(p·ωᵢ) and cos(p·ωᵢ) in feature pair i, with frequencies ωᵢ = 10000^(−2i/d) running from \
        fast to very slow, like the hands of a clock. Every position gets a distinct pattern, and \
        the dot product of two positions depends only on their distance.
        - **Learned** (GPT-2, and the GPT of this course): a table with one trainable row per \
        position, trained with everything else. It can only cover the positions it was trained on \
        (the context length).

        (The causal mask itself also leaks some order information, since position i sees exactly \
        i+1 keys, but a model should not have to count to know where it is.)
        """)
    let table = sinusoidalPositions(count: 128, dim: 32)
    let varying = varyingFeatures(table, minRange: 0.5)
    let frozen = 32 - varying.count
    nb.say("""
        Over a context of 128 positions only the faster clocks turn far enough to matter. Of the 32 \
        features of a width-32 table, \(varying.count) change by at least 0.5 between positions 0 \
        and 127; the other \(frozen) (the slow pairs) stay almost constant there and would only \
        tell positions apart in a much longer context. The figure shows the features that vary, \
        and three of the sine clocks as curves:
        """)
    var varyingMap = Heatmap(title: "the \(varying.count) of 32 features that change by at least 0.5 over positions 0–127",
                             matrix: varying.map { c in table.map { $0[c] } },
                             rowLabels: varying.map { c in "\(c % 2 == 0 ? "sin" : "cos"), pair \(c / 2)" },
                             columnLabels: (0..<128).map { $0 % 16 == 0 ? String($0) : "" },
                             xLabel: "position p", yLabel: "feature",
                             colorBarLabel: "value", colormap: .blueRed, range: -1...1)
    varyingMap.squareCells = false
    let clocks = [2, 4, 6]
    let clockPlot = LinePlot(title: "three of the sine features as curves", xLabel: "position p", yLabel: "value",
                             series: clocks.map { i in
                                 LineSeries(name: "pair \(i): one turn per \(f(2 * Double.pi / pow(10_000, -2 * Double(i) / 32), 0)) positions",
                                            x: (0..<128).map(Double.init), y: table.map { $0[2 * i] })
                             })
    try nb.figure(Figure(title: "Sinusoidal positions (width 32) over a context of 128", rows: 2, columns: 1,
                         panels: [varyingMap, clockPlot], width: 1800, height: 1500),
                  name: "sinusoidal-positions",
                  caption: "Top: the sinusoidal table's features that vary over the first 128 positions (pair 0 turns once every 6.3 positions, each later pair more slowly; the other features are nearly constant here). Bottom: three sine features as curves, clocks at different speeds.")

    // MARK: 5. The block and the GPT
    nb.section("5. The transformer block and the GPT around it")
    nb.say("""
        A transformer block wraps attention with three more ideas:

        - a **residual stream**: each sub-layer *adds* its output to its input (x + f(x)), so \
        information and gradients flow straight through the stack and a layer only has to learn a \
        correction;
        - **layer normalisation** before each sub-layer (*pre-LN*, as in GPT-2): every position's \
        vector is rescaled to mean 0 and variance 1 (then a learned scale and shift), which keeps \
        the inputs of attention and the MLP in a stable range at any depth;
        - a position-wise **MLP** (d → 4d → d with GELU): attention moves information *between* \
        positions, the MLP transforms it *within* each position.
        """)
    nb.code("""
        // TransformerBlock (Sources/Models/GPT/GPT.swift)
        let h = x + attn(ln1(x))          // mix information across positions
        return h + mlp(ln2(h))            // transform each position on its own

        // GPT: embeddings in, blocks, a final norm and a linear head out
        var h = tok(ids) + pos(0..<T)     // [B, T, d]
        for block in blocks { h = block(h) }
        return head(ln(h))                // [B, T, 256]: next-byte logits at every position
        """)
    let runConfig = ChapterRun.pretraining(quick: nb.quick)
    let gc = runConfig.model
    let parts = parameterBreakdown(GPT(gc, seed: nb.seed))
    let total = parts.reduce(0) { $0 + $1.count }
    nb.say("The GPT this chapter trains: \(gc.layers) blocks of width d = \(gc.width) with \(gc.heads) heads each, a context of \(gc.context) bytes and a vocabulary of 256 byte values. Its parameters, part by part:")
    nb.table(headers: ["part", "parameters", "share", "formula"],
             rows: parts.map { p in
                 let d = gc.width
                 let formula: String
                 if p.part.hasSuffix("attention") { formula = "4d² + 4d = \(4 * d * d + 4 * d)" }
                 else if p.part.hasSuffix("MLP") { formula = "8d² + 5d = \(8 * d * d + 5 * d)" }
                 else if p.part.hasSuffix("layer norms") { formula = "2 × 2d = \(4 * d)" }
                 else if p.part == "token embedding" { formula = "256 × d" }
                 else if p.part == "position embedding" { formula = "context × d" }
                 else if p.part == "output head" { formula = "d × 256 (no bias)" }
                 else { formula = "2d" }
                 return [p.part, grouped(p.count), f(100 * Double(p.count) / Double(total), 1) + " %", formula]
             } + [["total", grouped(total), "100 %", "GPTConfig.totalParameters = \(grouped(gc.totalParameters))"]])
    let embeddingShare = Double(parts.filter { ["token embedding", "position embedding", "output head"].contains($0.part) }
        .reduce(0) { $0 + $1.count }) / Double(total)
    nb.say("""
        The embeddings and the output head are \(f(100 * embeddingShare, 1)) % of the parameters; \
        the blocks' 12d² + 13d per layer are the rest. Their share grows with the width (d² against \
        256·d), which is why scaling laws count the non-embedding parameters (chapter 04): in a \
        small model the embeddings would otherwise distort the count.
        """)

    // MARK: 6. Pre-training
    nb.section("6. Self-supervised pre-training on the story corpus")
    let docs = ChapterRun.documents(quick: nb.quick)
    let corpus = StoryCorpus(seed: nb.seed)
    let data = ChapterRun.storyData(quick: nb.quick, seed: nb.seed)
    let baselines = Baselines(data: data, corpus: corpus, entropyDocuments: nb.pick(quick: 500, full: 4000))
    nb.say("""
        **Self-supervised** means the labels come from the data itself: every byte of a story is \
        the target for the bytes before it, so no one has to annotate anything. The model sees a \
        window of \(gc.context) bytes and is scored at every position on the byte that follows \
        (cross-entropy, reported in bits per character; the corpus is ASCII, so one byte is one \
        character). A story from the corpus:
        """)
    nb.output(corpus.document(0).text)
    nb.say("""
        The split is **by document**: the first \(docs.train) stories train, the next \(docs.validation) \
        validate, so the validation loss measures how well the model handles stories it has never \
        seen, not whether it remembers the rest of one it has.
        """)
    nb.number("training bytes", data.train.count, key: "ch02_training_bytes", unit: "count")
    nb.number("validation bytes", data.validation.count, key: "ch02_validation_bytes", unit: "count")
    nb.say("""
        Three reference lines, all on the same validation bytes. Count-based models fitted on the \
        training bytes: the **unigram** (byte frequencies, no context) and the **bigram** (the \
        previous byte as context), both with add-one smoothing. And the **entropy floor**: the \
        corpus is generated by a known random program, so the true entropy rate of its text is \
        known. On average no model can do better: the remaining uncertainty is the story's own \
        randomness (which name, which colour, which event comes next).
        """)
    nb.number("unigram baseline", baselines.unigram, key: "ch02_unigram_bits_per_char", unit: "bits/char", format: "%.3f")
    nb.number("bigram baseline", baselines.bigram, key: "ch02_bigram_bits_per_char", unit: "bits/char", format: "%.3f")
    nb.number("entropy floor (± standard error)", baselines.entropyFloor, key: "ch02_entropy_floor_bits_per_char", unit: "bits/char",
              text: "\(f(baselines.entropyFloor)) ± \(f(baselines.entropyStandardError))")
    nb.say("""
        Training uses **AdamW** (Adam with weight decay applied directly to the weights), a \
        learning rate that rises linearly for \(runConfig.warmup) steps (**warmup**: Adam's early \
        moment estimates are noisy, and large steps then can wreck the initialisation) and then \
        follows a **cosine** down to \(runConfig.minLR) at the last step (decaying to the very end \
        lets the final steps average out the noise of the batches instead of stopping mid-stride), \
        and gradient clipping at norm \(f(runConfig.clip, 1)). Each step takes \(runConfig.batch) \
        random windows from the training bytes, so the run sees \(grouped(runConfig.steps * runConfig.batch * gc.context)) \
        predictions, about \(f(Double(runConfig.steps * runConfig.batch * gc.context) / Double(data.train.count), 1)) \
        times the training text.
        """)
    nb.table(headers: ["setting", "value"], rows: [
        ["model", gc.description],
        ["batch", "\(runConfig.batch) windows × \(gc.context) bytes = \(runConfig.batch * gc.context) predictions"],
        ["steps", "\(runConfig.steps)"],
        ["learning rate", "0 → \(runConfig.learningRate) over \(runConfig.warmup) steps, cosine to \(runConfig.minLR)"],
        ["weight decay", "\(runConfig.weightDecay)"],
        ["validation", "\(runConfig.validationBatches * runConfig.batch) fixed windows (\(runConfig.validationBatches * runConfig.batch * gc.context) bytes)"],
    ])
    let samplePrompt = ChapterRun.samplePrompt
    let cache = TrainingCache(folder: nb.cacheDir, fresh: nb.fresh)
    let result = try nb.timed("pre-training (\(runConfig.steps) steps, or restoring it from the cache)") {
        var bar = nb.progress(0..<runConfig.steps, label: "pre-training").makeIterator()
        return try ChapterRun.pretrainStoryGPT(quick: nb.quick, seed: nb.seed, data: data, cache: cache) { _ in _ = bar.next() }
    }
    if result.cached {
        FileHandle.standardError.write(Data("note: pre-training restored from \(nb.cacheDir) (identical to a fresh run; --fresh retrains)\n".utf8))
    }
    let model = result.model
    nb.say("""
        "Model weights are updated during pre-training to minimize the loss of the training \
        objective", says the study guide. True, with two refinements the table shows. The weights \
        move by gradient steps on small random batches, so the training loss is a noisy estimate \
        that falls on average, not at every step. And the number that matters is the loss on text \
        the model has not seen (validation): minimising the training loss is only the means. Here \
        the two stay close because the corpus is large compared with the model (the train column \
        averages the batches since the previous row, while the model was still improving, which is \
        why it sits above validation while the loss is still falling). The last column shows how far the weights have \
        travelled from their initial values.
        """)
    let shown = result.curve.enumerated().filter { i, p in
        i == 0 || i == result.curve.count - 1 || p.step >= 10 && i % 2 == 0
    }.map(\.element)
    nb.table(headers: ["step", "learning rate", "train (bits/char)", "validation (bits/char)", "‖θ − θ₀‖ / ‖θ₀‖"],
             rows: shown.map { p in
                 ["\(p.step)", String(format: "%.2e", p.learningRate), f(p.trainBits), f(p.validationBits), f(p.relativeWeightChange, 4)]
             })
    let curve = result.curve.filter { $0.step > 0 }
    try nb.figure(LinePlot(title: "Pre-training on the story corpus (byte-level GPT, \(grouped(gc.totalParameters)) parameters)",
                           xLabel: "optimizer step (log scale)", yLabel: "cross-entropy (bits per character)", xScale: .log10,
                           series: [LineSeries(name: "train (mean since previous point)", x: curve.map { Double($0.step) }, y: curve.map(\.trainBits), marker: .circle),
                                    LineSeries(name: "validation", x: curve.map { Double($0.step) }, y: curve.map(\.validationBits), marker: .square)],
                           referenceLines: [ReferenceLine(value: baselines.unigram, label: "unigram \(f(baselines.unigram, 2))"),
                                            ReferenceLine(value: baselines.bigram, label: "bigram \(f(baselines.bigram, 2))"),
                                            ReferenceLine(value: baselines.entropyFloor, label: "entropy floor \(f(baselines.entropyFloor, 2))", color: Color(180, 40, 40))]),
                  name: "loss-curve",
                  caption: "Train and validation loss in bits per character against optimizer steps, with the count-based baselines and the corpus's entropy floor.")
    let final = result.final
    let gap = final.validationBits - baselines.entropyFloor
    nb.number("final train loss", final.trainBits, key: "ch02_train_bits_per_char", unit: "bits/char", format: "%.3f")
    nb.number("final validation loss", final.validationBits, key: "ch02_val_bits_per_char", unit: "bits/char", format: "%.3f")
    nb.number("below the bigram baseline by", baselines.bigram - final.validationBits, key: "ch02_below_bigram_bits_per_char", unit: "bits/char", format: "%.3f")
    nb.number("above the entropy floor by", gap, key: "ch02_above_floor_bits_per_char", unit: "bits/char", format: "%.3f")
    try nb.figure(BarChart(title: "Validation loss: count-based baselines, the GPT, and the floor",
                           categories: ["unigram (counts)", "bigram (counts)", "GPT (\(runConfig.steps) steps)", "entropy floor"],
                           series: [BarSeries(name: "bits per character", values: [baselines.unigram, baselines.bigram, final.validationBits, baselines.entropyFloor])],
                           xLabel: "model", yLabel: "validation cross-entropy (bits per character)", showValues: true),
                  name: "validation-vs-baselines",
                  caption: "Lower is better. The GPT uses up to \(gc.context) bytes of context; the bigram uses one; nothing can go below the floor on average.")
    nb.say("""
        The bigram model knows which letters follow which; the GPT, with \(gc.context) bytes of \
        context, can also use the word it is spelling, the names introduced earlier in the story \
        and the shape of the sentence. It ends \(f(gap)) bits per character above the floor: that \
        remainder is what a bigger model, a longer context or more training could still learn \
        (chapter 04 measures how the gap shrinks with size). Samples with temperature 0.8 at \
        several points of training, all from the prompt "\(samplePrompt)":
        """)
    nb.table(headers: ["step", "sample"], rows: result.samples.map { ["\($0.step)", codeSpan($0.text)] })

    nb.say("""
        **Do the samples read as stories?** A simple, checkable test: how many of the words a \
        sample writes are words of the corpus? Below, \(nb.pick(quick: 4, full: 8)) samples of \
        \(nb.pick(quick: 80, full: 240)) characters at temperature 0.8 from the trained GPT, each \
        starting from one of the corpus's three story openings; a word is a run of letters, compared \
        in lower case, and a word cut off by the end of a sample is not counted. For scale, the same \
        count on samples of the bigram model (same openings, same temperature) is the floor, and the \
        corpus itself scores 1 by definition.
        """)
    let vocabulary = corpusVocabulary(String(decoding: data.train, as: UTF8.self))
    let openings = ["Once upon a time, there was ", "Long ago, there lived ", "There once was "]
    let storyCount = nb.pick(quick: 4, full: 8), storyLength = nb.pick(quick: 80, full: 240)
    var storyRNG = nb.rng(6)
    var gptStories: [String] = [], bigramStories: [String] = []
    for i in 0..<storyCount {
        let prompt = openings[i % openings.count]
        var r = storyRNG.fork()
        let text = sampleText(model, prompt: prompt, count: storyLength, rule: .sample(temperature: 0.8, topK: nil), rng: &r)
        gptStories.append(String(text.dropFirst(prompt.count)))
        var rb = storyRNG.fork()
        let b = bigramSample(baselines.counts, prompt: byteIDs(prompt), count: storyLength, rule: .sample(temperature: 0.8, topK: nil), rng: &rb)
        bigramStories.append(printable(Array(b.dropFirst(prompt.count))))
    }
    let gptShare = vocabularyWordShare(gptStories, vocabulary: vocabulary)
    let bigramShare = vocabularyWordShare(bigramStories, vocabulary: vocabulary)
    nb.table(headers: ["#", "GPT sample at τ = 0.8 (opening, then the model's text)"],
             rows: gptStories.indices.map { i in ["\(i + 1)", codeSpan(openings[i % openings.count] + gptStories[i])] })
    nb.number("words of the corpus vocabulary in the GPT's τ = 0.8 samples", gptShare.share, key: "ch02_sample_vocab_word_share",
              unit: "share", text: "\(gptShare.known) of \(gptShare.words) (\(f(100 * gptShare.share, 1)) %)")
    nb.number("the same for the bigram model's samples (floor)", bigramShare.share, key: "ch02_bigram_sample_vocab_word_share",
              unit: "share", text: "\(bigramShare.known) of \(bigramShare.words) (\(f(100 * bigramShare.share, 1)) %)")
    nb.say("""
        A bigram sample for comparison: \(codeSpan(openings[0] + bigramStories[0])). \
        \(gptShare.unknown.isEmpty ? "Every word the GPT wrote is a corpus word." : "The words the GPT made up: " + gptShare.unknown.prefix(12).map { "\"\($0)\"" }.joined(separator: ", ") + ".") \
        \(gptShare.share >= 0.9
            ? "Real words are not yet good stories: the sentences above can still contradict each other or lose track of who is who, which the loss, \(f(gap)) bits per character above the floor, also says."
            : "At this size and length of training most words are still invented; the full run (without --quick) trains a larger model long enough for real words.")
        """)

    nb.say("""
        **Does the model use the names it has read?** Each story introduces its characters by name \
        ("… a green penguin named Mia …") and then mentions them again. At a first mention the model \
        can only guess among the corpus's names; at a later one the name is already in its window. \
        So score the model on the first letter of every name mention in the \(docs.validation) \
        validation stories. Two things mix at a mention: whether a name comes here at all, and \
        which one. After "named " a name must come, while a later mention often starts a sentence, \
        where "Then", "The" or "After that" compete; so besides the raw numbers the table gives \
        the share of the probability on capital letters that goes to the right letter, which asks \
        only "if a capitalised word comes, is it this name?" (sentence starts can only lower it \
        for repeats). A repeat counts only when an earlier mention of the same name is inside the \
        window the model sees.
        """)
    let validationStories = (docs.train..<(docs.train + docs.validation)).map { i -> (text: String, names: [String]) in
        let story = corpus.document(i)
        return (story.text, story.characters)
    }
    let recall = measureNameRecall(stories: validationStories, context: gc.context) { nextByteProbabilities(model, $0) }
    nb.table(headers: ["mention", "count", "first letter is the top choice", "mean probability of the first letter",
                       "its share of the capital letters' probability"], rows: [
        ["first mention", "\(recall.firstMentions)", f(recall.firstAccuracy, 3), f(recall.firstMeanProbability, 3), f(recall.firstMeanCapitalShare, 3)],
        ["repeat (earlier mention in the window)", "\(recall.repeats)", f(recall.repeatAccuracy, 3), f(recall.repeatMeanProbability, 3),
         f(recall.repeatMeanCapitalShare, 3)],
    ])
    nb.number("first-letter accuracy at first mentions", recall.firstAccuracy, key: "ch02_name_first_mention_accuracy", unit: "share", format: "%.3f")
    nb.number("first-letter accuracy at repeated mentions", recall.repeatAccuracy, key: "ch02_name_repeat_accuracy", unit: "share", format: "%.3f")
    nb.number("capital-letter share of the right letter, first mentions", recall.firstMeanCapitalShare,
              key: "ch02_name_first_mention_capital_share", unit: "share", format: "%.3f")
    nb.number("capital-letter share of the right letter, repeats", recall.repeatMeanCapitalShare,
              key: "ch02_name_repeat_capital_share", unit: "share", format: "%.3f")
    nb.say(recall.repeatMeanCapitalShare > 2 * recall.firstMeanCapitalShare
        ? """
            Given that a capitalised word comes, a name already in the window gets \
            \(f(recall.repeatMeanCapitalShare, 2)) of that probability against \
            \(f(recall.firstMeanCapitalShare, 2)) for a name being introduced: the model has learned \
            to carry the story's names forward, which no model with a one-byte context can do. The \
            raw top-choice accuracy is lower at repeats (\(f(recall.repeatAccuracy, 2)) against \
            \(f(recall.firstAccuracy, 2))) because there the model must also guess *whether* a name \
            comes next.
            """
        : """
            A name already in the window does not get clearly more of the capital letters' \
            probability than a new one (\(f(recall.repeatMeanCapitalShare, 2)) against \
            \(f(recall.firstMeanCapitalShare, 2))): by this measure the model has not learned to \
            carry names forward, and the chapter makes no such claim.
            """)

    let posRows = (0..<gc.context).map { Array(model.pos.weight.values[($0 * gc.width)..<(($0 + 1) * gc.width)]) }
    let sims = cosineSimilarities(posRows)
    let near = meanSimilarity(sims) { $0 == 1 }, far = meanSimilarity(sims) { $0 >= gc.context / 4 }
    nb.say("""
        The learned position table started as random vectors. After training, how alike are the \
        vectors of neighbouring positions compared with distant ones (cosine similarity)?
        """)
    nb.number("mean cosine similarity, positions 1 apart", near, key: "ch02_position_similarity_adjacent", unit: "", format: "%.3f")
    nb.number("mean cosine similarity, positions ≥ \(gc.context / 4) apart", far, key: "ch02_position_similarity_distant", unit: "", format: "%.3f")
    try nb.figure(Heatmap(title: "Learned position embeddings after training: cosine similarity",
                          matrix: sims, rowLabels: (0..<gc.context).map { $0 % 16 == 0 ? String($0) : "" },
                          columnLabels: (0..<gc.context).map { $0 % 16 == 0 ? String($0) : "" },
                          xLabel: "position", yLabel: "position", colorBarLabel: "cosine similarity",
                          colormap: .blueRed, range: -1...1, width: 1100, height: 1000),
                  name: "learned-positions",
                  caption: "Cosine similarity between the trained GPT's position vectors; a band along the diagonal means nearby positions got similar codes.")
    nb.say(near > far + 0.15
        ? "Neighbouring positions have become clearly more alike than distant ones (\(f(near, 2)) against \(f(far, 2))): training has given the random table an order, as the sinusoidal table has by construction."
        : "Neighbours are only slightly more alike than distant positions (\(f(near, 3)) against \(f(far, 3)), where a single pair of random width-\(gc.width) vectors scatters by about ± \(f(1 / Double(gc.width).squareRoot(), 2))): the order training has written into the table is weak, and the heat map still looks like its random start. The model leans on other cues for order (the mask, and the text itself) more than on a smooth code of absolute position.")

    // MARK: 7. Sampling
    nb.section("7. Sampling: greedy, temperature, top-k")
    nb.say("""
        The model gives a probability for every possible next byte; a **sampling rule** turns that \
        into one choice. **Greedy** takes the most likely byte every time: deterministic, and prone \
        to loops. **Temperature** τ divides the logits before the softmax: τ < 1 sharpens the \
        distribution towards greedy, τ > 1 flattens it towards uniform. **Top-k** keeps only the k \
        most likely bytes and renormalises, which cuts off the long tail of unlikely bytes that \
        pure sampling sometimes picks. The next-byte distribution after a prompt, under each rule:
        """)
    let prompt7 = "Mia gave Tom a "
    let logits7 = Tensor.noGrad { model([byteIDs(prompt7)]) }.values.suffix(256)
    let l7 = Array(logits7)
    let rules: [(String, Float, Int?)] = [("τ = 1", 1, nil), ("τ = 0.5", 0.5, nil), ("τ = 2", 2, nil), ("τ = 1, top-3", 1, 3)]
    let dists = rules.map { samplingDistribution(l7, temperature: $0.1, topK: $0.2) }
    let top = l7.indices.sorted { l7[$0] != l7[$1] ? l7[$0] > l7[$1] : $0 < $1 }.prefix(6)
    nb.say("Prompt: \"\(prompt7)\" — probability of each next character:")
    nb.table(headers: ["next char"] + rules.map(\.0),
             rows: top.map { id in ["`\(label(id))`"] + dists.map { f($0[id], 3) } })
    let sampleRules: [(String, SamplingRule)] = [("greedy", .greedy), ("τ = 0.5", .sample(temperature: 0.5, topK: nil)),
                                                 ("τ = 1", .sample(temperature: 1, topK: nil)), ("τ = 1.5", .sample(temperature: 1.5, topK: nil)),
                                                 ("τ = 1.5, top-5", .sample(temperature: 1.5, topK: 5))]
    var sampleRNG = nb.rng(7)
    let sampleLength = nb.pick(quick: 60, full: 200)
    nb.table(headers: ["rule", "sample (prompt \"\(samplePrompt)\")"], rows: sampleRules.map { name, rule in
        var r = sampleRNG.fork()
        return [name, codeSpan(sampleText(model, prompt: samplePrompt, count: sampleLength, rule: rule, rng: &r))]
    })
    nb.say("""
        (A `·` marks a byte that is not printable ASCII: at high temperature the model sometimes \
        picks one of the 200 byte values that never occur in the corpus.) Greedy and low temperatures stick to the most common phrases (and greedy can get stuck \
        repeating one); high temperatures pick from the tail of unlikely bytes more often, which is \
        where misspelled words come from; top-k cuts that tail off again while keeping variety.
        """)

    // MARK: 8. KV cache
    nb.section("8. Generating faster with a KV cache")
    nb.say("""
        Generating n tokens naively reruns the whole prefix through the model for every new token: \
        about n²/2 positions of work. But with the causal mask, the keys and values of earlier \
        positions never change when a token is appended. So a **KV cache** keeps every layer's keys \
        and values, and each new token costs one position: its query against the cached keys. The \
        output must be the same — same tokens, same logits up to float rounding (the cache sums in \
        a different order).
        """)
    let genCount = gc.context - byteIDs(samplePrompt).count + 1
    let cmp = compareCachedGeneration(model, prompt: byteIDs(samplePrompt), count: genCount,
                                      rule: .sample(temperature: 1, topK: nil), seed: nb.seed &+ 8)
    nb.number("tokens generated each way", genCount, key: "ch02_cache_tokens_generated", unit: "count")
    let promptLength = byteIDs(samplePrompt).count
    nb.number("generated tokens identical with and without the cache",
              zip(cmp.cachedTokens.dropFirst(promptLength), cmp.uncachedTokens.dropFirst(promptLength)).filter { $0 == $1 }.count,
              key: "ch02_cache_identical_tokens", unit: "count")
    nb.number("largest |logit difference| (cache vs full forward)", cmp.maxLogitDifference, key: "ch02_cache_max_logit_difference", unit: "", format: "%.1e")
    nb.number("largest |logit| (the scale)", cmp.maxLogit, key: "ch02_cache_max_logit", unit: "", format: "%.1f")
    nb.number("positions computed without the cache", cmp.uncachedPositions, key: "ch02_cache_positions_uncached", unit: "count")
    nb.number("positions computed with the cache", cmp.cachedPositions, key: "ch02_cache_positions_cached", unit: "count")
    if cmp.maxLogitDifference == 0 {
        nb.say("""
            The logits agree exactly here: the cache's loop happens to add the same numbers in the \
            same order as the engine's matrix kernel. A kernel that splits its sums differently \
            (a faster one will) gives differences of the order of float32 rounding, about 1e-6 of \
            the logit scale, and the same tokens.
            """)
    } else {
        nb.say("""
            The difference is \(String(format: "%.1e", cmp.maxLogitDifference / max(1, cmp.maxLogit))) of \
            the logit scale: float32 rounding from adding in a different order, not a different \
            computation.
            """)
    }
    let ratio = Double(cmp.uncachedPositions) / Double(cmp.cachedPositions)
    let reps = nb.pick(quick: 3, full: 5)
    nb.say("""
        The cache computes \(f(ratio, 1))× fewer positions, but on a CPU it does not run \(f(ratio, 1))× \
        faster, and the reason is measurable. Time is spent per *call*, not only per position. A \
        full forward pass over T positions multiplies a T-row matrix by each weight matrix: every \
        weight is loaded once and used T times, the matrix kernel runs in SIMD tiles on all cores, \
        and the fixed cost of each of the model's operations (allocating its output, setting up the \
        kernel, recording it) is paid once for all T rows. A cached step pushes *one* row through \
        the same operations: every weight is loaded to be used once, the work per call is too \
        small to split across cores, and the fixed costs are paid for that single position. So a \
        position costs much more inside a cached step than inside a long forward pass. Four timings \
        (listed with the other timings at the end of this report, since they depend on the \
        machine) separate the two effects:

        1. generating \(genCount) tokens \(reps) times without the cache, and 2. with it: the \
        overall speed-up;
        3. as many forward passes of a single position (a whole-model call on a 1-token input): \
        what a position costs when it travels alone;
        4. as many positions inside \(gc.context)-position forward passes: what a position costs \
        inside a batch.

        Read them as three ratios. (1) ÷ (2) is the speed-up the cache gives. (3) ÷ (4) is what a \
        position costs alone rather than inside a batch: the per-call overhead and matrix–vector \
        instead of matrix–matrix products described above; it divides the saving in positions. \
        (2) − (3) is what the cache's own code adds on top: the engine's cache \
        (`Sources/Models/GPT/Generation.swift`) appends each new key and value to Swift arrays and \
        runs every head's attention over the cached positions as plain scalar loops, written to be \
        read rather than fast; a cache that used the engine's SIMD kernels would close most of \
        that gap. (On a GPU the batch advantage is larger still, which is why servers batch many \
        users' cached steps together.)
        """)
    let timing = measureCacheCosts(model, prompt: byteIDs(samplePrompt), count: genCount, repeats: reps)
    nb.timing("1. generate \(timing.n) tokens, no cache", seconds: timing.uncached)
    nb.timing("2. generate \(timing.n) tokens, KV cache", seconds: timing.cached)
    nb.timing("3. \(timing.n) forward passes of 1 position", seconds: timing.singlePositions)
    nb.timing("4. \(timing.n) positions inside \(gc.context)-position forward passes", seconds: timing.batchedPositions)

    // MARK: 9. Attention maps
    nb.section("9. What the trained heads attend to")
    nb.say("""
        Pictures invite stories, so measure first. For each of the \(gc.layers * gc.heads) heads, \
        average over \(nb.pick(quick: 8, full: 32)) validation windows how much weight a query puts \
        on a few candidate targets: the previous character, itself, the first letter of the word \
        it is in, the last space, every capital letter so far (names and sentence starts, usually \
        the subject), and the first position of the window. Each number is compared with a head \
        that spreads its attention evenly over the visible positions ("chance"); the difference is \
        the head's **lift** for that pattern.

        **The naming rule.** A head is named after a pattern only when that pattern clearly \
        dominates: its lift is at least \(f(HeadNamingRule().minimumLift, 2)) (the head puts at least \
        that much more weight there than chance) *and* it leads the head's second-best pattern by at \
        least \(f(HeadNamingRule().minimumLead, 2)). A head that does several things about equally, \
        or nothing much, stays unnamed rather than getting a label that rests on a near tie.
        """)
    let windows = data.validationBatches(count: 1, batch: nb.pick(quick: 8, full: 32), length: gc.context).first!.inputs
    let scores = measureHeads(model, sequences: windows)
    let names = headNames(scores)
    let patterns = AttentionPattern.all
    var headRows: [[String]] = []
    for l in 0..<gc.layers {
        for h in 0..<gc.heads {
            let s = scores[l][h]
            let order = s.indices.sorted { s[$0].lift > s[$1].lift }
            headRows.append(["\(l + 1)", "\(h + 1)"] + s.map { f($0.lift, 2) }
                            + [f(s[order[0]].lift - s[order[1]].lift, 2), names[l][h] ?? "—"])
        }
    }
    nb.table(headers: ["layer", "head"] + patterns.map { "lift: \($0.name)" } + ["lead over 2nd", "named"], rows: headRows)
    let meaning: [String: String] = [
        "previous char": "looks at the character just before: with the current character that is a bigram inside the model, the first thing a character model learns",
        "same char": "looks at the current character itself, passing its identity on to later layers",
        "start of word": "looks back to the first letter of the word being spelled, which tells the model which word it is in",
        "last space": "looks back to the last space, i.e. to where the current word began, and so to how long it is so far",
        "capitals": "looks at capital letters: the names of the story's characters and the starts of sentences, which is how the model can carry a name forward",
        "first position": "parks its weight on the first position of the window, a sign that it has nothing useful to do for most queries (softmax must put the weight somewhere)",
    ]
    var found: [String] = []
    for (p, pattern) in patterns.enumerated() {
        let heads = (0..<gc.layers).flatMap { l in (0..<gc.heads).compactMap { h in names[l][h] == pattern.name ? (l, h) : nil } }
        if heads.isEmpty { continue }
        let list = heads.map { l, h in
            "layer \(l + 1) head \(h + 1) (\(f(scores[l][h][p].weight, 2)) against \(f(scores[l][h][p].uniform, 2)) by chance)"
        }.joined(separator: ", ")
        found.append("- **\(pattern.name)** — \(list): \(meaning[pattern.name] ?? "").")
    }
    let namedCount = names.flatMap { $0 }.compactMap { $0 }.count
    nb.number("heads with a clearly dominant pattern", namedCount, key: "ch02_named_heads", unit: "count")
    nb.say("\(namedCount) of \(gc.layers * gc.heads) heads pass the rule:" + (found.isEmpty ? " none." : "\n\n" + found.joined(separator: "\n")))
    nb.say("""
        The patterns overlap: for the second letter of a word the previous character *is* the start \
        of the word, so a previous-character head also scores on "start of word" (the lead column \
        is there to catch exactly this). \
        \(namedCount < gc.layers * gc.heads ? "The unnamed heads spread their attention or mix habits that these six simple patterns do not capture. " : "")\
        And a head can do different things for different kinds of query (letters, spaces, \
        punctuation), which an average over all queries hides.
        """)

    let story = corpus.document(docs.train + 1).text
    let secondSentence = story.range(of: ". ").map { story[$0.upperBound...] }.map(String.init) ?? story
    let mapIDs = Array(byteIDs(secondSentence).prefix(nb.pick(quick: 16, full: 24)))
    let maps = attentionMaps(model, ids: mapIDs)
    let labels = mapIDs.map(label)
    let shownHeads = mostPatternedHeads(scores, count: 4)
    nb.say("""
        The maps of the \(shownHeads.count) heads with the largest lift, on the start of the second \
        sentence of a validation story ("\(printable(mapIDs))"). Row = the character doing the \
        looking (query), column = the character looked at (key); each row sums to 1, and everything \
        right of the diagonal is 0 because of the mask. Spaces are drawn as `_`.
        """)
    let panels: [any Chart] = shownHeads.map { l, h in
        Heatmap(title: "layer \(l + 1), head \(h + 1)\(names[l][h].map { ": " + $0 } ?? "")", matrix: rows(maps[l][h], mapIDs.count),
                rowLabels: labels, columnLabels: labels, xLabel: "key (looked at)", yLabel: "query", colorBarLabel: "weight", range: 0...1)
    }
    try nb.figure(Figure(title: "Attention maps of the trained GPT: the \(shownHeads.count) most patterned heads", rows: 2, columns: 2,
                         panels: panels, width: 1800, height: 1700),
                  name: "attention-maps", caption: "Four heads of the trained GPT on one sentence: rows are queries, columns keys, colour the attention weight. Titles give the head's name when it passes the naming rule.")

    nb.section("Summary")
    nb.say("""
        Attention is a softmax-weighted average of values, with weights from query–key dot \
        products scaled by 1/√d. The causal mask makes it usable for next-token prediction; heads \
        let a layer attend to several things at once and the output projection mixes them; \
        position embeddings give it order. Stacked in pre-LN residual blocks with MLPs, it makes a \
        GPT, which pre-training on next-byte prediction took from \
        \(f(result.curve[0].validationBits, 2)) to \(f(final.validationBits, 2)) bits per character \
        on unseen stories: \(f(baselines.bigram - final.validationBits, 2)) below the bigram model \
        and \(f(gap, 2)) above the entropy floor.
        """)
}
