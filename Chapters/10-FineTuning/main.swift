// Chapter 10: fine-tuning, frameworks and deployment.
// The steps live in Steps/ (module Ch10FineTuning, tested in Tests/Ch10FineTuningTests); this file
// narrates them in order and writes the figures and report to Figures/10-finetuning.
import Ch02Attention
import Ch10FineTuning
import Datasets
import Engine
import Foundation
import Models
import Notebook
import Plot

func f(_ x: Double, _ digits: Int = 3) -> String { String(format: "%.\(digits)f", x) }
func pct(_ x: Double, _ digits: Int = 1) -> String { String(format: "%.\(digits)f %%", 100 * x) }
func grouped(_ n: Int) -> String {
    let s = String(n)
    var out = ""
    for (i, c) in s.enumerated() { if i > 0 && (s.count - i) % 3 == 0 { out += "," }; out.append(c) }
    return out
}
func mib(_ bytes: Int) -> String { String(format: "%.2f MiB", Double(bytes) / 1_048_576) }

Notebook.run(number: 10, slug: "finetuning", title: "Fine-tuning, frameworks and deployment") { nb in
    let s = TuneSettings.pick(quick: nb.quick)
    let cacheRoot = (nb.cacheDir as NSString).deletingLastPathComponent
    let cache = TrainingCache(folder: nb.cacheDir, fresh: nb.fresh)
    func note(_ text: String) { FileHandle.standardError.write(Data((text + "\n").utf8)) }

    nb.say("""
        Pre-training (chapters 02–04) is expensive and general: a model learns the statistics of a \
        large corpus. Most uses of generative AI start from such a model and **adapt** it: to a new \
        kind of text, to answering questions, to a new visual concept. The study guide says that \
        pre-trained models "can be fine-tuned and deployed with minimal code", that frameworks such \
        as PyTorch provide the building blocks, and that larger models need less further training. \
        This chapter does each with the course's own models: it adapts chapter 02's story GPT to \
        recipes three ways (from scratch, full fine-tuning, and LoRA), measures what each costs and \
        forgets, teaches the model a question-and-answer format, compares model sizes, hands the \
        model to PyTorch, and serves it from a command-line tool.
        """)

    // MARK: 1. The base model and the new domain
    nb.section("1. A pre-trained model and a new domain")
    let storyData = ChapterRun.storyData(quick: nb.quick, seed: nb.seed)
    let base = try nb.timed("chapter 02's GPT (restored from its cache, or pre-trained now)") { () throws -> PretrainResult in
        let folder = cacheRoot + "/02-attention"
        let r = try ChapterRun.pretrainStoryGPT(quick: nb.quick, seed: nb.seed, data: storyData, cache: TrainingCache(folder: folder, fresh: false))
        if !r.cached { note("note: chapter 02's GPT was not in \(folder); it was pre-trained now and stored there") }
        return r
    }
    let baseModel = base.model
    let gc = baseModel.config
    let baseKey = ChapterRun.pretraining(quick: nb.quick).cacheKey + "-seed\(nb.seed)"
    let recipes = RecipeCorpus(seed: nb.seed &+ 10)
    let recipeTexts = recipes.texts(0..<(s.recipeDocuments.train + s.recipeDocuments.validation))
    let recipeData = ByteCorpus(trainTexts: Array(recipeTexts[..<s.recipeDocuments.train]),
                                validationTexts: Array(recipeTexts[s.recipeDocuments.train...]))
    let recipeFloor = recipes.entropyRate(documents: nb.pick(quick: 300, full: 3000))
    let data = TuneData(new: recipeData, original: storyData, key: "recipes\(s.recipeDocuments.train)+\(s.recipeDocuments.validation)-seed\(nb.seed)")
    nb.say("""
        The starting point is chapter 02's GPT (\(gc.description), \(grouped(baseModel.parameterCount)) \
        parameters), pre-trained on the story corpus and loaded from chapter 02's cache. The new \
        domain is a generated corpus of **recipes**: a title, a list of ingredients with amounts, \
        numbered steps that use only the listed ingredients, and a serving line whose temperature \
        follows from the dish. Its words (cups, spoons, lentils, simmering minutes) never occur in \
        the stories. Like the stories, the recipes come from a known random program, so their true \
        entropy is known: no model can average below it. A recipe:
        """)
    nb.output(recipes.recipe(0).text)
    nb.number("recipe entropy floor (± standard error)", recipeFloor.bitsPerCharacter, key: "recipe_entropy_floor_bits_per_char",
              unit: "bits/char", text: "\(f(recipeFloor.bitsPerCharacter)) ± \(f(recipeFloor.standardErrorPerCharacter))")
    let newValidation = recipeData.validationBatches(count: s.validationBatches, batch: s.batch, length: gc.context)
    let storyValidation = storyData.validationBatches(count: s.validationBatches, batch: s.batch, length: gc.context)
    let baseRecipeBits = evaluateBits(baseModel, newValidation)
    let baseStoryBits = evaluateBits(baseModel, storyValidation)
    nb.number("base model on recipes (never seen)", baseRecipeBits, key: "base_recipe_val_loss", unit: "bits/char", format: "%.3f")
    nb.number("base model on stories (its own domain)", baseStoryBits, key: "base_story_val_loss", unit: "bits/char", format: "%.3f")
    let uniformBits = 8.0
    nb.say(baseRecipeBits < uniformBits ? """
        The story model already knows English spelling, so on recipes it does better than a model \
        that spreads its bets evenly over the 256 byte values (\(f(uniformBits, 0)) bits per character), \
        but it is far above the recipe floor: it has never seen the layout or the vocabulary.
        """ : """
        On recipes the story model does *worse* than a model that spreads its bets evenly over the \
        256 byte values (\(f(uniformBits, 0)) bits per character): it has learned English spelling, but \
        it is confidently wrong about what recipes contain (digits, units, ingredient names, a \
        layout it has never seen), and cross-entropy punishes a confident wrong guess more than an \
        honest spread. Whatever it knows must be *unlocked* by training on the new domain; the \
        comparison with training from scratch below measures how much that knowledge is worth.
        """)

    // MARK: 2. Three ways to adapt
    nb.section("2. Three ways to adapt: from scratch, full fine-tuning, LoRA")
    nb.say("""
        Every run below takes the same \(s.steps) optimizer steps of \(s.batch) windows of \
        \(gc.context) bytes from the recipe training set (AdamW, warmup, cosine decay, clipping):

        - **from scratch**: a freshly initialised GPT of the same shape; it must learn English and \
          recipes from the recipe text alone;
        - **full fine-tuning**: chapter 02's weights, every one of them trained further;
        - **LoRA** (low-rank adaptation, Hu et al. 2021): chapter 02's weights frozen; beside each \
          projection W of every block (attention's qkv and output, the MLP's two layers) sits a \
          trainable update ΔW = (α/r)·B·A with A of shape r × in and B of shape out × r. The layer \
          computes x·Wᵀ + (α/r)·(x·Aᵀ)·Bᵀ. B starts at zero, so training starts exactly at the \
          pre-trained model; the rank r limits how many independent directions the update can \
          change. With α fixed (α = \(f(Double(s.loraAlpha), 0)) here), dividing by r keeps the \
          update's scale comparable across ranks.
        """)
    nb.code("""
        // Sources/Engine/NN/LowRankAdapter.swift: the whole forward pass of an adapter
        public func callAsFunction(_ x: Tensor) -> Tensor {
            linear(linear(x, down, nil), up, nil).scaled(scale)      // (α/r) · (x·Aᵀ)·Bᵀ
        }
        // Linear: y = x·Wᵀ + b, plus the adapter when one is attached
        let y = linear(x, weight, bias)
        guard let adapter else { return y }
        return y + adapter(x)
        """)
    let probe = baseModel.copy()
    let probeIDs = [Array(byteIDs(recipes.recipe(1).text).prefix(gc.context))]
    let before = Tensor.noGrad { probe(probeIDs).values }
    probe.attachLoRA(rank: s.headlineRank, alpha: s.loraAlpha, seed: 1)
    let attached = Tensor.noGrad { probe(probeIDs).values }
    let identityGap = zip(before, attached).map { abs($0 - $1) }.max() ?? 0
    nb.number("largest logit change from attaching adapters (B = 0)", Double(identityGap), key: "lora_attach_logit_change",
              unit: "", format: "%.1g")
    nb.say("""
        Attaching the adapters changes no output at all (the largest change is \(f(Double(identityGap), 1)): \
        B·A is exactly zero). A rank-r adapter on a layer with `in` inputs and `out` outputs adds \
        r·(in + out) numbers; over the four projections of a block of width d that is \
        r·(4d + 2d + 5d + 5d) = 16·r·d per block.
        """)

    var methods: [TuneMethod] = [.scratch, .full]
    methods += s.ranks.map { TuneMethod.lora(rank: $0) }
    var results: [TuneMethod: TuneResult] = [:]
    for m in methods {
        results[m] = try nb.timed("\(m.name) (\(s.steps) steps, or restoring it)") {
            try fineTune(.chapter(m, s), base: baseModel, baseKey: baseKey, data: data, seed: nb.seed &+ 20, cache: cache)
        }
    }
    let mixed = try nb.timed("full fine-tune with \(pct(s.mixShare, 0)) stories mixed in") {
        try fineTune(.chapter(.full, s, mix: true), base: baseModel, baseKey: baseKey, data: data, seed: nb.seed &+ 20, cache: cache)
    }
    let totalParameters = baseModel.parameterCount
    let series = methods.map { m -> LineSeries in
        let r = results[m]!
        return LineSeries(name: m.name, x: r.steps.map { Double(max($0, 1)) }, y: r.newBits, dashed: m == .scratch)
    }
    try nb.figure(LinePlot(title: "Recipe validation loss while adapting (equal steps, \(s.batch) windows of \(gc.context) bytes each)",
                           xLabel: "optimizer step (log scale; step 0 drawn at 1)", yLabel: "recipe validation loss (bits per character)",
                           xScale: .log10, series: series,
                           referenceLines: [ReferenceLine(value: recipeFloor.bitsPerCharacter, label: "entropy floor")]),
                  name: "loss-curves", caption: "Held-out recipe loss against steps for every method. The dashed line starts from a random model; the others start from chapter 02's.")
    let headline = TuneMethod.lora(rank: s.headlineRank)
    let rows = (methods + [.full]).enumerated().map { i, m -> [String] in
        let isMix = i == methods.count
        let r = isMix ? mixed : results[m]!
        let stateBytes = r.trainable * 16 + (totalParameters - (m == .scratch || m == .full ? totalParameters : 0)) * 4
        return [isMix ? "full fine-tune + \(pct(s.mixShare, 0)) stories" : m.name, grouped(r.trainable), pct(Double(r.trainable) / Double(totalParameters), 2),
                f(r.finalNewBits), f(r.originalBits), f(r.originalBits - baseStoryBits), mib(stateBytes)]
    }
    nb.table(headers: ["method", "trainable parameters", "share of the model", "recipe loss (bits/char)",
                       "story loss after (bits/char)", "forgetting (story loss − \(f(baseStoryBits)))", "weights + gradients + AdamW state"],
             rows: rows)
    let scratch = results[.scratch]!, full = results[.full]!, lora = results[headline]!
    nb.number("from scratch: recipe validation loss", scratch.finalNewBits, key: "scratch_val_loss", unit: "bits/char", format: "%.3f")
    nb.number("full fine-tune: recipe validation loss", full.finalNewBits, key: "full_ft_val_loss", unit: "bits/char", format: "%.3f")
    nb.number("LoRA r = \(s.headlineRank): recipe validation loss", lora.finalNewBits, key: "lora_r\(s.headlineRank)_val_loss", unit: "bits/char", format: "%.3f")
    nb.number("LoRA r = \(s.headlineRank): trainable share", Double(lora.trainable) / Double(totalParameters), key: "lora_r\(s.headlineRank)_trainable_share",
              unit: "share", format: "%.2f %%", scale: 100)
    for m in [TuneMethod.full, headline] {
        let t = try secondsPerStep(.chapter(m, s), base: baseModel, data: data)
        nb.machineNumber("seconds per training step, \(m.name)", text: String(format: "%.3f s", t))
    }
    nb.say("""
        The memory column counts what training must hold per parameter: 4 bytes for each weight, and \
        for each *trained* weight 4 more for its gradient and 8 for AdamW's two running averages. \
        Activations come on top and are about the same for every method.
        """)
    try nb.figure(ScatterPlot(title: "Trainable parameters against final recipe loss",
                              xLabel: "trainable parameters (log10)", yLabel: "recipe validation loss after \(s.steps) steps (bits/char)",
                              x: methods.map { log10(Double(results[$0]!.trainable)) }, y: methods.map { results[$0]!.finalNewBits },
                              category: methods.indices.map { $0 }, categoryNames: methods.map(\.name), pointSize: 14),
                  name: "params-vs-loss", caption: "Each method's trainable parameter count (log scale) against the loss it reaches. LoRA's ranks trade parameters for loss.")

    let samplePrompt = "Recipe:"
    nb.say("Samples from the prompt \"\(samplePrompt)\" (temperature 0.8, the same seed for every model):")
    nb.table(headers: ["model", "sample"], rows: [("chapter 02 (stories only)", baseModel), ("from scratch", scratch.model),
                                                  ("full fine-tune", full.model), ("LoRA r = \(s.headlineRank)", lora.model)].map { name, m in
        var rng = RNG(seed: nb.seed &+ 50)
        let ids = m.generate(prompt: byteIDs(samplePrompt), count: nb.pick(quick: 60, full: gc.context - samplePrompt.utf8.count),
                             rule: .sample(temperature: 0.8, topK: nil), rng: &rng)
        let text = String(decoding: ids.map { UInt8($0) }, as: UTF8.self).replacingOccurrences(of: "\n", with: " / ")
        return [name, "`\(text.replacingOccurrences(of: "`", with: "'"))`"]
    })

    // MARK: 3. Forgetting
    nb.section("3. What the model forgets")
    nb.number("forgetting, full fine-tune (story loss rise)", full.originalBits - baseStoryBits, key: "forgetting_full", unit: "bits/char", format: "%.3f")
    nb.number("forgetting, LoRA r = \(s.headlineRank)", lora.originalBits - baseStoryBits, key: "forgetting_lora_r\(s.headlineRank)", unit: "bits/char", format: "%.3f")
    nb.number("forgetting, full fine-tune with stories mixed in", mixed.originalBits - baseStoryBits, key: "forgetting_full_mixed", unit: "bits/char", format: "%.3f")
    try nb.figure(BarChart(title: "Story validation loss before and after adapting to recipes",
                           categories: ["before (chapter 02)", "full fine-tune", "full + \(pct(s.mixShare, 0)) stories", "LoRA r = \(s.headlineRank)", "from scratch"],
                           series: [BarSeries(name: "story loss", values: [baseStoryBits, full.originalBits, mixed.originalBits, lora.originalBits, scratch.originalBits])],
                           xLabel: "model", yLabel: "story validation loss (bits per character)", showValues: true),
                  name: "forgetting", caption: "How much of the original domain each adapted model keeps. Lower is better; the first bar is the starting point.")

    // MARK: 4. Merging
    nb.section("4. Merging an adapter away")
    let merged = lora.model.copy(merging: true)
    let unmergedLogits = Tensor.noGrad { lora.model(probeIDs).values }
    let mergedLogits = Tensor.noGrad { merged(probeIDs).values }
    let mergeGap = zip(unmergedLogits, mergedLogits).map { abs($0 - $1) }.max() ?? 0
    nb.number("largest logit difference, merged vs adapter", Double(mergeGap), key: "lora_merge_logit_gap", unit: "", format: "%.2g")
    nb.say("""
        W + (α/r)·B·A is an ordinary weight matrix, so after training the adapters can be added into \
        the weights: the merged model is a plain GPT with exactly the base model's shape and speed, \
        and its logits agree with the adapter form to \(String(format: "%.1g", Double(mergeGap))) (float rounding: the two \
        forms add the same products in a different order). Kept apart instead, one frozen base can \
        serve many tasks, each a small file of adapters.
        """)

    // MARK: 5. Larger models need less further training
    nb.section("5. Do larger models need less further training?")
    let familyCache = TrainingCache(folder: nb.cacheDir, fresh: nb.fresh)
    var members: [FamilyMember] = []
    for (width, layers) in s.family {
        let isBase = width == gc.width && layers == gc.layers
        let pre = isBase ? base : try nb.timed("pre-training the d\(width)·L\(layers) story GPT (or restoring it)") {
            try pretrainFamilyMember(width: width, layers: layers, quick: nb.quick, steps: s.familyPretrainSteps, seed: nb.seed,
                                     data: storyData, cache: familyCache)
        }
        let memberKey = isBase ? baseKey : "family-d\(width)-L\(layers)-s\(s.familyPretrainSteps)-seed\(nb.seed)"
        var plan = TunePlan.chapter(.full, s)
        plan.evaluateAt = Array(stride(from: 0, through: s.steps, by: max(1, s.steps / 30)))
        let tuned = try nb.timed("full fine-tune of d\(width)·L\(layers) on recipes (or restoring it)") {
            try fineTune(plan, base: pre.model, baseKey: memberKey, data: data, seed: nb.seed &+ 20, cache: familyCache)
        }
        members.append(FamilyMember(config: pre.model.config, pretrainedStoryBits: pre.final.validationBits, tuned: tuned))
    }
    let target = members[0].tuned.finalNewBits
    nb.say("""
        Chapter 04 trained a family of story GPTs of growing size. Here three sizes (the smallest two \
        pre-trained with chapter 02's recipe and step count, the largest *is* chapter 02's model) are \
        each fine-tuned on recipes with the same full fine-tuning schedule, and the table counts the \
        steps each needs to reach the loss the smallest one ends at (\(f(target)) bits per character).
        """)
    nb.table(headers: ["model", "non-embedding parameters", "story loss after pre-training", "recipe loss before tuning",
                       "recipe loss after \(s.steps) steps", "steps to reach \(f(target))"],
             rows: members.map { m in
                 [m.config.description, grouped(m.parameters), f(m.pretrainedStoryBits), f(m.tuned.newBits[0]), f(m.tuned.finalNewBits),
                  m.stepsTo(target).map(String.init) ?? "not reached"]
             })
    try nb.figure(LinePlot(title: "Recipe loss during full fine-tuning, by model size",
                           xLabel: "optimizer step", yLabel: "recipe validation loss (bits per character)",
                           series: members.map { LineSeries(name: "\($0.config.description.components(separatedBy: ",").prefix(2).joined(separator: ",")) (N = \(grouped($0.parameters)))",
                                                            x: $0.tuned.steps.map(Double.init), y: $0.tuned.newBits) },
                           referenceLines: [ReferenceLine(value: target, label: "target: the smallest model's final loss"),
                                            ReferenceLine(value: recipeFloor.bitsPerCharacter, label: "entropy floor")]),
                  name: "size-family", caption: "Each size fine-tuned on recipes with the same schedule. Larger pre-trained models start lower and reach the target sooner.")
    for m in members {
        if let n = m.stepsTo(target) {
            nb.number("steps to the target, \(m.config.width)-wide model", n, key: "steps_to_target_d\(m.config.width)", unit: "count")
        }
    }

    // MARK: 6. Instruction following
    nb.section("6. Teaching a format: answering questions")
    let questions = ColourQuestions(seed: nb.seed &+ 30)
    let trainItems = questions.items(0..<s.questions.train)
    let testItems = questions.items(s.questions.train..<(s.questions.train + s.questions.test))
    let qaData = TuneData(new: ByteCorpus(trainTexts: trainItems.map(\.text), validationTexts: testItems.map(\.text)),
                          original: storyData, key: "questions\(s.questions.train)+\(s.questions.test)-seed\(nb.seed)")
    nb.say("""
        An **instruction-tuned** model answers the question it is asked instead of continuing the \
        text in whatever way its pre-training corpus would. The course's version: a few facts about \
        who owns what, then a question whose answer is one fact's colour. The story model knows every \
        word (names, colours and objects all come from the story vocabulary) but has never seen the \
        "Q: … A: …" format. The held-out questions are new draws of facts and questions.
        """)
    nb.output(testItems[0].text)
    let beforeScore = scoreAnswers(baseModel, items: testItems)
    var qaResults: [(String, TuneResult, AnswerScore)] = []
    for m in [TuneMethod.full, .lora(rank: s.headlineRank)] {
        let r = try nb.timed("instruction tuning, \(m.name) (or restoring it)") {
            try fineTune(.chapter(m, s), base: baseModel, baseKey: baseKey, data: qaData, seed: nb.seed &+ 40, cache: cache)
        }
        qaResults.append((m.name, r, scoreAnswers(r.model, items: testItems)))
    }
    let guess = statedGuessAccuracy(testItems)
    nb.table(headers: ["model", "exact answer", "answer is a stated colour", "question loss (bits/char)", "story loss after"],
             rows: [["chapter 02 (before tuning)", pct(beforeScore.correct), pct(beforeScore.statedColour), f(evaluateBits(baseModel, qaData.new.validationBatches(count: s.validationBatches, batch: s.batch, length: gc.context))), f(baseStoryBits)]]
                 + qaResults.map { [$0.0, pct($0.2.correct), pct($0.2.statedColour), f($0.1.finalNewBits), f($0.1.originalBits)] })
    nb.number("answer accuracy before tuning", beforeScore.correct, key: "qa_acc_before", unit: "share", format: "%.1f %%", scale: 100)
    nb.number("answer accuracy after full instruction tuning", qaResults[0].2.correct, key: "qa_acc_after_full", unit: "share", format: "%.1f %%", scale: 100)
    nb.number("answer accuracy after LoRA r = \(s.headlineRank) instruction tuning", qaResults[1].2.correct, key: "qa_acc_after_lora_r\(s.headlineRank)", unit: "share", format: "%.1f %%", scale: 100)
    nb.number("guessing one of the stated colours", guess, key: "qa_acc_stated_guess", unit: "share", format: "%.1f %%", scale: 100)
    nb.say("""
        Two floors frame the accuracy: a model that answers with a colour but picks the fact at \
        random would score \(pct(guess)) (one over the number of facts), and one that names a random \
        colour of the 13 would score \(pct(1.0 / 13)). Answers from the tuned models:
        """)
    nb.table(headers: ["question (end of the prompt)", "before", "after full tuning", "expected"],
             rows: (0..<min(4, beforeScore.examples.count)).map { i in
                 let e = beforeScore.examples[i]
                 let q = e.prompt.components(separatedBy: "Q: ").last ?? e.prompt
                 return ["Q: " + q, "`\(e.given)`", "`\(qaResults[0].2.examples[i].given)`", e.expected]
             })

    // MARK: 7. Frameworks
    nb.section("7. The same model in PyTorch")
    let exportDir = nb.cacheDir + "/export"
    try FileManager.default.createDirectory(atPath: exportDir, withIntermediateDirectories: true)
    try baseModel.saveCheckpoint(to: exportDir + "/story-gpt.safetensors")
    try lora.model.saveCheckpoint(to: exportDir + "/recipes-lora-r\(s.headlineRank).safetensors")
    try merged.saveCheckpoint(to: exportDir + "/recipes-lora-r\(s.headlineRank)-merged.safetensors")
    let referenceIDs = Array(byteIDs(recipes.recipe(2).text).prefix(gc.context))
    let referenceLogits = Tensor.noGrad { lora.model([referenceIDs]).values }
    let json = "{\"ids\": [\(referenceIDs.map(String.init).joined(separator: ", "))],\n \"logits\": [\(referenceLogits.map { "\($0)" }.joined(separator: ", "))]}\n"
    try Data(json.utf8).write(to: URL(fileURLWithPath: exportDir + "/reference-logits.json"), options: .atomic)
    try Data(recipeTexts.prefix(400).joined(separator: RecipeCorpus.separator).utf8).write(to: URL(fileURLWithPath: exportDir + "/recipes.txt"), options: .atomic)
    nb.say("""
        Everything above ran on this course's own engine. In practice the same work is done with a \
        framework, and the course's checkpoints are written so that one can take over: tensors are \
        stored as safetensors under PyTorch's module paths (`blocks.0.attn.qkv.weight`, with \
        `lora_A` and `lora_B` beside an adapted weight) and the configuration sits in the file's \
        metadata. `Chapters/10-FineTuning/torch_twin.py` (about 150 lines, standard library and \
        torch only) defines the same GPT with `torch.nn`, loads the LoRA checkpoint this chapter \
        just wrote to `\(exportDir)`, checks that its logits equal the engine's, and continues \
        training with `torch.optim.AdamW` on a GPU if there is one:
        """)
    nb.code("""
        python3 Chapters/10-FineTuning/torch_twin.py --checkpoint \(exportDir)/recipes-lora-r\(s.headlineRank).safetensors \\
            --reference \(exportDir)/reference-logits.json --train-text \(exportDir)/recipes.txt --steps 50
        """, language: "sh")
    nb.say("""
        The course's test run (`.ci/run`) executes this check whenever PyTorch is installed. The \
        pieces map one to one:
        """)
    nb.table(headers: ["this course (Swift)", "PyTorch", "what it is"], rows: [
        ["`Tensor` (float32, shape, `requiresGrad`)", "`torch.Tensor`", "an array that records the operations on it"],
        ["`loss.backward()`, `tensor.grad`", "`loss.backward()`, `tensor.grad`", "reverse-mode automatic differentiation"],
        ["`Module`, `namedParameters()`", "`nn.Module`, `named_parameters()`", "a layer owning named weights"],
        ["`Linear`, `LayerNorm`, `Embedding`", "`nn.Linear`, `nn.LayerNorm`, `nn.Embedding`", "the same layers, the same initialisation"],
        ["`AdamW`, `LRSchedule.warmupCosine`", "`torch.optim.AdamW`, `lr_scheduler`", "the optimizer and its schedule"],
        ["`Module.save`/`load` (safetensors)", "`safetensors.torch.save_file`, `load_state_dict`", "checkpoints"],
        ["`Linear.attachAdapter`, `GPT.attachLoRA`", "`peft.LoraConfig` + `get_peft_model`", "LoRA adapters on chosen projections"],
        ["`Parallel` over 2 CPU cores", "CUDA kernels; DDP and FSDP over many GPUs", "where the arithmetic runs"],
    ])
    nb.say("""
        When one laptop is not enough, PyTorch scales the same program out: `DistributedDataParallel` \
        gives each GPU a copy of the model and its own slice of every batch and averages the \
        gradients; `FullyShardedDataParallel` also splits the weights and optimizer state across GPUs \
        when the model no longer fits on one. The Hugging Face libraries wrap this further: \
        `transformers` loads a pre-trained model by name, `peft` turns it into a LoRA model in a few \
        lines (a `LoraConfig` naming the rank, α and the target projections, then `get_peft_model`), \
        and `diffusers` does the same for Stable Diffusion's U-Net. This course describes them but \
        does not use them: every line that trains here is in this repository.
        """)

    // MARK: 8. Deployment
    nb.section("8. Deployment: a command that serves the model")
    let generateSource = "Sources/Generate/main.swift"
    let codeLines = (try? String(contentsOfFile: generateSource, encoding: .utf8))
        .map { $0.split(separator: "\n").filter { line in
            let t = line.trimmingCharacters(in: .whitespaces)
            return !t.isEmpty && !t.hasPrefix("//")
        }.count }
    nb.say("""
        Deploying a model means wrapping it in something other programs can call. The course's \
        `generate` executable loads any GPT checkpoint a chapter wrote, with its LoRA adapters \
        merged or not, and continues a prompt:
        """)
    nb.code("""
        swift run -c release generate text --checkpoint \(exportDir)/recipes-lora-r\(s.headlineRank).safetensors \\
            --prompt "Recipe: spicy" --temperature 0.8 --top-k 20 --max-tokens 200 --seed 1
        """, language: "sh")
    if let codeLines {
        nb.number("lines of code in `generate` (without comments and blank lines)", codeLines, key: "generate_code_lines", unit: "count")
    }
    nb.say("""
        Everything it does is a call into the library: read the checkpoint (which checks every name, \
        shape and configuration field and names the file and the field when one is wrong, exiting \
        with status 2), encode the prompt, sample with a seeded generator (the same seed gives the \
        same text), decode. A missing file, a file that is not a GPT checkpoint, a truncated file or \
        a bad option each give one line that names the problem. This is the sense in which a \
        pre-trained model is "deployed with minimal code": the network, its weights and its sampler \
        already exist, and serving it is a thin shell around them.
        """)
}
