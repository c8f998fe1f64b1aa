// Chapter 01: from text to bytes, tokens and learned vectors, narrated cell by cell.
import Ch01Tokens
import Datasets
import Engine
import Foundation
import Notebook
import Plot

/// Fifteen colours for the corpus's categories. Markers cycle circle, square, triangle with the
/// category index, so the five categories sharing a marker get five clearly different colours.
/// Eight colours that stay apart on a projector and for colour-blind readers (Okabe–Ito without
/// its yellow, plus a brown), each paired with one of four marker shapes in the PCA figure.
let categoryColors: [Color] = [
    Color(213, 94, 0), Color(0, 114, 178), Color(230, 159, 0), Color(0, 158, 115),  // vermillion ●, blue ■, orange ▲, green ◆
    Color(0, 0, 0), Color(204, 121, 167), Color(86, 180, 233), Color(140, 80, 20),   // black ●, pink ■, sky ▲, brown ◆
]


Notebook.run(number: 1, slug: "tokens", title: "Tokens and embeddings") { nb in
    let corpus = StoryCorpus(seed: nb.seed)

    // MARK: 1. Bytes
    nb.section("1. Text is stored as bytes, not letters")
    nb.say("""
    A language model never sees letters. It sees a list of integers, and the first question of the \
    course is which integers. Computers store text as Unicode: every character is one or more \
    *scalars* (code points such as U+0041 for `A`), and every scalar is written as one to four \
    *bytes* in UTF-8. Three counts of "length" therefore disagree as soon as a text leaves ASCII. \
    Here is a sentence with an accent written as a separate combining mark, a Japanese word and two emoji.
    """)
    let sample = "Mia said cafe\u{301} \u{6771}\u{4EAC} \u{1F98A}\u{1F44B}\u{1F3FD}!"
    nb.code("let sample = \"\(sample)\"\nsample.count, sample.unicodeScalars.count, sample.utf8.count")
    let counts = textCounts(sample)
    nb.number("characters (what a reader counts)", counts.characters, key: "ch01_sample_characters", unit: "count")
    nb.number("Unicode scalars", counts.scalars, key: "ch01_sample_scalars", unit: "count")
    nb.number("UTF-8 bytes", counts.bytes, key: "ch01_sample_bytes", unit: "count")
    let units = characterUnits(sample).filter { $0.bytes.count > 1 || $0.scalars.count > 1 }
    nb.table(headers: ["character", "scalars", "UTF-8 bytes (hex)", "bytes"],
             rows: units.map { ["\($0.character)", $0.scalarCodes, $0.byteCodes, "\($0.bytes.count)"] })
    nb.say("""
    The accented `é` is one character but two scalars (`e` plus a combining accent); the waving hand \
    with a skin tone is one character, two scalars and eight bytes. A model that worked on characters \
    would need a vocabulary of every character ever written (about 150,000 scalars, plus combinations). \
    A model that works on bytes needs exactly 256 symbols and can read any text at all, but sequences \
    get long: English is one byte per letter, and attention cost grows with length. *Tokens* are the \
    compromise: frequent byte sequences become single symbols, and rare text falls back to bytes.
    """)

    // MARK: 2. BPE
    nb.section("2. Byte-level BPE learns which byte sequences deserve a symbol")
    let trainDocs = nb.pick(quick: 500, full: 2000), heldDocs = nb.pick(quick: 100, full: 300)
    let data = TokenizerData(corpus: corpus, trainDocuments: trainDocs, heldOutDocuments: heldDocs)
    nb.say("""
    Byte-pair encoding (BPE) starts from the 256 byte tokens and repeats one rule: **count every pair \
    of adjacent tokens in the training text and merge the most frequent pair into a new token**. The \
    text is first cut into pieces at word boundaries (GPT-2's pre-tokenizer, which keeps a leading \
    space with its word), and pairs never cross pieces, so tokens are words or parts of words, often \
    with their space. The merge list, in order, *is* the tokenizer: to encode new text, apply the \
    same merges in the same order. The corpus is the course's procedural story corpus \
    (`StoryCorpus`, seed \(nb.seed)); the tokenizer is trained on its first \(trainDocs) documents.
    """)
    nb.number("training text", data.train.utf8.count, key: "ch01_training_bytes", unit: "count")
    nb.number("held-out text", data.heldOut.utf8.count, key: "ch01_held_out_bytes", unit: "count")
    let mainVocab = 600
    let tokenizer = nb.timed("train BPE (600 tokens)") { BPETokenizer.train(text: data.train, vocabSize: mainVocab) }
    nb.code("let tokenizer = BPETokenizer.train(text: trainingText, vocabSize: \(mainVocab))")
    nb.say("The first merges, written with `tokenString` (`·` is a space, `↵` a newline):")
    let merges = mergeRows(tokenizer, count: 20)
    nb.table(headers: ["rank", "left", "right", "new token", "id"],
             rows: merges.map { ["\($0.rank)", $0.left, $0.right, $0.result, "\($0.id)"] })
    nb.say("""
    The first merges join the most common letter pairs and a space to the letters that most often \
    start a word; soon whole frequent words (`·the`, `·was`) become one token. Encoding a sentence \
    from a held-out story and one the corpus never writes:
    """)
    let heldSentence = String(data.heldOut.prefix { $0 != "." }) + "."
    for sentence in [heldSentence, "The zebra juggled quantum pancakes \u{1F98A}."] {
        let ids = tokenizer.encode(sentence)
        nb.code("tokenizer.encode(\"\(sentence)\")")
        nb.output("ids:    \(ids.map(String.init).joined(separator: " "))\ntokens: \(ids.map { tokenizer.tokenString($0) }.joined(separator: " | "))\ndecode: \(tokenizer.decode(ids))")
    }
    nb.say("""
    Words the corpus uses a lot are single tokens; unusual words are spelled from smaller pieces, and \
    the emoji, never seen in training, falls back to its four raw bytes. Nothing is ever "unknown", \
    and `decode(encode(text))` gives the text back exactly.
    """)

    // MARK: 3. Compression
    nb.section("3. A bigger vocabulary compresses better, up to a point")
    nb.say("""
    More merges mean fewer, longer tokens. We measure *bytes per token* on held-out text the \
    tokenizer never saw (\(heldDocs) other documents), for growing vocabulary sizes. Asking for a \
    huge vocabulary shows where this corpus runs out: once every word form (with and without its \
    leading space) is a single token, no pair is left to merge and the vocabulary closes.
    """)
    let sizes = nb.pick(quick: [256, 300, 400, 600, 1000, 100_000], full: [256, 300, 400, 600, 800, 1000, 1200, 1400, 100_000])
    let sweep = nb.timed("compression sweep") { compressionSweep(data, sizes: sizes) }
    nb.table(headers: ["vocabulary asked", "vocabulary reached", "held-out tokens", "bytes per token"],
             rows: sweep.map { ["\($0.requestedVocab == 100_000 ? "no limit" : "\($0.requestedVocab)")", "\($0.vocab)", "\($0.tokens)", f($0.bytesPerToken)] })
    let closed = sweep.last!
    nb.number("vocabulary at which the corpus closes", closed.vocab, key: "ch01_closed_vocab", unit: "count")
    nb.number("bytes per token at 600 tokens", sweep.first { $0.requestedVocab == 600 }!.bytesPerToken,
              key: "ch01_bytes_per_token_600", unit: "bytes/token", format: "%.3f")
    nb.number("bytes per token with the closed vocabulary", closed.bytesPerToken, key: "ch01_bytes_per_token_closed", unit: "bytes/token", format: "%.3f")
    var compression = LinePlot(title: "Compression against vocabulary size (held-out stories)",
                               xLabel: "vocabulary size (tokens)", yLabel: "bytes per token",
                               series: [LineSeries(name: "BPE on held-out text", x: sweep.map { Double($0.vocab) },
                                                   y: sweep.map(\.bytesPerToken), marker: .circle)],
                               referenceLines: [ReferenceLine(value: 1, label: "raw bytes", dashed: true)])
    compression.yAxis.includeZero = true
    try nb.figure(compression, name: "compression", caption: "Bytes per token on held-out stories against vocabulary size; the last point is the closed vocabulary.")
    nb.say("""
    The gain is steep for the first few hundred merges (common words become single tokens) and then \
    flattens: each new merge covers rarer text. Real tokenizers face the same trade-off at a larger \
    scale (GPT-2 uses 50,257 tokens): a bigger vocabulary gives shorter sequences but a bigger \
    embedding table and fewer training examples per token.
    """)
    let heldIDs = tokenizer.encode(data.heldOut)
    // Shares, not counts: the vocabulary has a few hundred tokens, the encoded text thousands.
    func shares(_ lengths: [Int]) -> [Double] {
        var c = [Double](repeating: 0, count: 12)
        for l in lengths { c[min(l, 12) - 1] += 1 }
        return c.map { 100 * $0 / Double(lengths.count) }
    }
    var lengths = Histogram(title: "Token lengths with the 600-token vocabulary", edges: (0...12).map { Double($0) + 0.5 },
                            counts: [Double](repeating: 0, count: 12), xLabel: "bytes per token (12 = 12 or more)",
                            yLabel: "share of tokens (%)")
    lengths.samples = [Histogram.Sample(name: "learned tokens in the vocabulary", counts: shares(learnedTokenLengths(tokenizer))),
                       Histogram.Sample(name: "tokens of encoded held-out text", counts: shares(tokenLengths(tokenizer, ids: heldIDs)))]
    try nb.figure(lengths, name: "token-lengths", caption: "Bytes per token over the vocabulary's learned tokens and over the tokens of encoded held-out text.")
    nb.say("""
    Learned tokens are mostly 2 to 5 bytes long: pieces of words and short words, usually with \
    their leading space. Running text looks different because every token counts once per use: \
    more than a quarter of its tokens are single bytes (full stops, commas, quotes, and the letters \
    of words the 600-token vocabulary has to spell out), next to the long tokens of frequent words.
    """)

    // MARK: 4. Embedding tables
    nb.section("4. Token ids become vectors through a lookup table")
    nb.say("""
    An id is only a name: token 300 is not "bigger" than token 299. The model's first layer gives \
    every id a learned vector, a row of an *embedding table* E of shape [vocabulary, width]. Looking up \
    row i is the same as multiplying a one-hot vector (1 at position i, 0 elsewhere) by E, and the \
    gradient of the lookup adds the upstream gradient into the rows that were used, exactly as the \
    matrix product's gradient Xᵀ·G would. The study guide says that "the encoder generates an embedding \
    for each token"; that is loose: nothing generates it, the embedding is a row of a table that is \
    learned by gradient descent together with the rest of the model.
    """)
    var lookupRNG = nb.rng(4)
    let table = Tensor.randn([8, 4], rng: &lookupRNG)
    let ids = [3, 1, 3, 7, 0]
    let seedGrad = Tensor.randn([ids.count, 4], rng: &lookupRNG)
    let cmp = compareLookup(table: table, ids: ids, seed: seedGrad)
    nb.code("embedding(E, ids: \(ids)) vs oneHot(\(ids), vocab: 8).matmul(E)   // E: [8, 4]")
    nb.number("largest output difference", Double(cmp.outputDifference), key: "ch01_lookup_output_difference", unit: "", format: "%.1e")
    nb.number("largest gradient difference", Double(cmp.gradientDifference), key: "ch01_lookup_gradient_difference", unit: "", format: "%.1e")
    nb.say("""
    Both are exactly zero: the product only ever adds a row times 1 and other rows times 0. Id 3 is \
    used twice, so row 3 of the gradient is the sum of two upstream rows; rows 2, 4, 5 and 6 are \
    unused and get no gradient at all. The lookup is just the cheap way to do the product.
    """)

    // MARK: 5. Skip-gram
    nb.section("5. Learning embeddings from context: skip-gram with negative sampling")
    var sg = nb.pick(quick: SkipGramConfig.quick, full: SkipGramConfig())
    sg.steps = nb.pick(quick: sg.steps, full: sg.steps)
    let words = WordCorpus(texts: corpus.documents(0..<sg.documents).map(\.text))
    nb.say("""
    A randomly initialised table means nothing; meaning comes from training. The smallest training \
    task that produces useful vectors is word2vec's *skip-gram with negative sampling*. For this \
    section the units are whole words (lower-cased), not BPE tokens, because the corpus's word \
    categories (animals, colours, foods, ...) are what we want to see. Each word w has a vector \
    c(w), the one we keep, and a context vector o(w). For every word and each neighbour within \
    \(sg.window) positions the model makes σ(c(w)·o(neighbour)) large, and for \(sg.negatives) random \
    noise words it makes σ(c(w)·o(noise)) small. The loss per pair is \
    −log σ(c·o) − Σ log σ(−c·o_noise); words that appear in the same surroundings get pulled toward \
    the same context vectors and so end up close to each other.
    """)
    nb.number("documents", sg.documents, key: "ch01_skipgram_documents", unit: "count")
    nb.number("distinct words", words.vocabSize, key: "ch01_distinct_words", unit: "count")
    nb.number("running words", words.totalWords, key: "ch01_running_words", unit: "count")
    let trainer = SkipGramTrainer(words, config: sg, seed: nb.seed)
    nb.number("(word, neighbour) pairs after subsampling frequent words", trainer.pairs.count, key: "ch01_skipgram_pairs", unit: "count")
    nb.code("""
    let center = Embedding(\(words.vocabSize), \(sg.dim)), context = Embedding(\(words.vocabSize), \(sg.dim))
    scores = (center(ids: words) * context(ids: [neighbour] + noise)).sum(axes: [2])
    loss = crossEntropy([scores, 0], targets: [0, 1, 1, ...])   // −log σ(s) and −log σ(−s), stably
    AdamW(lr: \(sg.learningRate)), \(sg.steps) steps of \(sg.batch) pairs
    """)
    try nb.timed("train skip-gram") {
        for _ in nb.progress(0..<sg.steps, label: "skip-gram") { try trainer.step() }
    }
    let result = trainer.result
    let window = 50
    let smooth = result.losses.indices.map { i -> Double in
        let lo = max(0, i - window + 1)
        return Double(result.losses[lo...i].reduce(0, +)) / Double(i - lo + 1)
    }
    nb.number("loss at the start (chance: (1+k)·log 2)", Double(result.losses[0]), key: "ch01_skipgram_initial_loss_nats", unit: "nats", format: "%.3f")
    nb.number("loss at the end (mean of the last 100 steps)", Double(result.losses.suffix(100).reduce(0, +) / 100),
              key: "ch01_skipgram_final_loss_nats", unit: "nats", format: "%.3f")
    let steps = result.losses.indices.map { Double($0 + 1) }
    let lossPlot = LinePlot(title: "Skip-gram training loss", xLabel: "AdamW step", yLabel: "loss per pair (nats)",
                            series: [LineSeries(name: "each batch", x: steps, y: result.losses.map(Double.init), color: Color(190, 190, 190)),
                                     LineSeries(name: "mean of the last \(window) batches", x: steps, y: smooth),
                                     LineSeries(name: "untrained (all scores zero)", x: [1, steps.last!],
                                                y: [Double(result.chanceLoss), Double(result.chanceLoss)], dashed: true, color: Color(110, 110, 110))])
    try nb.figure(lossPlot, name: "skipgram-loss", caption: "Skip-gram loss per (word, neighbour) pair with its noise words, per batch and smoothed.")
    nb.say("""
    The loss does not approach zero, and should not: the same word has many possible neighbours, so \
    the task is genuinely uncertain. What matters is what the vectors learned along the way.
    """)

    // MARK: 6. Similarity
    nb.section("6. Similar words get similar vectors")
    let vectors = result.vectors
    let unit = normalizedRows(vectors)
    let cats = categoryWords(words)
    nb.say("""
    Similarity between vectors is measured by the cosine of their angle, cos(a, b) = a·b / (|a||b|): \
    1 for the same direction, 0 for unrelated. Nearest neighbours of a few words, searched over the \
    whole vocabulary of \(words.vocabSize) words:
    """)
    let probes = ["fox", "red", "happy", "cake", "park", "three", "lily", "quickly", "rainy", "king"]
    nb.table(headers: ["word", "nearest neighbours (cosine)"], rows: probes.compactMap { w in
        guard let id = words.index[w] else { return nil }
        let nn = nearest(to: unit[id], in: unit, count: 5, exclude: [id])
        return [w, nn.map { "\(words.words[$0.id]) (\(f($0.cosine, "%.2f")))" }.joined(separator: ", ")]
    })
    let agree = neighbourAgreement(vectors, categories: cats)
    nb.say("""
    To measure this instead of picking examples, take *every* word of the corpus's \(cats.count) \
    categories (\(agree.total) words) and check whether its nearest neighbour in the whole vocabulary \
    belongs to the same category:
    """)
    nb.number("nearest neighbour shares the category", agree.rate, key: "ch01_neighbour_same_category", unit: "share",
              text: "\(agree.agreeing) of \(agree.total) (\(f(100 * agree.rate, "%.1f"))%)")
    nb.table(headers: ["category", "words", "neighbour in same category"],
             rows: agree.perCategory.map { [$0.name, "\($0.total)", "\($0.agreeing) (\(f(100 * Double($0.agreeing) / Double($0.total), "%.0f"))%)"] })
    let centroidAcc = centroidAccuracy(vectors, categories: cats)
    nb.say("""
    Vector arithmetic works on whole categories too: average the vectors of a category's words into \
    a centroid, and assign each word to the category whose centroid (computed without that word) is \
    most similar.
    """)
    nb.number("words assigned to their own category by centroid", centroidAcc, key: "ch01_centroid_accuracy", unit: "share", format: "%.1f%%", scale: 100)
    let analogies: [(String, String, String)] = [("cat", "cats", "dog"), ("fox", "foxes", "wolf"), ("ball", "balls", "kite"),
                                                 ("king", "queen", "prince"), ("man", "woman", "boy"), ("red", "blue", "happy")]
    nb.say("Analogies a : b :: c : ?, answered by the words nearest to b − a + c:")
    nb.table(headers: ["a : b :: c : ?", "top 3 answers"], rows: analogies.compactMap { a, b, c in
        guard let ia = words.index[a], let ib = words.index[b], let ic = words.index[c] else { return nil }
        let r = analogy(vectors, ia, ib, ic)
        return ["\(a) : \(b) :: \(c) : ?", r.map { "\(words.words[$0.id]) (\(f($0.cosine, "%.2f")))" }.joined(separator: ", ")]
    })
    nb.say("""
    The famous word2vec analogies work only in part here. b − a + c lands in the right \
    neighbourhood (plural nouns for the singular-to-plural rows, female people for the two gender \
    rows) but seldom on the exact word (`dogs`, `princess`, `girl`): the offset from a singular to \
    its plural is not the same vector for every noun, and a window of \(sg.window) words sees \
    little of what would make it so. The category measures above (neighbours and centroids) are the \
    robust form of vector arithmetic. The last row is a control with no meaning: a nearest word \
    always exists, whether or not the question makes sense.
    """)
    // Heatmap: the most frequent words of a few categories, grouped.
    let shown = ["animals", "colours", "feelings", "foods", "places", "numbers", "names", "actions"]
    var heatIDs: [Int] = []
    for name in shown {
        if let c = cats.first(where: { $0.name == name }) { heatIDs += c.ids.sorted().prefix(5) }
    }
    let heatLabels = heatIDs.map { words.words[$0] }
    let heat = Heatmap(title: "Cosine similarity of learned word vectors, grouped by category",
                       matrix: heatIDs.map { i in heatIDs.map { j in cosine(unit[i], unit[j]) } },
                       rowLabels: heatLabels, columnLabels: heatLabels,
                       xLabel: shown.joined(separator: " · "), yLabel: "word",
                       colorBarLabel: "cosine similarity", colormap: .blueRed, range: -1...1,
                       width: 1400, height: 1300)
    try nb.figure(heat, name: "similarity-heatmap", caption: "Cosine similarity between the five most frequent words of eight categories; the blocks on the diagonal are the categories.")

    // MARK: 7. PCA
    nb.section("7. A picture of the space: principal components")
    nb.say("""
    The vectors have \(sg.dim) dimensions; to look at them we project onto the two directions along \
    which they vary most, the top *principal components*. They are the top eigenvectors of the \
    covariance matrix C = XᵀX/n of the centred vectors, which we find by power iteration: multiply \
    a vector by C and normalise, repeatedly, and it turns toward the top eigenvector; subtract that \
    component from C (deflation) and repeat for the next. Only the words of the eight categories \
    of the heatmap are used (of \(cats.count); \(cats.count) colours cannot be told apart on a slide), so \
    the picture shows how those categories sit relative to each other.
    """)
    let pcaCats = shown.compactMap { name in cats.first { $0.name == name } }
    let catRows = pcaCats.flatMap { c in c.ids.map { unit[$0] } }
    let catLabels = pcaCats.enumerated().flatMap { k, c in [Int](repeating: k, count: c.ids.count) }
    let p = pca(catRows, count: 2)
    let xy = catRows.map { p.project($0) }
    nb.number("variance explained by component 1", p.explained[0], key: "ch01_pca_explained_1", unit: "share", format: "%.1f%%", scale: 100)
    nb.number("variance explained by component 2", p.explained[1], key: "ch01_pca_explained_2", unit: "share", format: "%.1f%%", scale: 100)
    var scatter = ScatterPlot(title: "Learned word vectors of \(pcaCats.count) categories on their top two principal components",
                              xLabel: "principal component 1", yLabel: "principal component 2",
                              x: xy.map { $0[0] }, y: xy.map { $0[1] }, category: catLabels,
                              categoryNames: pcaCats.map { "\($0.name) (\($0.ids.count))" }, pointSize: 12, alpha: 0.85, width: 1600, height: 1100)
    scatter.colors = categoryColors
    scatter.markers = [.circle, .square, .triangle, .diamond]
    try nb.figure(scatter, name: "embedding-pca", caption: "The words of \(pcaCats.count) categories (those of the heatmap; word counts in the legend) projected on the top two principal components of their vectors; colour and marker both name the category.")
    nb.say("""
    Two dimensions keep only a small share of the variance, so categories overlap in the picture \
    that are well apart in \(sg.dim) dimensions (the neighbour test above is done in the full space). \
    Still, groups are visible: words used in the same slots of the stories' sentences lie together.
    """)

    // MARK: 8. tokenizer.json
    nb.section("8. Saving the tokenizer for other tools")
    let jsonPath = try nb.outputPath("tokenizer.json")
    try tokenizer.save(path: jsonPath)
    let sampleText = String(data.heldOut.prefix(2000)) + "\nNon-ASCII still works: cafe\u{301} \u{6771}\u{4EAC} \u{1F98A}\n"
    try nb.writeFile("sample.txt", text: sampleText)
    try nb.writeFile("sample-ids.txt", text: tokenizer.encode(sampleText).map(String.init).joined(separator: " ") + "\n")
    nb.say("""
    The 600-token tokenizer is written in Hugging Face's `tokenizer.json` format as \
    `tokenizer.json` in this folder, with `sample.txt` and the Swift tokenizer's ids for it in \
    `sample-ids.txt`. Load it in Python with the `tokenizers` library (`pip install tokenizers`):
    """)
    nb.code("""
    from tokenizers import Tokenizer
    tok = Tokenizer.from_file("Figures/01-tokens/tokenizer.json")
    ids = tok.encode("Lily saw a red fox.").ids
    print(ids, tok.decode(ids))
    """, language: "python")
    nb.say("""
    `python3 Tests/check_tokenizer_json.py Figures/01-tokens/tokenizer.json Figures/01-tokens/sample.txt \
    Figures/01-tokens/sample-ids.txt` checks that Python gets exactly the same ids and decodes them \
    back to the text; CI runs it on every quick run.
    """)
}
