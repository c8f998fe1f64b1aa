// Chapter 02: attention, from one query to a small GPT pre-trained on stories.
// The steps live in Steps/ (module Ch02Attention, tested in Tests/Ch02AttentionTests); this file
// narrates them in order and writes the figures and report to Figures/02-attention.
import Ch02Attention
import Datasets
import Engine
import Foundation
import Models
import Notebook
import Plot

/// A float with a fixed number of decimals, for tables.
func f(_ x: Float, _ digits: Int = 3) -> String { String(format: "%.\(digits)f", x) }
func f(_ x: Double, _ digits: Int = 3) -> String { String(format: "%.\(digits)f", x) }
/// A short vector as "[a, b, c]".
func vec(_ v: [Float], _ digits: Int = 2) -> String { "[" + v.map { f($0, digits) }.joined(separator: ", ") + "]" }
/// A character as a readable axis label (space as "_", newline as "/").
func label(_ id: Int) -> String { id == 32 ? "_" : id == 10 ? "/" : printable([id]) }
/// Text as a markdown code span; double backticks let a generated sample contain a single one.
func codeSpan(_ s: String) -> String { s.contains("`") ? "`` \(s) ``" : "`\(s)`" }
/// A matrix given as row-major floats, as rows.
func rows(_ flat: [Float], _ n: Int) -> [[Float]] { (0..<n).map { Array(flat[($0 * n)..<(($0 + 1) * n)]) } }

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
    nb.number("query of \"sat\"", text: vec(WorkedExample.query, 0))
    nb.table(headers: ["token", "key kⱼ", "value vⱼ", "score q·kⱼ", "scaled q·kⱼ/√4", "weight (softmax)"],
             rows: WorkedExample.tokens.indices.map { j in
                 [WorkedExample.tokens[j], vec(WorkedExample.keys[j], 0), vec(WorkedExample.values[j], 0),
                  f(ex.scores[j], 0), f(ex.scaled[j], 2), f(ex.weights[j], 3)]
             })
    nb.number("output Σ weightⱼ·vⱼ", text: vec(ex.output, 3))
    nb.say("""
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
    var scaleRows: [[String]] = []
    for d in [4, 64, 512] {
        var spreadRaw = 0.0, maxRaw = 0.0, maxScaled = 0.0
        let trials = 1000
        for _ in 0..<trials {
            let q = (0..<d).map { _ in scaleRNG.normal() }
            let keys = (0..<16).map { _ in (0..<d).map { _ in scaleRNG.normal() } }
            let values = keys.map { _ in [Float(0)] }
            let r = attendOne(query: q, keys: keys, values: values)
            let mean = r.scores.reduce(0, +) / 16
            spreadRaw += Double(r.scores.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / 16).squareRoot()
            maxRaw += Double(softmax(r.scores).max()!)
            maxScaled += Double(r.weights.max()!)
        }
        scaleRows.append([String(d), f(spreadRaw / Double(trials), 2), f(Float(d).squareRoot(), 2),
                          f(maxRaw / Double(trials), 3), f(maxScaled / Double(trials), 3)])
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
    nb.number("largest change at earlier positions, no mask", leakOpen, format: "%.3f")
    nb.number("largest change at earlier positions, causal mask", leakCausal, format: "%.3f")

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
    nb.number("largest |head-by-head − module| over the output", moduleGap, format: "%.1e")
    nb.table(headers: ["head", "query \"mat\" attends to (weights over the 6 tokens)", "RMS of its contribution after proj"],
             rows: (0..<2).map { h in
                 ["\(h + 1)", vec(Array(trace.weights[h].values[(5 * t2)..<(6 * t2)]), 2), f(trace.contributionRMS[h], 3)]
             })
    nb.number("parameters of this layer: qkv (3d² + 3d) + proj (d² + d), d = 8", layer.parameterCount)

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
    nb.number("permutation used (row i takes input row …)", text: perm.map(String.init).joined(separator: " "))
    nb.number("max |attn(shuffled x) − shuffled attn(x)|, no positions", gapPlain, format: "%.1e")
    nb.number("the same with sinusoidal positions added", gapPos, format: "%.3f")
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
    let table = sinusoidalPositions(count: 64, dim: 32)
    try nb.figure(Heatmap(title: "Sinusoidal position table: 64 positions × 32 features",
                          matrix: table, rowLabels: (0..<64).map { $0 % 8 == 0 ? String($0) : "" },
                          columnLabels: (0..<32).map { $0 % 4 == 0 ? String($0) : "" },
                          xLabel: "feature (columns 2i, 2i+1: sin and cos of p × 10000^(−2i/32))", yLabel: "position p",
                          colorBarLabel: "value", colormap: .blueRed, range: -1...1, width: 1200, height: 1400),
                  name: "sinusoidal-positions",
                  caption: "Left columns oscillate fast along the positions, right columns slowly: together they give every position its own code.")

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
    nb.say("""
        At this small width the embeddings and the head are a large share; in big models the \
        blocks' 12d² per layer dominate, which is why scaling laws count the non-embedding \
        parameters (chapter 04).
        """)

    // MARK: 6. Pre-training
    nb.section("6. Self-supervised pre-training on the story corpus")
    let docs = ChapterRun.documents(quick: nb.quick)
    let corpus = StoryCorpus(seed: nb.seed)
    let data = ByteCorpus(corpus: corpus, trainDocuments: docs.train, validationDocuments: docs.validation)
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
    nb.number("training bytes", data.train.count)
    nb.number("validation bytes", data.validation.count)
    nb.say("""
        Three reference lines, all on the same validation bytes. Count-based models fitted on the \
        training bytes: the **unigram** (byte frequencies, no context) and the **bigram** (the \
        previous byte as context), both with add-one smoothing. And the **entropy floor**: the \
        corpus is generated by a known random program, so the true entropy rate of its text is \
        known. On average no model can do better: the remaining uncertainty is the story's own \
        randomness (which name, which colour, which event comes next).
        """)
    nb.number("unigram baseline (bits/char)", baselines.unigram, format: "%.3f")
    nb.number("bigram baseline (bits/char)", baselines.bigram, format: "%.3f")
    nb.number("entropy floor (bits/char, ± standard error)", text: "\(f(baselines.entropyFloor)) ± \(f(baselines.entropyStandardError))")
    nb.say("""
        Training uses **AdamW** (Adam with weight decay applied directly to the weights), a \
        learning rate that rises linearly for \(runConfig.warmup) steps (**warmup**: Adam's early \
        moment estimates are noisy, and large steps then can wreck the initialisation) and then \
        follows a **cosine** down to a tenth of its peak, and gradient clipping at norm \
        \(f(runConfig.clip, 1)). Each step takes \(runConfig.batch) random windows from the training \
        bytes.
        """)
    nb.table(headers: ["setting", "value"], rows: [
        ["model", gc.description],
        ["batch", "\(runConfig.batch) windows × \(gc.context) bytes = \(runConfig.batch * gc.context) predictions"],
        ["steps", "\(runConfig.steps)"],
        ["learning rate", "0 → \(runConfig.learningRate) over \(runConfig.warmup) steps, cosine to \(runConfig.minLR)"],
        ["weight decay", "\(runConfig.weightDecay)"],
        ["validation", "\(runConfig.validationBatches * runConfig.batch) fixed windows (\(runConfig.validationBatches * runConfig.batch * gc.context) bytes)"],
    ])
    let samplePrompt = "Once upon a time"
    let result = try nb.timed("pre-training (\(runConfig.steps) steps)") {
        var bar = nb.progress(0..<runConfig.steps, label: "pre-training").makeIterator()
        return try pretrain(runConfig, data: data, samplePrompt: samplePrompt, sampleLength: nb.pick(quick: 60, full: 160),
                            seed: nb.seed) { _ in _ = bar.next() }
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
        why it sits slightly above validation). The last column shows how far the weights have \
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
    nb.number("final train loss (bits/char)", final.trainBits, format: "%.3f")
    nb.number("final validation loss (bits/char)", final.validationBits, format: "%.3f")
    nb.number("below the bigram baseline by (bits/char)", baselines.bigram - final.validationBits, format: "%.3f")
    nb.number("above the entropy floor by (bits/char)", gap, format: "%.3f")
    try nb.figure(BarChart(title: "Validation loss: count-based baselines, the GPT, and the floor",
                           categories: ["unigram (counts)", "bigram (counts)", "GPT (\(runConfig.steps) steps)", "entropy floor"],
                           series: [BarSeries(name: "bits per character", values: [baselines.unigram, baselines.bigram, final.validationBits, baselines.entropyFloor])],
                           xLabel: "model", yLabel: "validation cross-entropy (bits per character)", showValues: true),
                  name: "validation-vs-baselines",
                  caption: "Lower is better. The GPT uses up to \(gc.context) bytes of context; the bigram uses one; nothing can go below the floor on average.")
    nb.say("""
        The bigram model knows which letters follow which; the GPT, with \(gc.context) bytes of \
        context, also knows which word it is spelling, that a name seen earlier will come back, and \
        how sentences are built. It ends \(f(gap)) bits per character above the floor: that \
        remainder is what a bigger model, a longer context or more training could still learn \
        (chapter 04 measures how the gap shrinks with size). Samples with temperature 0.8 at \
        several points of training, all from the prompt "\(samplePrompt)":
        """)
    nb.table(headers: ["step", "sample"], rows: result.samples.map { ["\($0.step)", codeSpan($0.text)] })

    let posRows = (0..<gc.context).map { Array(model.pos.weight.values[($0 * gc.width)..<(($0 + 1) * gc.width)]) }
    let sims = cosineSimilarities(posRows)
    func meanSimilarity(_ keep: (Int) -> Bool) -> Double {
        var s = 0.0, n = 0
        for i in 0..<gc.context { for j in 0..<gc.context where i != j && keep(abs(i - j)) { s += Double(sims[i][j]); n += 1 } }
        return s / Double(max(n, 1))
    }
    let near = meanSimilarity { $0 == 1 }, far = meanSimilarity { $0 >= gc.context / 4 }
    nb.say("""
        The learned position table started as random vectors. After training, how alike are the \
        vectors of neighbouring positions compared with distant ones (cosine similarity)?
        """)
    nb.number("mean cosine similarity, positions 1 apart", near, format: "%.3f")
    nb.number("mean cosine similarity, positions ≥ \(gc.context / 4) apart", far, format: "%.3f")
    try nb.figure(Heatmap(title: "Learned position embeddings after training: cosine similarity",
                          matrix: sims, rowLabels: (0..<gc.context).map { $0 % 8 == 0 ? String($0) : "" },
                          columnLabels: (0..<gc.context).map { $0 % 8 == 0 ? String($0) : "" },
                          xLabel: "position", yLabel: "position", colorBarLabel: "cosine similarity",
                          colormap: .blueRed, range: -1...1, width: 1100, height: 1000),
                  name: "learned-positions",
                  caption: "Cosine similarity between the trained GPT's position vectors; a band along the diagonal means nearby positions got similar codes.")
    nb.say(near > far + 0.05
        ? "Neighbouring positions have become more alike than distant ones: training has given the random table an order, as the sinusoidal table has by construction."
        : "The table is still close to its random start: with this little training the model leans on other cues (the mask, and the text itself) more than on absolute position.")

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
    nb.number("tokens generated each way", genCount)
    nb.number("identical tokens with and without the cache", text: cmp.cachedTokens == cmp.uncachedTokens ? "yes" : "NO")
    nb.number("largest |logit difference| (cache vs full forward)", cmp.maxLogitDifference, format: "%.1e")
    nb.number("largest |logit| (the scale)", cmp.maxLogit, format: "%.1f")
    nb.number("positions computed without the cache", cmp.uncachedPositions)
    nb.number("positions computed with the cache", cmp.cachedPositions)
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
    nb.say("""
        How much faster the cache is depends on the machine, so the two generation times are \
        listed with the other timings at the end of this report; the count of positions above is \
        the part that does not depend on the machine.
        """)
    let reps = nb.pick(quick: 5, full: 20)
    nb.timed("generate \(genCount) tokens × \(reps), no cache") {
        for r in 0..<reps { var g = RNG(seed: UInt64(r)); _ = model.generate(prompt: byteIDs(samplePrompt), count: genCount, rule: .greedy, rng: &g) }
    }
    nb.timed("generate \(genCount) tokens × \(reps), KV cache") {
        for r in 0..<reps { var g = RNG(seed: UInt64(r)); _ = model.generateCached(prompt: byteIDs(samplePrompt), count: genCount, rule: .greedy, rng: &g) }
    }

    // MARK: 9. Attention maps
    nb.section("9. What the trained heads attend to")
    let story = corpus.document(docs.train + 1).text
    let secondSentence = story.range(of: ". ").map { story[$0.upperBound...] }.map(String.init) ?? story
    let mapIDs = Array(byteIDs(secondSentence).prefix(nb.pick(quick: 24, full: 32)))
    let maps = attentionMaps(model, ids: mapIDs)
    let labels = mapIDs.map(label)
    nb.say("""
        Every layer and head of the trained model on the second sentence of a validation story \
        ("\(printable(mapIDs))"). Row = the character doing the looking (query), column = the \
        character looked at (key); each row sums to 1, and everything right of the diagonal is 0 \
        because of the mask. Spaces are drawn as `_`.
        """)
    var panels: [any Chart] = []
    for (l, layerMaps) in maps.enumerated() {
        for (h, m) in layerMaps.enumerated() {
            panels.append(Heatmap(title: "layer \(l + 1), head \(h + 1)", matrix: rows(m, mapIDs.count), rowLabels: labels,
                                  columnLabels: labels, xLabel: "key (looked at)", yLabel: "query", colorBarLabel: "weight", range: 0...1))
        }
    }
    try nb.figure(Figure(title: "Attention maps of the trained GPT, layers × heads", rows: gc.layers, columns: gc.heads, panels: panels,
                         width: 1000 * gc.heads, height: 960 * gc.layers + 80),
                  name: "attention-maps", caption: "Each panel is one head: rows are queries, columns keys, colour the attention weight.")
    nb.say("""
        Pictures invite stories, so measure instead. For each head, average over \
        \(nb.pick(quick: 8, full: 32)) validation windows how much weight a query puts on a few \
        candidate targets: the previous character, itself, the first letter of the word it is in, \
        the last space, every capital letter so far (names and sentence starts, usually the \
        subject), and the first position of the window. Each number is compared with a head that \
        spreads its attention evenly over the visible positions (the "chance" column for the \
        best pattern); a head is named after the pattern it beats chance by most, if by at least 0.1.
        """)
    let windows = data.validationBatches(count: 1, batch: nb.pick(quick: 8, full: 32), length: gc.context).first!.inputs
    let scores = measureHeads(model, sequences: windows)
    let names = headNames(scores)
    let patterns = AttentionPattern.all
    var headRows: [[String]] = []
    for l in 0..<gc.layers {
        for h in 0..<gc.heads {
            let s = scores[l][h]
            let best = s.indices.max { s[$0].lift < s[$1].lift }!
            headRows.append(["\(l + 1)", "\(h + 1)"] + s.map { f($0.weight, 2) } + [f(s[best].uniform, 2), names[l][h] ?? "(spread out)"])
        }
    }
    nb.table(headers: ["layer", "head"] + patterns.map(\.name) + ["chance (best)", "named"], rows: headRows)
    let meaning: [String: String] = [
        "previous char": "looks at the character just before: with the current character that is a bigram inside the model, the first thing a character model learns",
        "same char": "looks at the current character itself, passing its identity on to later layers",
        "start of word": "looks back to the first letter of the word being spelled, which tells the model which word it is in",
        "last space": "looks back to the last space, i.e. to where the current word began, and so to how long it is so far",
        "capitals": "looks at capital letters: the names of the story's characters and the starts of sentences, which is how the model can carry a name (often the subject) forward",
        "first position": "parks its weight on the first position of the window, a sign that it has nothing useful to do for most queries (softmax must put the weight somewhere)",
    ]
    var found: [String] = []
    for pattern in patterns {
        let heads = (0..<gc.layers).flatMap { l in (0..<gc.heads).compactMap { h in names[l][h] == pattern.name ? (l, h) : nil } }
        if heads.isEmpty { continue }
        let list = heads.map { l, h in
            let p = patterns.firstIndex { $0.name == pattern.name }!
            return "layer \(l + 1) head \(h + 1) (\(f(scores[l][h][p].weight, 2)) against \(f(scores[l][h][p].uniform, 2)) by chance)"
        }.joined(separator: ", ")
        found.append("- **\(pattern.name)** — \(list): \(meaning[pattern.name] ?? "").")
    }
    let namedCount = names.flatMap { $0 }.compactMap { $0 }.count
    nb.say("\(namedCount) of \(gc.layers * gc.heads) heads have a clear habit by this measure:" + (found.isEmpty ? " none." : "\n\n" + found.joined(separator: "\n")))
    nb.say("""
        The patterns overlap: for the second letter of a word the previous character *is* the start \
        of the word, so a previous-character head also scores on "start of word". \
        \(namedCount < gc.layers * gc.heads ? "The unnamed heads spread their attention or mix habits that these six simple patterns do not capture. " : "")\
        And a head can do different things for different kinds of query (letters, spaces, \
        punctuation), which an average over all queries hides.
        """)

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
