// Chapter 10: fine-tuning, frameworks and deployment.
// The steps live in Steps/ (module Ch10FineTuning, tested in Tests/Ch10FineTuningTests); this file
// narrates them in order and writes the figures and report to Figures/10-finetuning.
import Ch02Attention
import Ch06Latent
import Ch08TextToImage
import Ch10FineTuning
import Diffusion
import Datasets
import Engine
import Foundation
import Models
import Notebook
import Plot

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
        follows from the dish. Most of its words (lentils, vinegar, pinches, handfuls, minutes) and \
        its digits never occur in the stories. Like the stories, the recipes come from a known random program, so their true \
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
    let mixed = try nb.timed("full fine-tune with \(pct(s.mixShare, 0, space: true)) stories mixed in") {
        try fineTune(.chapter(.full, s, mix: true), base: baseModel, baseKey: baseKey, data: data, seed: nb.seed &+ 20, cache: cache)
    }
    let totalParameters = baseModel.parameterCount
    let series = methods.map { m -> LineSeries in
        let r = results[m]!
        return LineSeries(name: m.name, x: r.steps.map { Double(max($0, 1)) }, y: r.newBits, dashed: m == .scratch)
    }
    let floorSeries = LineSeries(name: "recipe entropy floor", x: [1.0, Double(s.steps)], y: [recipeFloor.bitsPerCharacter, recipeFloor.bitsPerCharacter],
                                 dashed: true, color: Color(90, 90, 90))
    try nb.figure(LinePlot(title: "Recipe loss while adapting chapter 02's GPT (\(s.steps) equal steps)",
                           xLabel: "optimizer step (log scale; step 0 drawn at 1)", yLabel: "recipe validation loss (bits per character)",
                           xScale: .log10, series: series + [floorSeries]),
                  name: "loss-curves", caption: "Held-out recipe loss against steps for every method. The dashed line starts from a random model; the others start from chapter 02's.")
    let headline = TuneMethod.lora(rank: s.headlineRank)
    let methodRows = (methods + [.full]).enumerated().map { i, m -> [String] in
        let isMix = i == methods.count
        let r = isMix ? mixed : results[m]!
        let stateBytes = r.trainable * 16 + (totalParameters - (m == .scratch || m == .full ? totalParameters : 0)) * 4
        return [isMix ? "full fine-tune + \(pct(s.mixShare, 0, space: true)) stories" : m.name, grouped(r.trainable), pct(Double(r.trainable) / Double(totalParameters), 2, space: true),
                f(r.finalNewBits), f(r.originalBits), f(r.originalBits - baseStoryBits), mib(stateBytes)]
    }
    nb.table(headers: ["method", "trainable parameters", "share of the model", "recipe loss (bits/char)",
                       "story loss after (bits/char)", "forgetting (story loss − \(f(baseStoryBits)))", "weights + gradients + AdamW state"],
             rows: methodRows)
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
        Activations come on top and are about the same for every method. LoRA saves memory, not \
        much arithmetic: the backward pass must still run through every frozen layer to reach the \
        adapters below it, and skips only the frozen weights' own gradients (about a third of a step's matrix \
        products), while the adapters add small products of their own. The time per step depends on \
        the machine and is listed with the timings at the end.
        """)
    try nb.figure(ScatterPlot(title: "Trainable parameters against final recipe loss",
                              xLabel: "trainable parameters (log10)", yLabel: "recipe validation loss after \(s.steps) steps (bits/char)",
                              x: methods.map { log10(Double(results[$0]!.trainable)) }, y: methods.map { results[$0]!.finalNewBits },
                              category: methods.indices.map { $0 }, categoryNames: methods.map(\.name), pointSize: 14),
                  name: "params-vs-loss", caption: "Each method's trainable parameter count (log scale) against the loss it reaches. LoRA's ranks trade parameters for loss.")

    let samplePrompt = "Recipe:"
    nb.say("Samples from the prompt \"\(samplePrompt)\" (temperature 0.8, the same seed for every model; · marks a byte that is not printable ASCII):")
    nb.table(headers: ["model", "sample"], rows: [("chapter 02 (stories only)", baseModel), ("from scratch", scratch.model),
                                                  ("full fine-tune", full.model), ("LoRA r = \(s.headlineRank)", lora.model)].map { name, m in
        var rng = RNG(seed: nb.seed &+ 50)
        let ids = m.generate(prompt: byteIDs(samplePrompt), count: nb.pick(quick: 60, full: gc.context - samplePrompt.utf8.count),
                             rule: .sample(temperature: 0.8, topK: nil), rng: &rng)
        let text = printable(ids)  // bytes that are not printable ASCII show as ·, line breaks as ⏎
        return [name, "`\(text.replacingOccurrences(of: "`", with: "'"))`"]
    })

    // MARK: 3. Forgetting
    nb.section("3. What the model forgets")
    nb.number("forgetting, full fine-tune (story loss rise)", full.originalBits - baseStoryBits, key: "forgetting_full", unit: "bits/char", format: "%.3f")
    nb.number("forgetting, LoRA r = \(s.headlineRank)", lora.originalBits - baseStoryBits, key: "forgetting_lora_r\(s.headlineRank)", unit: "bits/char", format: "%.3f")
    nb.number("forgetting, full fine-tune with stories mixed in", mixed.originalBits - baseStoryBits, key: "forgetting_full_mixed", unit: "bits/char", format: "%.3f")
    nb.say("""
        Trained on recipes alone, the model loses the stories: full fine-tuning raises the story \
        loss from \(f(baseStoryBits)) to \(f(full.originalBits)) bits per character: the model now bets \
        on recipe bytes everywhere. LoRA \
        changes fewer numbers but not necessarily fewer behaviours: at rank \(s.headlineRank) the story \
        loss still rises to \(f(lora.originalBits)). Frozen weights are no protection when the \
        adapters sit on every projection and are trained hard on one domain. The simple remedy \
        works: with \(pct(s.mixShare, 0, space: true)) of every batch taken from the stories, the story loss stays \
        at \(f(mixed.originalBits)) while the recipe loss reaches \(f(mixed.finalNewBits)) (against \
        \(f(full.finalNewBits)) without mixing).
        """)
    try nb.figure(BarChart(title: "Story validation loss before and after adapting to recipes",
                           categories: ["before (chapter 02)", "full fine-tune", "full + \(pct(s.mixShare, 0, space: true)) stories", "LoRA r = \(s.headlineRank)", "from scratch"],
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
                       "recipe loss after \(s.steps) steps", "steps to reach \(f(target))", "training compute to reach it (TFLOP)"],
             rows: members.map { m in
                 [m.config.description, grouped(m.parameters), f(m.pretrainedStoryBits), f(m.tuned.newBits[0]), f(m.tuned.finalNewBits),
                  m.stepsTo(target).map(String.init) ?? "not reached",
                  m.stepsTo(target).map { f(Double($0 * s.batch * m.config.context) * m.config.trainingFLOPsPerToken(sequence: m.config.context) / 1e12, 2) } ?? "–"]
             })
    let computes = members.compactMap { m in m.stepsTo(target).map { Double($0 * s.batch * m.config.context) * m.config.trainingFLOPsPerToken(sequence: m.config.context) } }
    if computes.count == members.count, let first = computes.first, let last = computes.last {
        nb.say("""
            In optimizer steps the claim holds here: the largest model reaches the target in \
            \(members.last!.stepsTo(target)!) steps, the smallest in \(members.first!.stepsTo(target)!). \
            But a step of a larger model costs more arithmetic, and counted in training FLOPs (6 per \
            parameter per token plus attention, as in chapter 04) the largest model needs \
            \(f(last / first, 1))× the compute of the smallest to get there. "Less further training" \
            is true in steps and in data seen, \(last < first ? "and here in compute too" : "not in compute"); what the \
            larger model buys is a much lower loss for the same number of steps.
            """)
    }
    try nb.figure(LinePlot(title: "Recipe loss during full fine-tuning, by model size",
                           xLabel: "optimizer step", yLabel: "recipe validation loss (bits per character)",
                           series: members.map { LineSeries(name: "d\($0.config.width)·L\($0.config.layers) (N = \(grouped($0.parameters)))",
                                                            x: $0.tuned.steps.map(Double.init), y: $0.tuned.newBits) }
                               + [LineSeries(name: "target: the smallest model's final loss", x: [0.0, Double(s.steps)], y: [target, target],
                                             dashed: true, color: Color(200, 60, 60)),
                                  LineSeries(name: "recipe entropy floor", x: [0.0, Double(s.steps)],
                                             y: [recipeFloor.bitsPerCharacter, recipeFloor.bitsPerCharacter], dashed: true, color: Color(90, 90, 90))]),
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
        "Q: … A: …" format. The held-out questions are new draws of facts and questions. Unlike the \
        recipe runs, every training window starts at the beginning of an item (an item is shorter \
        than the window, so a window cut at a random byte would often lose the fact the answer \
        depends on), and the runs take \(s.questionSteps) steps: finding the right owner among the facts \
        and copying the colour after it is a skill to learn, not a style to imitate.
        """)
    nb.output(testItems[0].text)
    let beforeScore = scoreAnswers(baseModel, items: testItems)
    var qaResults: [(String, TuneResult, AnswerScore)] = []
    for m in [TuneMethod.full, .lora(rank: s.headlineRank)] {
        let r = try nb.timed("instruction tuning, \(m.name) (or restoring it)") {
            var plan = TunePlan.chapter(m, s)
            plan.steps = s.questionSteps
            plan.evaluateAt = logSpacedSteps(s.questionSteps, count: s.evaluations)
            plan.alignToDocuments = true
            return try fineTune(plan, base: baseModel, baseKey: baseKey, data: qaData, seed: nb.seed &+ 40, cache: cache)
        }
        qaResults.append((m.name, r, scoreAnswers(r.model, items: testItems)))
    }
    let guess = statedGuessAccuracy(testItems)
    nb.table(headers: ["model", "exact answer", "answer is a colour word", "answer is a stated colour", "question loss (bits/char)", "story loss after"],
             rows: [["chapter 02 (before tuning)", pct(beforeScore.correct, space: true), pct(beforeScore.colourWord, space: true), pct(beforeScore.statedColour, space: true), f(evaluateBits(baseModel, qaData.new.validationBatches(count: s.validationBatches, batch: s.batch, length: gc.context))), f(baseStoryBits)]]
                 + qaResults.map { [$0.0, pct($0.2.correct, space: true), pct($0.2.colourWord, space: true), pct($0.2.statedColour, space: true), f($0.1.finalNewBits), f($0.1.originalBits)] })
    nb.number("answer accuracy before tuning", beforeScore.correct, key: "qa_acc_before", unit: "share", format: "%.1f %%", scale: 100)
    nb.number("answer accuracy after full instruction tuning", qaResults[0].2.correct, key: "qa_acc_after_full", unit: "share", format: "%.1f %%", scale: 100)
    nb.number("answer accuracy after LoRA r = \(s.headlineRank) instruction tuning", qaResults[1].2.correct, key: "qa_acc_after_lora_r\(s.headlineRank)", unit: "share", format: "%.1f %%", scale: 100)
    nb.number("guessing one of the stated colours", guess, key: "qa_acc_stated_guess", unit: "share", format: "%.1f %%", scale: 100)
    let meanStated = testItems.reduce(0.0) { $0 + Double($1.stated.count) } / Double(testItems.count)
    let best = qaResults.map(\.2).max { $0.correct < $1.correct }!
    nb.say("""
        Floors frame the accuracy: a model that answers with a colour but picks the fact at random \
        would score \(pct(guess, space: true)) (one over the number of facts), and one that names any of the 13 \
        colours at random would score \(pct(1.0 / 13, space: true)) (and name a stated colour \(pct(meanStated / 13, space: true)) \
        of the time). \(best.correct > guess
            ? "The tuned models beat both: they find the owner and copy the colour."
            : best.correct > 2.0 / 13
                ? "The tuned models beat a random colour but not a random fact: they use the facts, but not reliably the right one."
                : "What the tuning taught is the *format*: \(pct(best.colourWord, space: true)) of the answers are now colour words (none were before), but they are no better than a random colour: at this size and budget the model has not learned to find the owner named in the question and copy the colour that follows it. A larger model or a longer run would likely be needed (not tried here).") \
        Answers from the tuned models:
        """)
    nb.table(headers: ["question (end of the prompt)", "before", "after full tuning", "expected"],
             rows: (0..<min(4, beforeScore.examples.count)).map { i in
                 let e = beforeScore.examples[i]
                 let q = e.prompt.components(separatedBy: "Q: ").last ?? e.prompt
                 return ["Q: " + q, "`\(e.given)`", "`\(qaResults[0].2.examples[i].given)`", e.expected]
             })

    // MARK: 7. A new visual concept
    nb.section("7. Teaching the text-to-image model a new colour")
    let pipeline = try nb.timed("chapter 08's text-to-image pipeline (restored from the caches of chapters 06–08, or trained there)") {
        try TextToImagePipeline(quick: nb.quick, seed: nb.seed, cacheRoot: cacheRoot) { note($0) }
    }
    let wordEncoder = addingWord(NewConcept.word, to: pipeline.encoder, seed: nb.seed &+ 60)
    let conceptScenes = SceneSet(count: s.conceptImages, seed: nb.seed &+ 61, objectCounts: 1...1, heldOut: .any)
    let conceptPixels = conceptScenes.scenes.flatMap { recoloured($0, rgb: NewConcept.rgb) }
    let conceptSet = ImageSet(channels: 3, height: 32, width: 32, pixels: conceptPixels, labels: [Int](repeating: 0, count: conceptScenes.count),
                              classNames: ["purple"])
    let conceptCaptions = conceptScenes.scenes.map { scene in
        SceneCaptions.captions(scene).map { caption in
            caption.split(separator: " ").map { $0 == scene.objects[0].color.name ? NewConcept.word : String($0) }.joined(separator: " ")
        }
    }
    let conceptLatents = Tensor.noGrad { encodeAll(pipeline.vae, conceptSet) * (1 / pipeline.latents.scale) }
    func vaeCeiling() -> Double {
        let back = pipeline.latents.decode(conceptLatents, with: pipeline.vae)
        return Double((0..<conceptSet.count).filter { measuredColour(back, $0) == NewConcept.word }.count) / Double(conceptSet.count)
    }
    let ceilingBefore = vaeCeiling()
    let roundTrip = pipeline.latents.decode(conceptLatents, with: pipeline.vae)
    let returned = (0..<conceptSet.count).compactMap { litColour(roundTrip, $0) }
    let meanReturned = returned.reduce((Float(0), Float(0), Float(0))) { ($0.0 + $1.0, $0.1 + $1.1, $0.2 + $1.2) }
    let n = Float(max(returned.count, 1))
    let returnedText = String(format: "(%.2f, %.2f, %.2f)", meanReturned.0 / n, meanReturned.1 / n, meanReturned.2 / n)
    let returnedName = measuredColour(Tensor(shape: [1, 3, 1, 1], values: [2 * meanReturned.0 / n - 1, 2 * meanReturned.1 / n - 1, 2 * meanReturned.2 / n - 1]), 0) ?? "none"
    nb.say("""
        Stable Diffusion users teach a model a new subject from a handful of pictures (DreamBooth, \
        textual inversion, and most often LoRA on the U-Net's attention). Here the new concept is a \
        colour chapter 08's model never saw, **\(NewConcept.word)**, in \(conceptScenes.count) single-shape \
        images; the word "\(NewConcept.word)" is not in chapter 07's vocabulary either. The text encoder \
        gains one token whose vector is drawn at random and never trained (as DreamBooth binds a \
        subject to a rare token); the encoder stays frozen, and LoRA adapters of rank \
        \(s.concept.rank) on every cross-attention projection of the U-Net (query, key, value and \
        output) learn what to draw when that token appears. Half of every batch comes from chapter \
        08's own training scenes with their captions (**prior preservation**), so that the adapters \
        are not free to repaint everything purple. The training captions are the scenes' usual ones \
        with the colour word replaced, for example "\(conceptCaptions[0].first { $0.contains(NewConcept.word) } ?? "")".
        """)
    nb.number("images of the new colour", conceptScenes.count, key: "concept_images", unit: "count")
    nb.number("share of those images still \(NewConcept.word) after chapter 08's VAE", ceilingBefore, key: "concept_vae_ceiling_before",
              unit: "share", format: "%.1f %%", scale: 100)
    let perPrompt = s.conceptSamplesPerPrompt
    let conceptPrompts = ShapeKind.allCases.map { "a \(NewConcept.word) \($0.name)" }
    let oldSpecs = kindColorPrompts().filter { !$0.isHeldOut }
    func sampleImages(_ prompts: [String], sampler: GuidedSampler, stream: UInt64) -> Tensor {
        var rng = nb.rng(stream)
        let all = prompts.flatMap { [String](repeating: $0, count: perPrompt) }
        let z = sampler.sample(prompts: all, scale: s.conceptGuidance, steps: pipeline.settings.samplingSteps, rng: &rng)
        return pipeline.latents.decode(z, with: pipeline.vae)
    }
    func conceptShare(_ x: Tensor) -> Double {
        Double((0..<x.shape[0]).filter { measuredColour(x, $0) == NewConcept.word }.count) / Double(x.shape[0])
    }
    func emptyShare(_ x: Tensor) -> Double {
        Double((0..<x.shape[0]).filter { measuredColour(x, $0) == nil }.count) / Double(x.shape[0])
    }
    func conceptKindShare(_ x: Tensor) -> Double {
        let judged = pipeline.judge.judge(x)
        return Double(judged.indices.filter { judged[$0].kind == ShapeKind.allCases[$0 / perPrompt] }.count) / Double(judged.count)
    }
    let unet = pipeline.model.unet
    func makeSampler() -> GuidedSampler {
        GuidedSampler(unet: unet, encoder: wordEncoder, channelRanges: pipeline.latents.channelRanges, latentShape: pipeline.latentShape,
                      eta: pipeline.settings.eta)
    }
    let conceptBefore = sampleImages(conceptPrompts, sampler: makeSampler(), stream: 70)
    let oldBefore = sampleImages(oldSpecs.map(\.text), sampler: makeSampler(), stream: 71)
    let priorImages = pipeline.train.images.subset(Array(0..<min(2000, pipeline.train.count)))
    let decoderRun = try nb.timed("fine-tune the VAE's decoder (\(s.decoderSteps) steps, or restoring it)") {
        try tuneDecoder(pipeline.vae, concept: conceptSet, prior: priorImages, steps: s.decoderSteps, batch: 32, learningRate: 1e-3,
                    seed: nb.seed &+ 63, dataKey: "purple\(conceptScenes.count)-prior\(priorImages.count)-seed\(nb.seed)", cache: cache)
    }
    _ = decoderRun
    let ceilingAfter = vaeCeiling()
    nb.say("""
        The first obstacle is not the U-Net. Chapter 08's VAE was trained on four colours, and its \
        decoder cannot draw a fifth: encoded and decoded, \(pct(ceilingBefore, space: true)) of the purple pictures \
        come back purple: their lit pixels average \(returnedText) in red, green and blue, nearest to \
        \(returnedName), where the pictures were \(String(format: "(%.2f, %.2f, %.2f)", NewConcept.rgb.0, NewConcept.rgb.1, NewConcept.rgb.2)). No adapter on the \
        U-Net can get past that, so the VAE's **decoder** is fine-tuned first, \(s.decoderSteps) steps \
        on the \(conceptScenes.count) pictures mixed half and half with chapter 08's scenes, with the \
        encoder frozen so that every latent the U-Net learned keeps its meaning. Afterwards \
        \(pct(ceilingAfter, space: true)) of the pictures survive the round trip: the new ceiling.
        """)
    nb.number("share still \(NewConcept.word) after the VAE with its decoder fine-tuned", ceilingAfter, key: "concept_vae_ceiling_after",
              unit: "share", format: "%.1f %%", scale: 100)
    let taught = try nb.timed("LoRA on the U-Net's cross-attention (\(s.concept.steps) steps, or restoring it)") {
        try teachConcept(unet, s.concept, encoder: wordEncoder, concept: conceptLatents, conceptCaptions: conceptCaptions,
                     prior: pipeline.latents.latents, priorCaptions: pipeline.captions, seed: nb.seed &+ 62,
                     dataKey: "purple\(conceptScenes.count)-seed\(nb.seed)-\(pipeline.model.recipe.key)", cache: cache)
    }
    let conceptAfter = sampleImages(conceptPrompts, sampler: makeSampler(), stream: 70)
    let oldAfter = sampleImages(oldSpecs.map(\.text), sampler: makeSampler(), stream: 71)
    let oldSpecsRepeated = oldSpecs.flatMap { [PromptSpec](repeating: $0, count: perPrompt) }
    let oldAdherenceBefore = Adherence(judged: pipeline.judge.judge(oldBefore), specs: oldSpecsRepeated)
    let oldAdherenceAfter = Adherence(judged: pipeline.judge.judge(oldAfter), specs: oldSpecsRepeated)
    let oldPurpleBefore = conceptShare(oldBefore), oldPurpleAfter = conceptShare(oldAfter)
    let unetParameters = unet.namedParameters().filter { !$0.name.contains("lora_") }.reduce(0) { $0 + $1.tensor.count }
    nb.number("adapter parameters (share of the U-Net)", Double(taught.trainable) / Double(unetParameters), key: "concept_trainable_share",
              unit: "share", format: "%.2f %%", scale: 100)
    nb.table(headers: ["measure", "before", "after"], rows: [
        ["the \(conceptScenes.count) pictures through the VAE: still \(NewConcept.word)", pct(ceilingBefore, space: true), pct(ceilingAfter, space: true)],
        ["\"a \(NewConcept.word) …\" images whose colour is \(NewConcept.word)", pct(conceptShare(conceptBefore), space: true), pct(conceptShare(conceptAfter), space: true)],
        ["\"a \(NewConcept.word) …\" images of the asked kind", pct(conceptKindShare(conceptBefore), space: true), pct(conceptKindShare(conceptAfter), space: true)],
        ["\"a \(NewConcept.word) …\" images with no shape at all", pct(emptyShare(conceptBefore), space: true), pct(emptyShare(conceptAfter), space: true)],
        ["old prompts (\(oldSpecs.count) kind–colour pairs): kind and colour right", pct(oldAdherenceBefore.kindAndColor ?? 0, space: true), pct(oldAdherenceAfter.kindAndColor ?? 0, space: true)],
        ["old prompts drawn \(NewConcept.word) (leakage)", pct(oldPurpleBefore, space: true), pct(oldPurpleAfter, space: true)],
    ])
    nb.number("concept accuracy before", conceptShare(conceptBefore), key: "concept_acc_before", unit: "share", format: "%.1f %%", scale: 100)
    nb.number("concept accuracy after", conceptShare(conceptAfter), key: "concept_acc_after", unit: "share", format: "%.1f %%", scale: 100)
    nb.number("old prompts, kind and colour right, before", oldAdherenceBefore.kindAndColor ?? 0, key: "concept_old_prompts_before", unit: "share", format: "%.1f %%", scale: 100)
    nb.number("old prompts, kind and colour right, after", oldAdherenceAfter.kindAndColor ?? 0, key: "concept_old_prompts_after", unit: "share", format: "%.1f %%", scale: 100)
    nb.say("""
        "Colour is \(NewConcept.word)" is measured from pixels: the mean colour of the pixels lit above \
        half brightness, named by the nearest of the five colours (the four old ones and \
        \(NewConcept.word)). The kind comes from chapter 08's judge, which was trained on the four old colours only. "After" means with the fine-tuned decoder \
        and the U-Net's adapters both in place; the old prompts measure what the two together cost \
        the model's old skills. "No shape at all" counts images without a single pixel lit above \
        half brightness. Samples use \(pipeline.settings.samplingSteps) DDIM steps at guidance \
        w = \(f(Double(s.conceptGuidance), 1)), the same noise before and after for each prompt.
        """)
    let show = min(8, perPrompt * conceptPrompts.count)
    func pickRows(_ x: Tensor, _ count: Int) -> Tensor { rows(x, Array(0..<min(count, x.shape[0]))) }
    let spread = (0..<show).map { ($0 % conceptPrompts.count) * perPrompt + $0 / conceptPrompts.count }
    let oldSpread = (0..<show).map { $0 * max(1, oldSpecs.count * perPrompt / show) }
    let cells = gridImages(pickRows(conceptSet.tensor(0..<conceptSet.count), show))
        + gridImages(rows(conceptBefore, spread)) + gridImages(rows(conceptAfter, spread))
        + gridImages(rows(oldBefore, oldSpread)) + gridImages(rows(oldAfter, oldSpread))
    try nb.figure(ImageGrid(title: "A new colour from \(conceptScenes.count) pictures: LoRA on the U-Net's cross-attention",
                            images: cells, columns: show,
                            rowLabels: ["training images", "\"a \(NewConcept.word) …\", before", "\"a \(NewConcept.word) …\", after",
                                        "old prompts, before", "old prompts, after"], pixelScale: 4),
                  name: "new-concept",
                  caption: "Row 1: some of the training pictures. Rows 2–3: \"a \(NewConcept.word) circle / square / triangle\" with the same noise before and after teaching. Rows 4–5: old prompts (\(oldSpread.map { oldSpecs[$0 / perPrompt].text }.joined(separator: ", "))) before and after.")

    // MARK: 8. Frameworks
    nb.section("8. The same model in PyTorch")
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

    // MARK: 9. Deployment
    nb.section("9. Deployment: a command that serves the model")
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
    try TextToImageBundle(unet: unet, vae: pipeline.vae, encoder: wordEncoder, scale: pipeline.latents.scale,
                          channelRanges: pipeline.latents.channelRanges, eta: pipeline.settings.eta)
        .save(to: exportDir + "/text-to-image-purple.safetensors")
    nb.code("""
        swift run -c release generate text --checkpoint \(exportDir)/recipes-lora-r\(s.headlineRank).safetensors \\
            --prompt "Recipe: spicy" --temperature 0.8 --top-k 20 --max-tokens 200 --seed 1
        """, language: "sh")
    nb.say("""
        The same command draws pictures from the text-to-image model of section 7, saved with its \
        new word, its fine-tuned decoder and its unmerged adapters as one file (U-Net, VAE and text \
        encoder, with their configurations in the metadata):
        """)
    nb.code("""
        swift run -c release generate image --checkpoint \(exportDir)/text-to-image-purple.safetensors \\
            --prompt "a purple triangle" --out triangles.png --count 4 --steps 25 --guidance 7.5 --seed 1
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
