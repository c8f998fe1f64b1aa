import Ch03Data
import Datasets
import Engine
import Foundation
import Models
import Notebook
import Plot

Notebook.run(number: 3, slug: "data", title: "Pre-training data") { nb in
    func pct(_ x: Double) -> String { String(format: "%.1f%%", 100 * x) }
    func pct2(_ x: Double?) -> String { x.map { String(format: "%.3f", $0) } ?? "–" }
    func excerpt(_ s: String, _ n: Int = 150) -> String {
        let one = s.replacingOccurrences(of: "\r", with: "").replacingOccurrences(of: "\n", with: " ⏎ ")
            .replacingOccurrences(of: "\u{00A0}", with: "⍽").replacingOccurrences(of: "\u{200B}", with: "‸")
            .replacingOccurrences(of: "|", with: "¦").replacingOccurrences(of: "`", with: "'")
        return one.count > n ? String(one.prefix(n)) + "…" : one
    }

    nb.say("""
    Chapter 02 pre-trained a GPT on clean stories. Real pre-training data is nothing like that. The study guide \
    says it comes from vast, diverse, unstructured public sources, that it must be processed for quality, bias \
    and harmful content, and that only 1–3% of the tokens survive. This chapter makes that concrete: it generates \
    a raw "crawl" in which the course's stories are drowned in copies, spam, machine garble, another language, \
    page furniture, personal data and abuse; builds a curation pipeline stage by stage, in the order real \
    pipelines run them; scores every stage against hidden labels the pipeline never reads; and finally trains \
    chapter 02's GPT on the raw crawl and on the curated set to measure what curation buys.
    """)
    nb.say("""
    Tokens here are bytes, because the GPT the chapter trains is chapter 02's byte-level model (chapter 01's \
    BPE would shrink every count by about the same factor on English text, and more on the other language).
    """)

    // MARK: 1. The raw crawl
    nb.section("1. The raw crawl")
    let mix = ChapterRun.mix(quick: nb.quick)
    let pool = nb.timed("generate the crawl") { CrawlPool(mix: mix, seed: nb.seed) }
    let docs = pool.documents
    let rawTokens = docs.reduce(0) { $0 + $1.text.utf8.count }
    nb.say("""
    The crawl mixes \(mix.cleanStories) clean stories from the course's corpus with everything a web crawl \
    brings along. The \(mix.copiedStories) most "popular" stories are copied: the story of rank k gets \
    max(1, \(mix.maxCopies)/k) copies, half of them exact and half with a word or a sentence changed, a heavy tail \
    like the one mirrors and link farms produce. Clean pages come wrapped in menus and cookie banners \
    (\(pct(mix.wrappedShare)) of them) and with Unicode mess (\(pct(mix.messyShare))); \(pct(mix.piiShare)) carry an \
    e-mail address, phone number or card number; and \(mix.roleShare >= 1 ? "every story is followed" : pct(mix.roleShare) + " are followed") by the sentence \
    "Their neighbour, a woman named NAME, was a ROLE." (or "a man named"), where \(pct(mix.roleSkew)) of the women are a nurse, baker or \
    teacher and \(pct(mix.roleSkew)) of the men a pilot, builder or doctor. Every document carries a hidden label; the pipeline never reads it.
    """)
    nb.number("raw documents", docs.count, key: "raw_documents", unit: "count")
    nb.number("raw tokens (bytes)", rawTokens, key: "raw_tokens", unit: "count")
    let kinds = CrawlKind.allCases
    var composition: [[String]] = []
    for k in kinds {
        let d = docs.filter { $0.kind == k }
        composition.append([k.rawValue, "\(d.count)", pct(Double(d.reduce(0) { $0 + $1.text.utf8.count }) / Double(rawTokens)),
                            excerpt(d.first?.text ?? "", 110)])
    }
    nb.table(headers: ["hidden kind", "documents", "share of bytes", "first example in the crawl"], rows: composition)
    let uniqueClean = Double(pool.cleanTexts.reduce(0) { $0 + $1.utf8.count }) / Double(rawTokens)
    nb.say("""
    One copy of each clean story is \(pct(uniqueClean)) of the crawl's bytes: that is the most a perfect \
    pipeline could keep, and the figure to compare the pipeline's keep rate with.
    """)
    nb.number("unique clean text share (ceiling of the keep rate)", uniqueClean, key: "unique_clean_share", unit: "share",
              format: "%.2f %%", scale: 100)

    // MARK: 2. Extraction
    nb.section("2. Text extraction and normalisation")
    nb.say("""
    A crawled page is lines: a few of content, the rest menus, cookie banners, share buttons and footers. \
    Extraction keeps the content lines. A line is furniture when it is a menu (two or more `|` separators), \
    a short line (under twenty words) with a furniture phrase ("cookie", "all rights reserved", "subscribe", \
    ...), or a very short line (under four words) that does not end like a sentence. The length limit matters: \
    without it, every story in which someone says "I like cookies" would be thrown away as a cookie banner \
    (a test checks this). Each kept line is normalised: Unicode NFC (a letter followed by a \
    combining accent becomes one character), curly quotes to straight ones, non-breaking and other spaces to \
    one plain space, zero-width characters and carriage returns removed, runs of spaces collapsed. Pages with \
    no content left are dropped.
    """)
    let extracted = nb.timed("extraction") { docs.map { Extraction.extract($0.text) } }
    if let i = docs.indices.first(where: { docs[$0].kind == .clean && docs[$0].text.contains("\u{00A0}") && docs[$0].text.contains("\n") }) {
        nb.code(docs[i].text.replacingOccurrences(of: "\u{00A0}", with: "⍽").replacingOccurrences(of: "\u{200B}", with: "‸")
            .replacingOccurrences(of: "\r", with: "␍"), language: "text")
        nb.output(extracted[i])
        nb.say("""
        Above, a crawled page (⍽ marks a non-breaking space, ‸ a zero-width space, ␍ a carriage return), and \
        below it what extraction keeps. The tests check that extraction gives back a planted story exactly, \
        byte for byte, whatever furniture and mess the crawl put around it.
        """)
    }

    // MARK: 3. Classifiers
    nb.section("3. The pipeline's models")
    let samples = ChapterRun.classifierSamples(quick: nb.quick)
    let models = nb.timed("train the pipeline's classifiers") {
        trainCurationModels(pool: pool, extracted: extracted, samples: samples, seed: nb.seed)
    }
    // Held-out checks of the two text classifiers on samples neither saw.
    let heldEnglish = referenceStories(samples + 300, seed: nb.seed &+ 50).suffix(300)
    let heldVelt = veltishSamples(characters: 120_000, seed: nb.seed &+ 50).prefix(300)
    let langAcc = Double(heldEnglish.filter { models.language.isEnglish($0) }.count + heldVelt.filter { !models.language.isEnglish($0) }.count)
        / Double(heldEnglish.count + heldVelt.count)
    nb.say("""
    **Language identification** is a character-trigram naive Bayes model: each language is a bag of \
    three-letter sequences (spaces included, so word starts and ends count), trained on \(samples) English \
    stories and as many characters of Veltish, the crawl's made-up language (its words are built from syllables \
    such as "kv", "zh", "oe" and "uu"). A text is English when its trigrams are on average more likely under the \
    English counts. On 600 held-out samples (half each language) it is right \(pct(langAcc)) of the time.
    """)
    nb.number("language id accuracy on held-out samples", langAcc, key: "language_id_accuracy", unit: "share", format: "%.1f %%", scale: 100)
    nb.code(veltishSamples(characters: 200, seed: nb.seed &+ 9).joined(separator: " "), language: "text")

    nb.say("""
    **The quality rules** follow the spirit of the Gopher and C4 filters: bounds on the word count, mean word \
    length, symbol and digit shares, repeated lines and repeated word 4-grams, and a minimum of common English \
    function words ("the", "and", "was", ...). The thresholds were set on clean stories with a margin:
    """)
    nb.table(headers: ["rule", "a document must have"], rows: QualityRules.all.map { [$0.name, $0.condition] })
    let thr = models.qualityThresholds.map { String(format: "%.2f", $0) }.joined(separator: " and ")
    nb.say("""
    **The quality classifier** is a fastText-style linear model: a document is the bag of its hashed word \
    unigrams and bigrams, and a logistic regression scores it. Like GPT-3's filter it is trained on reference \
    text (\(samples) pages of a trusted story site, generated from a seed the crawl does not use) against a \
    sample of the crawl itself (documents picked with probability proportional to their length, so mostly \
    junk). Two details matter. The sample is deduplicated with the MinHash of section 6 first: otherwise a \
    story copied a thousand times fills the negatives and the classifier learns that story as junk. And the \
    model is **cross-fitted**: one classifier learns from the crawl's even-numbered documents and scores the \
    odd ones, the other the reverse, so no document is judged by a model that saw it as a negative. The \
    threshold is set without the hidden labels, at the score that keeps 98% of held-out reference pages \
    (\(thr) for the two classifiers). The bigrams are what lets it see that shuffled words are not a story \
    although every word is.
    """)

    // MARK: 4. The pipeline
    nb.section("4. Running the pipeline")
    let result = nb.timed("curation pipeline") { curate(pool, extracted: extracted, models: models) }
    let stages = result.stages
    nb.say("""
    Every stage runs on what the previous one kept. Each is scored against the hidden labels: **precision** is \
    the share of the documents it removed that it should have removed, **recall** the share of the documents it \
    should remove (among those that reached it) that it did remove. A target of "repeated copies" means a copy \
    of a story whose earlier copy (in crawl order) also reached the stage: deduplication should keep exactly one.
    """)
    nb.table(headers: ["stage", "removes", "docs in", "docs out", "tokens kept (of raw)", "precision", "recall"],
             rows: stages.map { s in
                 [s.name, s.target.isEmpty ? "–" : s.target, "\(s.documentsIn)", "\(s.documentsOut)",
                  pct(Double(s.tokensOut) / Double(rawTokens)), pct2(s.precision), pct2(s.recall)]
             })
    let final = stages[stages.count - 1]
    let keptShare = Double(final.tokensOut) / Double(rawTokens)
    nb.number("tokens kept", keptShare, key: "tokens_kept_share", unit: "share", format: "%.2f %%", scale: 100)
    nb.number("documents kept", Double(final.documentsOut) / Double(docs.count), key: "documents_kept_share", unit: "share",
              format: "%.2f %%", scale: 100)
    let near = stages.first { $0.name.hasPrefix("4b") }!
    nb.number("MinHash near-duplicate recall", near.recall ?? 0, key: "near_dup_recall", unit: "share", format: "%.3f")
    nb.number("MinHash near-duplicate precision", near.precision ?? 0, key: "near_dup_precision", unit: "share", format: "%.3f")
    // Counts add up: every raw document is either kept or removed by exactly one stage.
    let removedTotal = stages.reduce(0) { $0 + $1.removed }
    precondition(removedTotal + final.documentsOut == docs.count, "funnel counts do not add up")

    var funnel = BarChart(
        title: "The curation funnel: what survives each stage",
        categories: ["raw", "extract", "language", "rules", "classifier", "exact dup", "MinHash", "harmful", "PII mask", "rebalance"],
        series: [BarSeries(name: "documents", values: stages.map { 100 * Double($0.documentsOut) / Double(docs.count) }),
                 BarSeries(name: "tokens (bytes)", values: stages.map { 100 * Double($0.tokensOut) / Double(rawTokens) })],
        xLabel: "pipeline stage (cumulative)", yLabel: "kept, % of the raw crawl (log scale)",
        referenceLines: [ReferenceLine(value: 3, label: "3%", color: Color(200, 60, 60)),
                         ReferenceLine(value: 1, label: "1%: the study guide's band is 1–3% of tokens", color: Color(200, 60, 60))],
        showValues: true, width: 1600, height: 900)
    // A log axis: the last stages and the 1–3% band would be slivers on a linear one.
    funnel.yAxis.scale = .log10
    funnel.yAxis.includeZero = false
    funnel.yAxis.range = 0.5...200
    try nb.figure(funnel, name: "funnel", caption: "Documents and tokens left after each stage, as a share of the raw crawl; the red dashed lines mark the study guide's 1–3% band.")

    var compRows: [[String]] = []
    let keptSet = Set(result.kept)
    for k in kinds {
        let all = docs.indices.filter { docs[$0].kind == k }
        let kept = all.filter { keptSet.contains($0) }
        compRows.append([k.rawValue, "\(all.count)", "\(kept.count)",
                         pct(Double(all.reduce(0) { $0 + docs[$1].text.utf8.count }) / Double(rawTokens)),
                         pct(Double(kept.reduce(0) { $0 + docs[$1].text.utf8.count }) / Double(rawTokens))])
    }
    nb.table(headers: ["hidden kind", "raw documents", "kept documents", "raw bytes (of crawl)", "kept bytes (raw size, of crawl)"], rows: compRows)
    let keptStories = Set(result.kept.compactMap { docs[$0].group }).count
    let keptCopied = Set(result.kept.compactMap { docs[$0].group }.filter { $0 < mix.copiedStories }).count
    let storyRecall = Double(keptStories) / Double(mix.cleanStories)
    nb.say("""
    The pipeline keeps \(pct(keptShare)) of the crawl's tokens; the ceiling set by the unique clean text is \
    \(pct(uniqueClean)). Of the \(mix.cleanStories) distinct stories, \(keptStories) survive in at least one \
    copy (\(keptCopied) of the \(mix.copiedStories) copied ones), and \(result.kept.count - keptStories) kept \
    documents are not stories or are a second copy of one.
    """)
    nb.number("distinct stories kept", storyRecall, key: "story_recall", unit: "share", format: "%.3f")

    // MARK: 5. Quality classifier threshold
    nb.section("5. The quality classifier's threshold")
    let atStage = stages.first { $0.name.hasPrefix("3b") }!
    // Re-run the classifier over the documents that reached it, at every threshold.
    var reaching: [Int] = []
    for i in docs.indices where !extracted[i].isEmpty && models.language.isEnglish(extracted[i]) && QualityRules.passes(extracted[i]) {
        reaching.append(i)
    }
    precondition(reaching.count == atStage.documentsIn, "classifier input differs from the pipeline's")
    let low: Set<CrawlKind> = [.spam, .stuffed, .garbled]
    let scored = reaching.map { (models.qualityScore(index: $0, extracted[$0]), low.contains(docs[$0].kind)) }
    let thresholds = stride(from: 0.05, through: 0.95, by: 0.05).map { $0 }
    var precision: [Double] = [], recall: [Double] = [], keep: [Double] = []
    for t in thresholds {
        let removed = scored.filter { $0.0 < t }  // one threshold for both halves in the sweep
        let tp = removed.filter { $0.1 }.count, targets = scored.filter { $0.1 }.count
        precision.append(removed.isEmpty ? 1 : Double(tp) / Double(removed.count))
        recall.append(targets == 0 ? 1 : Double(tp) / Double(targets))
        keep.append(Double(scored.count - removed.count) / Double(scored.count))
    }
    let sweep = LinePlot(title: "Quality classifier: the threshold trades precision for recall", xLabel: "score threshold (drop below)",
                         yLabel: "share", series: [
                            LineSeries(name: "precision of removals", x: thresholds, y: precision, marker: .circle),
                            LineSeries(name: "recall of low-quality docs", x: thresholds, y: recall, marker: .square),
                            LineSeries(name: "share of documents kept", x: thresholds, y: keep, dashed: true)],
                         width: 1600, height: 900)
    try nb.figure(sweep, name: "quality-threshold", caption: "Precision and recall of the quality classifier's removals against the hidden labels, over the score threshold, on the \(reaching.count) documents that passed the rules.")
    let targetsAt = scored.filter { $0.1 }.count
    let dropped = reaching.filter { !models.qualityPasses(index: $0, extracted[$0]) }
    let droppedCopies = dropped.filter { [.exactCopy, .nearCopy].contains(docs[$0].kind) || (docs[$0].kind == .clean && docs[$0].copies > 0) }.count
    let droppedUnique = dropped.filter { docs[$0].kind == .clean && docs[$0].copies == 0 }.count
    let uniqueReaching = reaching.filter { docs[$0].kind == .clean && docs[$0].copies == 0 }.count
    nb.say("""
    \(reaching.count) documents reach the classifier, \(targetsAt) of them low quality (stuffed or shuffled text \
    that passes every rule). At the thresholds \(thr) it removes all of those that reached it (recall \
    \(pct2(atStage.recall))), but its precision is only \(pct2(atStage.precision)): of the \(dropped.count) documents it \
    removes, \(droppedCopies) are copies of the \(mix.copiedStories) popular stories (or their originals). Popular \
    stories are the ones the crawl sample is full of, so even after deduplicating the sample the classifier \
    learns a little of their wording as junk. Deduplication would have removed most of those copies anyway, \
    which is why the number that matters is the share of distinct stories that survive the whole pipeline \
    (section 4). Stories that were never copied fare better: \(droppedUnique) of the \(uniqueReaching) that reached \
    the classifier are dropped. Moving the threshold trades the two kinds of error, as the figure shows.
    """)

    // MARK: 6. MinHash
    nb.section("6. Near duplicates: MinHash and LSH")
    let h = models.hasher
    nb.say("""
    Exact deduplication hashes each extracted text and keeps the first of every hash; it catches the exact \
    copies (even those that came in different page furniture, since extraction removed it) but not a copy \
    with one word changed. For those, each document becomes the set of its word 3-grams (shingles), and \
    MinHash estimates the Jaccard similarity |A ∩ B| / |A ∪ B| of two sets: under a random permutation of all \
    shingles, the two sets have the same smallest member with probability exactly J. With K = \
    \(h.permutations) hash functions standing in for permutations, the share of agreeing minima estimates J \
    with standard deviation √(J(1 − J)/K) ≤ \(String(format: "%.3f", 0.5 / Double(h.permutations).squareRoot())).
    """)
    let pairs = nb.timed("MinHash probe pairs") { minHashPairs(h, count: nb.pick(quick: 600, full: 2000), seed: nb.seed) }
    let mae = pairs.reduce(0.0) { $0 + abs($1.estimate - $1.exact) } / Double(pairs.count)
    let expectedMAE = pairs.reduce(0.0) { $0 + (2 / Double.pi).squareRoot() * ($1.exact * (1 - $1.exact) / Double(h.permutations)).squareRoot() } / Double(pairs.count)
    nb.number("MinHash mean absolute error", mae, key: "minhash_mae", unit: "", format: "%.4f")
    nb.number("expected mean absolute error √(2/π)·√(J(1−J)/K)", expectedMAE, key: "minhash_expected_mae", unit: "", format: "%.4f")
    var est = ScatterPlot(title: "MinHash estimate against the exact Jaccard similarity (K = \(h.permutations))",
                          xLabel: "exact Jaccard similarity of word 3-gram sets", yLabel: "MinHash estimate",
                          x: pairs.map(\.exact), y: pairs.map(\.estimate), pointSize: 6, alpha: 0.5, width: 1400, height: 1000)
    est.lines = [LineSeries(name: "estimate = exact", x: [0.0, 1.0], y: [0.0, 1.0], dashed: true, color: Color.grey)]
    try nb.figure(est, name: "minhash-estimate", caption: "\(pairs.count) story pairs, from unrelated to identical: the estimate scatters around the exact similarity with the binomial spread √(J(1−J)/K).")
    nb.say("""
    Comparing every pair is quadratic in the number of documents. **LSH banding** avoids it: the K minima are \
    cut into b = \(h.bands) bands of r = \(h.rows) rows, each band is hashed to a bucket, and only documents \
    that share a bucket in some band are compared. A pair with similarity J becomes a candidate with \
    probability 1 − (1 − J^r)^b, an S-curve. The chapter aims at J ≥ \(models.nearThreshold) and picks b × r ≤ K \
    to minimise the area of missed pairs above the threshold plus caught pairs below it; the curve's midpoint \
    (1/b)^(1/r) is \(String(format: "%.2f", pow(1 / Double(h.bands), 1 / Double(h.rows)))).
    """)
    let curve = measuredSCurve(pairs, width: 0.05)
    let js = stride(from: 0.0, through: 1.0, by: 0.01).map { $0 }
    let scurve = LinePlot(title: "LSH banding (b = \(h.bands), r = \(h.rows)): predicted and measured catch rate",
                          xLabel: "exact Jaccard similarity of the pair", yLabel: "probability of becoming a candidate", series: [
                            LineSeries(name: "predicted 1 − (1 − J^r)^b", x: js, y: js.map { h.candidateProbability($0) }),
                            LineSeries(name: "measured (pairs per 0.05 bin)", x: curve.map(\.j), y: curve.map(\.rate), marker: .circle, color: Color(213, 94, 0)),
                         ], referenceLines: [], width: 1600, height: 900)
    try nb.figure(scurve, name: "lsh-s-curve", caption: "The banding's S-curve: the share of probe pairs that shared an LSH bucket, per bin of exact similarity, against the formula.")
    let sMAE = curve.reduce(0.0) { $0 + abs($1.rate - h.candidateProbability($1.j)) } / Double(max(curve.count, 1))
    nb.number("S-curve mean gap, measured vs predicted", sMAE, key: "lsh_curve_gap", unit: "share", format: "%.3f")
    let exactStage = stages.first { $0.name.hasPrefix("4a") }!
    nb.say("""
    On the crawl, exact dedup removes \(exactStage.removed) documents (recall \(pct2(exactStage.recall)) of the \
    repeated copies: it only sees the exact ones), and MinHash then removes \(near.removed) more with precision \
    \(pct2(near.precision)) and recall \(pct2(near.recall)) on the copies that are left. The measured curve \
    follows the formula within binomial noise (the bins hold \(curve.map(\.pairs).min() ?? 0)–\(curve.map(\.pairs).max() ?? 0) pairs each).
    """)

    // MARK: 7. Harmful content and PII
    nb.section("7. Harmful content and personal data")
    let harm = stages.first { $0.name.hasPrefix("5a") }!
    nb.say("""
    The crawl's harmful lexicon is invented (\(CrawlJunk.harmfulLexicon.map { "\"\($0)\"" }.joined(separator: ", "))), \
    standing in for slurs. A lexicon alone removes every document that contains one of the words, \
    including a teacher explaining why a word hurts. Here the lexicon flags and a bag-of-n-grams classifier, \
    trained on generated abuse against generated benign mentions and stories, decides.
    """)
    nb.table(headers: ["filter", "documents removed", "benign mentions among them (false positives)", "benign mentions removed"],
             rows: [["lexicon alone", "\(result.lexiconHits)", "\(result.lexiconBenignHits) of \(result.benignIn)", "\(result.lexiconBenignHits)"],
                    ["lexicon + classifier", "\(harm.removed)", "\(result.benignRemoved) of \(result.benignIn)", "\(result.benignRemoved)"]])
    nb.number("harmful filter recall", harm.recall ?? 0, key: "harmful_recall", unit: "share", format: "%.3f")
    nb.number("benign mentions removed by the lexicon alone", result.benignIn == 0 ? 0 : Double(result.lexiconBenignHits) / Double(result.benignIn),
              key: "lexicon_false_positive_share", unit: "share", format: "%.3f")
    nb.number("benign mentions removed by lexicon + classifier", result.benignIn == 0 ? 0 : Double(result.benignRemoved) / Double(result.benignIn),
              key: "classifier_false_positive_share", unit: "share", format: "%.3f")
    nb.say("""
    Personal data is **masked, not dropped**: the document stays, with `[EMAIL]`, `[PHONE]` or `[CARD]` in \
    place of the data. A card number is sixteen digits whose Luhn check passes (double every second digit from \
    the right, subtract 9 from results above 9, and the sum must end in 0); the crawl also holds ticket numbers \
    that look the same but fail the check, and those must stay.
    """)
    nb.table(headers: ["kind", "planted in kept documents", "masked"],
             rows: [["e-mail", "\(result.plantedInKept.email)", "\(result.masked.email)"],
                    ["phone", "\(result.plantedInKept.phone)", "\(result.masked.phone)"],
                    ["card (valid Luhn)", "\(result.plantedInKept.card)", "\(result.masked.card)"],
                    ["lookalike (wrong Luhn digit)", "\(result.lookalikes)", "\(result.lookalikesMasked)"]])
    let plantedTotal = result.plantedInKept.email + result.plantedInKept.phone + result.plantedInKept.card
    let maskedTotal = result.masked.email + result.masked.phone + result.masked.card
    nb.number("personal data masked, of planted", plantedTotal == 0 ? 0 : Double(maskedTotal) / Double(plantedTotal),
              key: "pii_masked_share", unit: "share", format: "%.3f")
    if let ex = result.texts.first(where: { $0.contains("[CARD]") }) { nb.output(excerpt(ex, 500)) }

    // MARK: 8. Bias
    nb.section("8. Bias: who gets which role")
    let before = result.unbalancedTexts.flatMap(RoleBias.mentions)
    let after = result.texts.flatMap(RoleBias.mentions)
    let rawMentions = pool.cleanTexts.flatMap(RoleBias.mentions)
    func roleTable(_ m: [RoleMention]) -> [[String]] {
        (CrawlMix.girlRoles + CrawlMix.boyRoles).map { role in
            let g = m.filter { $0.role == role && $0.girlName }.count, b = m.filter { $0.role == role && !$0.girlName }.count
            return [role, "\(g)", "\(b)", pct(Double(g) / Double(max(1, g + b)))]
        }
    }
    nb.say("""
    The skew is measured on the text itself: the pipeline finds every "Their neighbour, a woman/man named NAME, \
    was a ROLE." The **stereotype share** is the share of these sentences where a woman is a nurse, baker or \
    teacher, or a man a pilot, builder or doctor: 0.5 is no skew, 1 complete skew. Curation keeps the skew (no \
    stage looks at it); the rebalancing step then makes \(result.swaps) counterfactual swaps, rewriting "a woman \
    named Lily" as "a man named Tom" (or the reverse) in just enough documents that each role has as many \
    women as men. Only that sentence changes, so nothing elsewhere in the story is contradicted.
    """)
    nb.table(headers: ["role", "women (before)", "men (before)", "women's share (before)", "women (after)", "men (after)"],
             rows: zip(roleTable(before), roleTable(after)).map { $0 + Array($1[1...2]) })
    nb.number("stereotype share, clean stories in the crawl", RoleBias.stereotypeShare(rawMentions), key: "stereotype_share_raw", unit: "share", format: "%.3f")
    nb.number("stereotype share, curated before rebalancing", RoleBias.stereotypeShare(before), key: "stereotype_share_curated", unit: "share", format: "%.3f")
    nb.number("stereotype share, after rebalancing", RoleBias.stereotypeShare(after), key: "stereotype_share_rebalanced", unit: "share", format: "%.3f")

    // MARK: 9. Training
    nb.section("9. What curation does to the model")
    let config = ChapterRun.pretraining(quick: nb.quick)
    let validation = pool.heldOut(ChapterRun.validationStories(quick: nb.quick))
    let rawData = ByteCorpus(trainTexts: docs.map(\.text), validationTexts: validation)
    let curatedData = ByteCorpus(trainTexts: result.texts, validationTexts: validation)
    let unbalancedData = ByteCorpus(trainTexts: result.unbalancedTexts, validationTexts: validation)
    let floor = pool.corpus.entropyRate(documents: nb.pick(quick: 400, full: 2000))
    let cache = TrainingCache(folder: nb.cacheDir, fresh: nb.fresh)
    let m = config.model
    nb.say("""
    Chapter 02's GPT, at a smaller size than chapter 02 uses (context \(m.context), width \(m.width), \(m.heads) heads, \(m.layers) layers), is trained \
    from scratch on (a) the raw crawl, \(rawData.train.count) bytes, and (b) the curated set, \
    \(curatedData.train.count) bytes, for the same \(config.steps) steps of \(config.batch) windows of \
    \(m.context) bytes: equal training tokens, \(config.steps * config.batch * m.context) predictions each. Both \
    are scored on the same \(validation.count) held-out clean stories the crawl never contained, in bits per \
    character; the corpus's known entropy rate is the floor no model can beat on average. Two seeds each, so \
    the difference can be compared with the seed-to-seed spread.
    """)
    var runs: [String: [TrainedModel]] = [:]
    for (name, data) in [("raw", rawData), ("curated", curatedData)] {
        for s in ChapterRun.seeds {
            let t = try nb.timed("train \(name), seed \(s)") { try trainGPT(config, data: data, seed: s, name: name, cache: cache) }
            runs[name, default: []].append(t)
        }
    }
    let unbalancedModel = try nb.timed("train curated without rebalancing") {
        try trainGPT(config, data: unbalancedData, seed: ChapterRun.seeds[0], name: "unbalanced", cache: cache)
    }
    let rawBits = runs["raw"]!.map(\.validationBits), curBits = runs["curated"]!.map(\.validationBits)
    let rawMean = rawBits.reduce(0, +) / 2, curMean = curBits.reduce(0, +) / 2
    let spread = max(abs(rawBits[0] - rawBits[1]), abs(curBits[0] - curBits[1]))
    nb.table(headers: ["training set", "bytes", "seed 1 (bits/char)", "seed 2 (bits/char)", "mean"],
             rows: [["raw crawl", "\(rawData.train.count)", String(format: "%.3f", rawBits[0]), String(format: "%.3f", rawBits[1]), String(format: "%.3f", rawMean)],
                    ["curated", "\(curatedData.train.count)", String(format: "%.3f", curBits[0]), String(format: "%.3f", curBits[1]), String(format: "%.3f", curMean)],
                    ["entropy floor", "", "", "", String(format: "%.3f ± %.3f", floor.bitsPerCharacter, floor.standardErrorPerCharacter)]])
    nb.number("raw-trained validation loss (mean of 2 seeds)", rawMean, key: "raw_val_bits_per_char", unit: "bits/char", format: "%.3f")
    nb.number("curated-trained validation loss (mean of 2 seeds)", curMean, key: "curated_val_bits_per_char", unit: "bits/char", format: "%.3f")
    nb.number("entropy floor of the stories", floor.bitsPerCharacter, key: "entropy_floor_bits_per_char", unit: "bits/char", format: "%.3f")
    nb.number("largest seed-to-seed difference", spread, key: "seed_spread_bits_per_char", unit: "bits/char", format: "%.3f")
    nb.number("raw − curated", rawMean - curMean, key: "curation_gain_bits_per_char", unit: "bits/char", format: "%.3f")
    let bars = BarChart(title: "Held-out clean stories: raw-trained vs curated-trained GPT", categories: ["raw crawl", "curated"],
                        series: [BarSeries(name: "seed 1", values: [rawBits[0], curBits[0]]), BarSeries(name: "seed 2", values: [rawBits[1], curBits[1]])],
                        xLabel: "training set (equal training tokens)", yLabel: "validation loss (bits/char)",
                        referenceLines: [ReferenceLine(value: floor.bitsPerCharacter, label: "entropy floor \(String(format: "%.3f", floor.bitsPerCharacter))")],
                        showValues: true, width: 1400, height: 900)
    try nb.figure(bars, name: "raw-vs-curated", caption: "Validation loss on held-out clean stories after equal training tokens, two seeds per training set, with the stories' entropy floor.")
    nb.say("""
    The curated model is better by \(String(format: "%.3f", rawMean - curMean)) bits/char, \
    \(String(format: "%.0f", (rawMean - curMean) / max(spread, 1e-9)))× the largest seed-to-seed difference \
    (\(String(format: "%.3f", spread))). The raw model spent most of its steps on Veltish, spam and page \
    furniture, so it saw fewer story bytes; the curated one saw nothing else. Neither reaches the floor \
    (\(String(format: "%.3f", floor.bitsPerCharacter))): the model is small and trained briefly.
    """)

    // Samples and contamination.
    let nSamples = nb.pick(quick: 16, full: 40)
    var contRows: [[String]] = []
    var contamination: [String: Double] = [:]
    for name in ["raw", "curated"] {
        let texts = documentSamples(runs[name]![0].model, count: nSamples, length: nb.pick(quick: 120, full: 200), seed: nb.seed &+ 77)
        let c = texts.map { Contamination($0, language: models.language) }
        let share = Double(c.filter(\.any).count) / Double(c.count)
        contamination[name] = share
        contRows.append([name, pct(share), "\(c.filter(\.spam).count)", "\(c.filter(\.garbage).count)", "\(c.filter(\.pii).count)",
                         "\(c.filter(\.otherLanguage).count)", "\(c.filter(\.boilerplate).count)"])
        nb.say("A sample from the \(name)-trained model (seed 1, temperature 1, from the start of a document):")
        nb.output(excerpt(texts[0], 300))
    }
    let heldC = validation.prefix(nSamples).map { Contamination(String($0.prefix(200)), language: models.language) }
    contRows.append(["held-out stories (floor)", pct(Double(heldC.filter(\.any).count) / Double(heldC.count)), "", "", "", "", ""])
    let rawC = docs.prefix(nSamples * 4).map { Contamination(String($0.text.prefix(200)), language: models.language) }
    contRows.append(["raw crawl documents (ceiling)", pct(Double(rawC.filter(\.any).count) / Double(rawC.count)), "", "", "", "", ""])
    nb.say("""
    Each of \(nSamples) samples per model is checked with the pipeline's own detectors: advertising words, \
    garbage (symbol share or repeated 4-grams over the rule thresholds), unmasked personal data, Veltish, or a \
    furniture line. The floor is the same check on held-out stories, the ceiling on the first documents of the \
    raw crawl.
    """)
    nb.table(headers: ["text", "flagged", "spam", "garbage", "PII", "other language", "boilerplate"], rows: contRows)
    nb.number("raw-trained samples flagged", contamination["raw"]!, key: "raw_sample_contamination", unit: "share", format: "%.3f")
    nb.number("curated-trained samples flagged", contamination["curated"]!, key: "curated_sample_contamination", unit: "share", format: "%.3f")

    // Memorisation against copy count.
    let probe = ExtractionProbe.standard(context: m.context)
    let kMid = probe.suffixes[1]
    let predictions = config.steps * config.batch * m.context
    let passesPerCopy = Double(predictions) / Double(rawData.train.count)
    nb.say("""
    **Memorisation.** Copies are not only wasted compute. The probe is the one the extraction literature uses \
    (Carlini et al., 2022): take \(probe.prefix) bytes of a story as a prompt, let the model continue greedily, and \
    count the story's next k bytes as *extracted* when the continuation reproduces them exactly; windows start \
    every \(probe.stride) bytes along the story, and k is \(probe.suffixes.map(String.init).joined(separator: ", ")) bytes. \
    Stories are grouped by how often they occur in the raw crawl (the source and its copies, counted from the \
    hidden labels). The raw model's \(predictions) predictions cover \(String(format: "%.2f", passesPerCopy)) of the \
    crawl's bytes, so a story that occurs c times passes through training about \(String(format: "%.2f", passesPerCopy))·c \
    times. The floor is the same probe on held-out stories the model never saw: the story grammar is regular, so \
    short suffixes are often guessed without any memory, which is why the longer suffixes are the sharper test. \
    A softer measure is the model's loss on the story's own text.
    """)
    // Occurrences from the hidden labels: every document whose group is the story.
    var occurrences = Array(repeating: 0, count: mix.cleanStories)
    for d in docs { if let g = d.group { occurrences[g] += 1 } }
    let perBin = nb.pick(quick: 10, full: 30)
    let unseenTexts = Array(validation.prefix(nb.pick(quick: 20, full: 60)))
    struct MemRow { var bin: String; var stories: Int; var meanOcc: Double; var raw: [Double]; var cur: [Double]; var rawBits: Double; var curBits: Double }
    var mem: [MemRow] = []
    let rawModel = runs["raw"]![0].model, curModel = runs["curated"]![0].model
    nb.timed("memorisation probes") {
        for (bin, members) in CopyBin.assign(occurrences, to: CopyBin.powersOfFour(upTo: occurrences.max() ?? 1)) {
            let ids = members.prefix(perBin)
            let texts = ids.map { pool.cleanTexts[$0] }
            mem.append(MemRow(bin: bin.label, stories: ids.count, meanOcc: Double(ids.reduce(0) { $0 + occurrences[$1] }) / Double(ids.count),
                              raw: probe.rates(rawModel, texts: texts), cur: probe.rates(curModel, texts: texts),
                              rawBits: textBits(rawModel, texts: texts), curBits: textBits(curModel, texts: texts)))
        }
        mem.append(MemRow(bin: "0 (held out)", stories: unseenTexts.count, meanOcc: 0,
                          raw: probe.rates(rawModel, texts: unseenTexts), cur: probe.rates(curModel, texts: unseenTexts),
                          rawBits: textBits(rawModel, texts: unseenTexts), curBits: textBits(curModel, texts: unseenTexts)))
    }
    let seen = mem.dropLast(), unseenRow = mem[mem.count - 1]
    let top = seen.last!, once = seen.first!
    func pcts(_ x: [Double]) -> String { x.map { String(format: "%.0f", 100 * $0) }.joined(separator: " / ") }
    nb.table(headers: ["occurrences in the crawl", "stories", "mean occurrences", "passes in raw training",
                       "raw: % extracted (k = \(probe.suffixes.map(String.init).joined(separator: " / ")))",
                       "curated: % extracted", "raw: bits/char on the story", "curated: bits/char on the story"],
             rows: mem.map { r in
                 [r.bin, "\(r.stories)", String(format: "%.0f", r.meanOcc), String(format: "%.1f", r.meanOcc * passesPerCopy),
                  pcts(r.raw), pcts(r.cur), String(format: "%.3f", r.rawBits), String(format: "%.3f", r.curBits)]
             })
    nb.number("raw model: \(kMid)-byte suffixes extracted, most-copied stories", top.raw[1], key: "raw_memorisation_top", unit: "share", format: "%.3f")
    nb.number("raw model: \(kMid)-byte suffixes extracted, stories seen once", once.raw[1], key: "raw_memorisation_once", unit: "share", format: "%.3f")
    nb.number("raw model: \(kMid)-byte suffixes extracted, unseen stories (floor)", unseenRow.raw[1], key: "raw_memorisation_unseen", unit: "share", format: "%.3f")
    nb.number("raw model: \(probe.suffixes[2])-byte suffixes extracted, most-copied stories", top.raw[2], key: "raw_memorisation_top_long", unit: "share", format: "%.3f")
    nb.number("raw model: \(probe.suffixes[2])-byte suffixes extracted, unseen stories (floor)", unseenRow.raw[2], key: "raw_memorisation_unseen_long", unit: "share", format: "%.3f")
    nb.number("raw model bits/char on the most-copied stories", top.rawBits, key: "raw_bits_top_copied", unit: "bits/char", format: "%.3f")
    nb.number("raw model bits/char on unseen stories", unseenRow.rawBits, key: "raw_bits_unseen", unit: "bits/char", format: "%.3f")
    nb.number("raw model loss ratio, most-copied / unseen stories", top.rawBits / unseenRow.rawBits, key: "raw_loss_ratio_top", unit: "", format: "%.3f")
    let memX = seen.map(\.meanOcc)
    var extractPlot = LinePlot(
        title: "Copies are extracted: the raw-trained model reproduces the stories the crawl repeats",
        xLabel: "occurrences of the story in the raw crawl (bin mean, log scale)",
        yLabel: "share of windows whose suffix is reproduced exactly", xScale: .log10,
        series: probe.suffixes.indices.map { i in
            LineSeries(name: "\(probe.suffixes[i])-byte suffix", x: memX, y: seen.map { $0.raw[i] },
                       marker: [.circle, .square, .triangle][i % 3], color: Palette.color(i))
        },
        referenceLines: probe.suffixes.indices.map { i in
            ReferenceLine(value: unseenRow.raw[i], label: "\(probe.suffixes[i])-byte, unseen stories", color: Palette.color(i))
        },
        width: 1600, height: 900)
    // Room above the highest point for the legend, on a share axis.
    extractPlot.yAxis.range = 0...min(1, max(0.3, 1.3 * (seen.flatMap(\.raw).max() ?? 1)))
    try nb.figure(extractPlot, name: "extraction", caption: "Greedy extraction by the raw-trained model (seed \(ChapterRun.seeds[0])) from \(probe.prefix)-byte prompts, per bin of occurrences in the crawl; dashed lines: the same probe on held-out stories.")
    var memPlot = LinePlot(title: "Copies are memorised: loss on a story against how often the crawl repeats it",
                           xLabel: "occurrences of the story in the raw crawl (bin mean, log scale)",
                           yLabel: "loss on the story's own text (bits/char)", xScale: .log10, series: [
                            LineSeries(name: "raw-trained", x: memX, y: seen.map(\.rawBits), marker: .circle, color: Palette.color(0)),
                            LineSeries(name: "curated-trained (one copy of each story)", x: memX, y: seen.map(\.curBits), marker: .square, color: Palette.color(1))],
                           referenceLines: [ReferenceLine(value: unseenRow.rawBits, label: "raw-trained, unseen stories", color: Palette.color(0)),
                                            ReferenceLine(value: unseenRow.curBits, label: "curated-trained, unseen stories", color: Palette.color(1)),
                                            ReferenceLine(value: floor.bitsPerCharacter, label: "entropy floor of the stories (no memory)", color: Color.grey)],
                           width: 1600, height: 900)
    // Headroom above the lines, so the legend does not cover them.
    memPlot.yAxis.range = 0...(1.25 * max(seen.map(\.rawBits).max() ?? 2, unseenRow.rawBits))
    try nb.figure(memPlot, name: "memorisation", caption: "Loss of each model on the text of stories that the raw crawl repeats 1 to \(occurrences.max() ?? 0) times (bin means), with each model's loss on unseen stories and the stories' entropy floor as reference lines.")
    let epochs = Double(predictions) / Double(curatedData.train.count)
    let kLong = probe.suffixes[2]
    let below = seen.dropLast().map { $0.raw[1] }
    let curSeen = seen.map { $0.cur[1] }
    nb.say("""
    The raw-trained model's loss on a story, from the bin of stories that occur once to the most-copied bin, is \
    \(seen.map { String(format: "%.3f", $0.rawBits) }.joined(separator: ", ")) bits/char, against \(String(format: "%.3f", unseenRow.rawBits)) on stories it never \
    saw (the most-copied stories at \(String(format: "%.2f", top.rawBits / unseenRow.rawBits))× that). Verbatim \
    extraction lags behind the loss: below the top bin the \(kMid)-byte rate stays between \
    \(pct(below.min() ?? 0)) and \(pct(below.max() ?? 0)) (unseen stories: \(pct(unseenRow.raw[1]))), and on the \
    \(top.stories) most-copied stories (about \(String(format: "%.0f", top.meanOcc)) occurrences, so \
    \(String(format: "%.0f", top.meanOcc * passesPerCopy)) passes in training) it reaches \(pct(top.raw[1])); for \
    \(kLong)-byte suffixes, which the grammar alone almost never gives (\(pct(unseenRow.raw[2])) on unseen stories), \
    it reaches \(pct(top.raw[2])). Short suffixes are a weak test here: \(pct(unseenRow.raw[0])) of the \
    \(probe.suffixes[0])-byte suffixes of unseen stories are guessed from the grammar alone. The curated model \
    repeats its data a different way: \(predictions) predictions over \(curatedData.train.count) bytes is \
    \(String(format: "%.1f", epochs)) epochs, so it saw every kept story about that many times. Its \(kMid)-byte \
    rate is \(pct(curSeen.min() ?? 0))–\(pct(curSeen.max() ?? 0)) in every bin, against \(pct(unseenRow.cur[1])) \
    on unseen stories: deduplication leaves one copy of each story, so the repetition is spread evenly instead of \
    concentrated on a few documents.
    """)

    // Bias in the trained models.
    let ending: String = {
        let doc = result.unbalancedTexts.first { !RoleBias.mentions($0).isEmpty } ?? validation[0] + " "
        return String(doc.components(separatedBy: RoleMention.opening)[0].suffix(24))
    }()
    let probeModels: [(String, GPT, [RoleMention])] = [
        ("raw crawl (clean stories)", rawModel, rawMentions),
        ("curated, before rebalancing", unbalancedModel.model, before),
        ("curated and rebalanced", curModel, after)]
    var roleProbes: [RoleProbe] = []
    nb.timed("role probes") { roleProbes = probeModels.map { probeRoles($0.1, context: ending) } }
    let rolesInCurated = before.count
    nb.say("""
    **Bias in the model.** For each of the 60 names, each model scores the six completions " nurse.", " baker.", \
    " teacher.", " pilot.", " builder." and " doctor." after "…\(ending)Their neighbour, a woman named NAME, \
    was a" ("a man named" for boys' names). The context is the end of a story from the curated training text, \
    exactly as the sentence follows it there. The model's stereotype share is the probability it gives the three \
    stereotyped roles, out of all six, averaged over names: 0.5 means the model does not tie roles to women or \
    men. The **gap** is how far the word "woman" instead of "man" moves probability onto the women's roles \
    (0 for no dependence; \(String(format: "%.2f", 2 * mix.roleSkew - 1)) for the \(pct(mix.roleSkew)) skew the crawl plants). The **role mass** is the \
    probability of the six roles' first letters right after "was a ": whether the model learned that a role \
    comes there at all. All three models use seed \(ChapterRun.seeds[0]) and the same steps. The curated text \
    holds \(rolesInCurated) role sentences, which the curated model passes over about \(String(format: "%.0f", epochs)) times each.
    """)
    var biasRows: [[String]] = []
    for (i, (name, _, mentions)) in probeModels.enumerated() {
        let t = RoleBias.groupShares(mentions), r = roleProbes[i]
        biasRows.append([name, String(format: "%.3f", RoleBias.stereotypeShare(mentions)), String(format: "%.3f", r.stereotypeShare),
                         String(format: "%.2f / %.2f", t.women, t.men), String(format: "%.2f / %.2f", r.women, r.men),
                         String(format: "%.2f", t.women - (1 - t.men)), String(format: "%.2f", r.gap), String(format: "%.2f", r.roleMass)])
    }
    nb.table(headers: ["training text", "text: stereotype share", "model: stereotype share", "text: women / men", "model: women / men",
                       "text: gap", "model: gap", "model: role mass"], rows: biasRows)
    let (rawProbe, before0, after0) = (roleProbes[0], roleProbes[1], roleProbes[2])
    nb.number("raw-trained model stereotype share", rawProbe.stereotypeShare, key: "model_stereotype_raw", unit: "share", format: "%.3f")
    nb.number("model stereotype share before rebalancing", before0.stereotypeShare, key: "model_stereotype_before", unit: "share", format: "%.3f")
    nb.number("model stereotype share after rebalancing", after0.stereotypeShare, key: "model_stereotype_after", unit: "share", format: "%.3f")
    nb.number("model role mass before rebalancing", before0.roleMass, key: "model_role_mass_before", unit: "share", format: "%.3f")
    nb.say("""
    Curation alone does not debias: the curated text is as skewed as the crawl's stories \
    (\(String(format: "%.3f", RoleBias.stereotypeShare(before))) against \(String(format: "%.3f", RoleBias.stereotypeShare(rawMentions)))), \
    and the model trained on it gives the stereotyped roles \(pct(before0.stereotypeShare)) of the probability, \
    with a gap of \(String(format: "%.2f", before0.gap)) between women and men (the text's: \
    \(String(format: "%.2f", RoleBias.groupShares(before).women - (1 - RoleBias.groupShares(before).men)))). \
    The raw-trained model, which saw far fewer story bytes, gives \(pct(rawProbe.stereotypeShare)) (role mass \
    \(String(format: "%.2f", rawProbe.roleMass)) against \(String(format: "%.2f", before0.roleMass)) for the curated \
    one). Rebalancing the text is what removes the skew: the model trained on the rebalanced text gives \
    \(pct(after0.stereotypeShare)) (text: \(pct(RoleBias.stereotypeShare(after)))), with a gap of \
    \(String(format: "%.2f", after0.gap)). The lesson is in the order: the skew is counted in the text before \
    training, where it can still be changed; a model trained on the skewed text takes on part of it \
    (\(String(format: "%.2f", before0.gap)) of the text's gap of \
    \(String(format: "%.2f", RoleBias.groupShares(before).women - (1 - RoleBias.groupShares(before).men)))), and one \
    trained on the rebalanced text keeps a gap of \(String(format: "%.2f", after0.gap)).
    """)

    // MARK: 10. Summary
    nb.section("10. What the study guide's numbers mean here")
    nb.say("""
    "Only 1–3% of the tokens survive" is a property of the crawl, not a law of curation. Here the crawl was \
    built so that one copy of each clean story is \(pct(uniqueClean)) of its bytes, and a sound pipeline keeps \
    \(pct(keptShare)): the stages remove what the hidden labels say is junk with the precision and recall in \
    the table of section 4, and the curated set trains a better model at equal cost (\(String(format: "%.3f", curMean)) \
    against \(String(format: "%.3f", rawMean)) bits/char, floor \(String(format: "%.3f", floor.bitsPerCharacter))). \
    A crawl with less junk would keep more, and one with more would keep less; what carries over is the \
    order of the stages, how to score each one, and the fact that most of what is removed is removed cheaply: \
    extraction and language identification alone remove \(pct(1 - Double(stages[2].tokensOut) / Double(rawTokens))) \
    of the tokens before the classifiers and MinHash run.
    """)
}
