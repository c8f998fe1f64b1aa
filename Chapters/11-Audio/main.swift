// Chapter 11: audio. A synthetic spoken language; waveforms, the STFT and log-mel spectrograms;
// a small Whisper (encoder–decoder transformer) that transcribes it; a small AudioLM (a GPT over
// discrete audio tokens) that continues it; and what audio diffusion would be instead.
// The steps live in Steps/ (module Ch11Audio, tested in Tests/Ch11AudioTests); the audio pieces
// (WAV, STFT, mel, k-means codec) in Sources/Audio, the speech generator in Sources/Datasets/Speech.
import Audio
import Ch11Audio
import Datasets
import Engine
import Foundation
import Models
import Notebook
import Plot

/// A share as a percentage with one decimal, for tables.
func pct(_ x: Double) -> String { String(format: "%.1f%%", 100 * x) }

Notebook.run(number: 11, slug: "audio", title: "Audio: recognising and generating speech") { nb in
    let settings = nb.pick(quick: AudioSettings.quick, full: AudioSettings.full)
    let cache = TrainingCache(folder: nb.cacheDir, fresh: nb.fresh)
    let fs = AudioSetup.sampleRate
    let melFE = AudioSetup.recognizerFrontEnd
    nb.say("""
        Sound is a single number changing over time: the air pressure at the microphone, sampled \
        thousands of times a second. This chapter builds the two audio models the study guide \
        names — Whisper, which turns speech into text, and AudioLM, which continues a piece of \
        audio — in small versions that train on a laptop CPU in minutes, on a synthetic spoken \
        language whose every word we know.

        **A correction first.** The study guide lists Whisper and AudioLM as examples of \
        *diffusion* models. Neither is one. Whisper is an encoder–decoder transformer trained with \
        ordinary next-token cross-entropy on 680,000 hours of weakly supervised (audio, transcript) \
        pairs; AudioLM is a language model — a decoder-only transformer — over discrete audio \
        tokens. Neither adds noise and learns to remove it. Section 4 shows what an audio diffusion \
        model (DiffWave, WaveGrad, AudioLDM) is instead, and sets the three side by side.
        """)

    // MARK: 1. Data, waveforms and spectrograms
    nb.section("1. A spoken language, waveforms and spectrograms")
    let voices = AudioSetup.trainingVoices(seed: nb.seed), heldVoices = AudioSetup.heldOutVoices(seed: nb.seed)
    nb.say("""
        The language has \(SpeechVocabulary.words.count) words (\(SpeechVocabulary.words.joined(separator: ", "))) \
        built from \(Phoneme.inventory.count) sounds, one letter each. The generator makes sound the \
        way the voice does (source–filter synthesis): vowels and the nasals m, n are a train of \
        glottal pulses at the speaker's pitch, shaped by resonances of the vocal tract (formants; \
        "a" has them at 730, 1090 and 2440 Hz, "i" at 270, 2290 and 3010 Hz); s and f are noise \
        shaped by one broad resonance; k, t and p are a short silence (the closure) and a burst \
        of shaped noise. Each speaker has a pitch (85–255 Hz), a vocal-tract length that scales \
        every formant (by 0.90–1.16), a tempo (0.85–1.2×) and a loudness. An utterance is 1–5 random \
        words with pauses, in a 3.2-second clip at \(fs) samples per second, with background noise \
        at a speech-to-noise ratio (SNR) drawn from 15–25 dB. The recogniser trains on \
        \(AudioSetup.trainSpeakers) voices and is tested on \(AudioSetup.heldOutSpeakers) others, \
        at 20 dB unless said otherwise.
        """)
    // The vocabulary said by one training voice, without background noise.
    let showVoice = voices[0]
    let synth = Synthesizer(sampleRate: fs)
    var wordRNG = nb.rng(1)
    let pad = [Double](repeating: 0, count: fs / 20)
    let wordWaves: [[Float]] = SpeechVocabulary.words.map { w in
        let wave = (try? synth.render(word: w, speaker: showVoice, rng: &wordRNG)) ?? []
        return (pad + wave + pad).map(Float.init)
    }
    var panels: [any Chart] = []
    for (i, w) in SpeechVocabulary.words.enumerated() {
        panels.append(AudioPlots.waveform(wordWaves[i], sampleRate: fs, title: "\"\(w)\": waveform"))
        panels.append(AudioPlots.logMel(AudioPlots.melImage(wordWaves[i], frontEnd: melFE), bands: AudioSetup.melBands,
                                        frontEnd: melFE, title: "\"\(w)\": log-mel", range: -1...1.2))
    }
    try nb.figure(Figure(title: String(format: "The %d words said by one voice (pitch %.0f Hz, tract ×%.2f): waveform and log-mel spectrogram",
                                       SpeechVocabulary.words.count, showVoice.pitch, showVoice.tract),
                         rows: 6, columns: 4, panels: panels, width: 2200, height: 2500),
                  name: "vocabulary", caption: "Each word's waveform (left) and log-mel spectrogram (right, low frequencies at the bottom). Vowels show as horizontal bands (formants) with vertical striations (pitch pulses); s is high-frequency noise; stops are a gap then a short broadband burst.")
    var vocabClip: [Float] = []
    for w in wordWaves { vocabClip += w + [Float](repeating: 0, count: fs / 5) }
    try WAV.write(AudioClip(sampleRate: fs, samples: vocabClip), to: nb.outputPath("vocabulary.wav"))
    nb.say("Listen: [vocabulary.wav](vocabulary.wav) says the \(SpeechVocabulary.words.count) words in order.")

    nb.say("""
        **From waveform to spectrogram.** A waveform shows loudness over time but hides which \
        frequencies are present, and frequencies are what tell "a" from "i". The short-time \
        Fourier transform (STFT) cuts the clip into overlapping frames — here \
        \(AudioSetup.recognizerSTFT.window) samples (32 ms) every \(AudioSetup.recognizerSTFT.hop) \
        samples (10 ms, Whisper's hop) — multiplies each by a Hann window (which tapers the frame \
        to zero at its ends, so the cut does not smear energy over all frequencies), and takes \
        the discrete Fourier transform of each frame: \(AudioSetup.recognizerSTFT.bins) frequency \
        bins from 0 to 4 kHz, \(String(format: "%.2f", Double(fs) / Double(AudioSetup.recognizerSTFT.fftSize))) Hz apart. \
        The squared magnitudes over time are the power spectrogram. The tests check the transform \
        against its defining sum, that a pure tone on bin k gives |X[k]| = A·N/4 with A·N/8 in its \
        two neighbours and nothing elsewhere (the Hann window's closed form), and Parseval's \
        identity (the energy of a frame equals the energy of its spectrum over N).

        **Mel bands and logarithms.** Hearing resolves low frequencies finely and high ones \
        coarsely, and so do speech sounds: formants below 1 kHz matter to tens of hertz, noise \
        above 3 kHz only roughly. A mel filter bank folds the \(AudioSetup.recognizerSTFT.bins) bins into \
        \(AudioSetup.melBands) triangular bands evenly spaced on the mel scale, \
        mel(f) = 2595·log₁₀(1 + f/700). Neighbouring triangles cross at half height, so between \
        the first and the last centre every frequency's weights add up to exactly 1 (the tests \
        check this partition and the edges). Finally the band energies are put on a log scale, \
        since loudness is heard in ratios: log₁₀ E, floored at −6 and mapped by (log₁₀ E + 3)/3, \
        as Whisper maps its log-mel by (log + 4)/4.
        """)
    nb.code("""
        let frames = powerSpectrogram(samples, STFTConfig(sampleRate: 8000, window: 256, hop: 80, fftSize: 256))
        let logMel = frames.map { row in mel.apply(row).map { (max(log10($0), -6) + 3) / 3 } }
        """)
    var filters = LinePlot(title: "Mel filter bank: \(AudioSetup.melBands) triangles evenly spaced in mel from 0 to 4 kHz",
                           xLabel: "frequency (Hz)", yLabel: "weight")
    let bins = AudioSetup.recognizerSTFT.bins
    let freqs = (0..<bins).map { AudioSetup.recognizerSTFT.frequency(ofBin: $0) }
    for m in 0..<AudioSetup.melBands {
        filters.add(LineSeries(name: m == 0 ? "one filter per band" : "", x: freqs,
                               y: (0..<bins).map { melFE.mel.weights[m * bins + $0] }, color: Palette.color(m % 2 == 0 ? 0 : 2)))
        filters.series[m].lineWidth = 1.5
    }
    filters.add(LineSeries(name: "sum of all filters", x: freqs,
                           y: (0..<bins).map { k in (0..<AudioSetup.melBands).reduce(0.0) { $0 + melFE.mel.weights[$1 * bins + k] } },
                           dashed: true, color: .ink))
    filters.yAxis.range = 0...1.15
    try nb.figure(filters, name: "mel-filterbank", caption: "The mel filter bank over the STFT's bins. Triangles are narrow at low frequencies and wide at high ones; their sum (dashed) is exactly 1 between the first and last centre.")

    let train = nb.timed("make training speech") { SpeechSet(0..<settings.trainUtterances, seed: nb.seed &+ 1, speakers: voices) }
    let test = nb.timed("make held-out speech") {
        SpeechSet(0..<settings.testUtterances, seed: nb.seed &+ 2, speakers: heldVoices, spec: AudioSetup.spec.at(snrDB: AudioSetup.defaultSNR))
    }
    let example = test.utterances[0]
    let power = powerSpectrogram(example.samples, AudioSetup.recognizerSTFT)
    var powerValues: [Double] = []
    let showBins = stride(from: bins - 1, through: 0, by: -1).map { $0 }
    for k in showBins { powerValues += power.indices.map { 10 * log10(max(power[$0][k], 1e-10)) } }
    var powerMap = Heatmap(title: "power spectrogram (dB), \(bins) linear frequency bins", values: powerValues, rows: bins, columns: power.count,
                           rowLabels: showBins.map { $0 % 16 == 0 ? String(Int(AudioSetup.recognizerSTFT.frequency(ofBin: $0))) : "" },
                           columnLabels: power.indices.map { String(format: "%.2f", AudioSetup.recognizerSTFT.time(ofFrame: $0)) },
                           xLabel: "time (s)", yLabel: "frequency (Hz)", colorBarLabel: "power (dB)", colormap: .viridis, range: -60...30)
    powerMap.squareCells = false
    powerMap.columnLabelEvery = AudioPlots.labelStep(power.count)
    try nb.figure(Figure(title: "One held-out utterance, \"\(example.text)\" (SNR 20 dB): waveform, STFT and log-mel",
                         rows: 3, columns: 1, panels: [
                            AudioPlots.waveform(example.samples, sampleRate: fs, title: "waveform (\(fs) samples/s)"),
                            powerMap,
                            AudioPlots.logMel(test.mels[0], bands: AudioSetup.melBands, frontEnd: melFE, title: "log-mel spectrogram: what the recogniser sees"),
                         ], width: 1800, height: 1800),
                  name: "utterance", caption: "The same clip three ways. The STFT's linear bins spread evenly, so only 38 % of them lie below 1.5 kHz, where the formants are; 60 % of the mel bands do.")
    try WAV.write(AudioClip(sampleRate: fs, samples: example.samples), to: nb.outputPath("heldout-utterance.wav"))
    nb.say("Listen: [heldout-utterance.wav](heldout-utterance.wav) (\"\(example.text)\", a voice the recogniser never hears in training).")
    nb.number("training utterances", train.count, key: "train_utterances", unit: "count")
    nb.number("held-out utterances (held-out voices)", test.count, key: "test_utterances", unit: "count")
    nb.number("log-mel frames per clip", train.frames, key: "mel_frames", unit: "count")

    // MARK: 2. Recognition
    nb.section("2. Recognition, Whisper-style: an encoder–decoder transformer")
    let recipe = RecognizerRecipe(settings, seed: nb.seed, frames: train.frames)
    nb.say("""
        Whisper's recipe, scaled down. The **encoder** reads the whole log-mel spectrogram: a \
        convolutional stem (two 3×3 convolutions with stride 2 and GELU, \(recipe.config.stemChannels) \
        channels) turns the \(AudioSetup.melBands)×\(train.frames) image into \(recipe.config.encoderPositions) \
        time steps of 40 ms, a linear layer maps each to width \(recipe.config.width), learned \
        positions are added, and \(recipe.config.encoderLayers) transformer blocks with attention in \
        both directions (chapter 07's encoder block) let every time step see the whole clip. The \
        **decoder** is chapter 02's GPT with one addition per block: after causal self-attention \
        over the characters so far, a *cross-attention* layer lets each character position query \
        the encoder's output (queries from the text, keys and values from the audio). It \
        predicts the transcript one character at a time, from a start marker to an end marker. \
        Whisper predicts byte-pair tokens and also language, task and timestamp tokens; ours are \
        the \(SpeechVocabulary.characters.count) letters and the space. The tests check \
        cross-attention against a loop-by-loop reference and by finite differences, and that the \
        decoder block never looks ahead.

        Training is teacher forcing: the decoder reads the true transcript shifted right and \
        every position predicts the next character; the loss is the mean cross-entropy over \
        characters. \(recipe.steps) AdamW steps of \(recipe.batch) clips, learning rate \
        \(recipe.learningRate) with warmup and cosine decay.
        """)
    nb.code("""
        let memory = encoder(stem(logMel))                   // [B, \(recipe.config.encoderPositions), \(recipe.config.width)]
        var x = tok(chars) + pos(0..<T)
        for block in decoder {                               // each: x += selfAttn(x, causal); x += crossAttn(x, memory); x += mlp(x)
            x = block(x, memory: memory)
        }
        let loss = crossEntropy(head(ln(x)), nextChars)
        """)
    var bar = nb.progress(0..<recipe.steps, label: "recogniser").makeIterator()
    let trained = try nb.timed("train recogniser") { try trainRecognizer(recipe, train: train, cache: cache) { _ in _ = bar.next() } }
    let recognizer = trained.model
    nb.number("recogniser parameters", recognizer.parameterCount, key: "recognizer_params", unit: "count")
    let tail = max(1, recipe.steps / 20)
    let finalLoss = Double(trained.losses.suffix(tail).reduce(0, +)) / Double(tail)
    let uniform = log(Double(TranscriptAlphabet().count))
    nb.number("training loss, last \(tail) steps", finalLoss, key: "recognizer_final_loss", unit: "nats/char", format: "%.3f")

    let result = nb.timed("transcribe held-out speech") { evaluate(recognizer, on: test) }
    let guessWER = constantGuessWER(references: test.texts, guess: "ka")
    nb.say("""
        **Decoding** is greedy: start from the start marker, append the most likely character, \
        repeat until the end marker (no beam search). Scoring uses the word error rate, the edit \
        distance between recognised and true word sequences (substitutions + deletions + \
        insertions) over the number of true words, and the character error rate, the same over \
        characters. For scale: answering "ka" to every clip scores \(pct(guessWER)) WER; a perfect \
        recogniser scores 0.
        """)
    nb.number("word error rate, held-out voices, SNR 20 dB", result.wer, key: "wer_heldout", unit: "share", format: "%.1f%%", scale: 100)
    nb.number("character error rate, held-out voices, SNR 20 dB", result.cer, key: "cer_heldout", unit: "share", format: "%.1f%%", scale: 100)
    nb.number("WER of answering \"ka\" to everything", guessWER, key: "wer_constant_guess", unit: "share", format: "%.1f%%", scale: 100)
    let trainCheck = SpeechSet(0..<min(200, train.count), seed: nb.seed &+ 1, speakers: voices)
    let trainResult = evaluate(recognizer, on: trainCheck)
    nb.number("word error rate on 200 training clips", trainResult.wer, key: "wer_train", unit: "share", format: "%.1f%%", scale: 100)
    nb.table(headers: ["true transcript", "recognised", "voice pitch"], rows: (0..<8).map { i in
        [result.references[i], result.hypotheses[i].isEmpty ? "(nothing)" : result.hypotheses[i], String(format: "%.0f Hz", test.utterances[i].speaker.pitch)]
    })

    // Error rates against noise.
    let levels: [Double] = nb.pick(quick: [30, 20, 10, 0], full: [30, 25, 20, 15, 10, 5, 0, -5])
    var werCurve: [Double] = [], cerCurve: [Double] = []
    for snr in levels {
        let set = snr == AudioSetup.defaultSNR ? test
            : SpeechSet(0..<settings.testUtterances, seed: nb.seed &+ 2, speakers: heldVoices, spec: AudioSetup.spec.at(snrDB: snr))
        let r = snr == AudioSetup.defaultSNR ? result : evaluate(recognizer, on: set)
        werCurve.append(r.wer); cerCurve.append(r.cer)
    }
    var curve = LinePlot(title: "Errors on held-out voices against noise", xLabel: "speech-to-noise ratio (dB)",
                         yLabel: "error rate (%)",
                         series: [LineSeries(name: "word error rate", x: levels, y: werCurve.map { 100 * $0 }, marker: .circle),
                                  LineSeries(name: "character error rate", x: levels, y: cerCurve.map { 100 * $0 }, marker: .square)],
                         referenceLines: [ReferenceLine(value: 100 * guessWER, label: "answer \"ka\" to everything (WER)"),
                                          ReferenceLine(value: 10, label: "10 % WER", color: Color(190, 30, 30))])
    curve.legendAvoidsReferenceLabels = true
    curve.yAxis.range = 0...max(105, 100 * guessWER + 5, 100 * (werCurve + cerCurve).max()! + 5)
    var losses = LinePlot(title: "Recogniser training loss", xLabel: "step", yLabel: "cross-entropy (nats per character)",
                          series: [LineSeries(name: "per batch", y: trained.losses.map(Double.init), color: Color(170, 190, 220)),
                                   LineSeries(name: "running mean (50 steps)", y: runningMean(trained.losses, window: 50), color: Palette.color(0))],
                          referenceLines: [ReferenceLine(value: uniform, label: "uniform over \(TranscriptAlphabet().count) symbols")])
    losses.yAxis.range = 0...(uniform * 1.25)
    try nb.figure(Figure(title: "Training the recogniser, and how it copes with noise", rows: 1, columns: 2, panels: [losses, curve], width: 2000, height: 800),
                  name: "recognizer", caption: "Left: teacher-forced cross-entropy per character during training. Right: WER and CER on held-out voices as the background noise rises (training saw 15–25 dB only).")
    for (snr, w) in zip(levels, werCurve) {
        nb.number("WER at \(Int(snr)) dB SNR", w, key: "wer_snr_\(snr < 0 ? "m" : "")\(Int(abs(snr)))", unit: "share", format: "%.1f%%", scale: 100)
    }
    let at = { (snr: Double) in werCurve[levels.firstIndex(of: snr) ?? 0] }
    nb.say("""
        The recogniser was only ever trained at 15–25 dB. Cleaner audio than that costs little \
        (\(pct(at(levels[0]))) WER at \(Int(levels[0])) dB); noisier audio costs a lot: \
        \(pct(at(10))) at 10 dB and \(pct(at(0))) at 0 dB, where the noise carries as much power as \
        the speech and the weak consonants (f, s, the bursts of k, t, p) drown first. Whisper's \
        robustness comes from the variety of its 680,000 hours, not from its architecture; \
        training this model on a wider noise range would flatten the curve the same way.
        """)

    // Cross-attention map.
    let shown = test.utterances.indices.first { test.utterances[$0].words.count >= 3 } ?? 0
    let shownMel = Tensor(shape: [1, 1, AudioSetup.melBands, test.frames], values: test.mels[shown])
    let alphabet = TranscriptAlphabet()
    let transcript = Array(result.hypotheses[shown])
    let ids = [alphabet.start] + (alphabet.encode(result.hypotheses[shown]) ?? [])
    let lastCross = recognizer.decoder.last!.cross
    lastCross.recordWeights = true
    _ = Tensor.noGrad { recognizer.decode([ids], memory: recognizer.encode(shownMel)) }
    lastCross.recordWeights = false
    let w = lastCross.lastAttentionWeights!
    let heads = recipe.config.heads, tq = ids.count, sk = recipe.config.encoderPositions
    var att: [Double] = []
    for q in 0..<tq { for s in 0..<sk { att.append((0..<heads).reduce(0.0) { $0 + Double(w.data[($1 * tq + q) * sk + s]) } / Double(heads)) } }
    let posTime = (0..<sk).map { String(format: "%.2f", (Double($0 * 4 * AudioSetup.recognizerSTFT.hop) + 128) / Double(fs)) }
    let rowNames = (0..<tq).map { q -> String in
        let next = q < transcript.count ? String(transcript[q]) : "end"
        return "→ " + (next == " " ? "space" : next)
    }
    var attMap = Heatmap(title: "cross-attention of the last decoder layer (mean of \(heads) heads)", values: att, rows: tq, columns: sk,
                         rowLabels: rowNames, columnLabels: posTime, xLabel: "audio time (s), one column per encoder position (40 ms)",
                         yLabel: "character being predicted", colorBarLabel: "attention weight", colormap: .viridis)
    attMap.squareCells = false
    attMap.columnLabelEvery = AudioPlots.labelStep(sk)
    try nb.figure(Figure(title: "Where the decoder listens: \"\(test.utterances[shown].text)\" recognised as \"\(result.hypotheses[shown])\"",
                         rows: 2, columns: 1, panels: [
                            AudioPlots.logMel(test.mels[shown], bands: AudioSetup.melBands, frontEnd: melFE, title: "log-mel spectrogram of the clip"),
                            attMap,
                         ], width: 2000, height: 1700),
                  name: "cross-attention", caption: "Each row is one decoding step: while predicting that character, how the decoder's queries spread their attention over the encoder's 40 ms positions. The bright cells move left to right through the clip as the transcript advances.")
    nb.say("""
        Nobody told the decoder where each word is in the clip: the cross-attention map shows it \
        found out, reading from left to right through the audio as it writes the transcript, a \
        soft alignment learned from the transcript loss alone.
        """)

    // MARK: 3. Generation
    nb.section("3. Generation, AudioLM-style: a GPT over audio tokens")
    let tokRecipe = TokenRecipe(settings, seed: nb.seed)
    let tokenFE = tokRecipe.frontEnd
    let framesPerClip = tokenFE.frames(samples: AudioSetup.spec.clipSamples)
    let fold = tokRecipe.fold
    let hopMs = 1000 * tokRecipe.hop / fs
    nb.say("""
        A language model needs a finite alphabet, and audio has none: a sample is a real number. \
        AudioLM makes one by running a self-supervised speech model (w2v-BERT) over the audio and \
        clustering its features with k-means: each frame becomes the index of its nearest cluster \
        centre, a *semantic token*; a neural codec (SoundStream) supplies finer *acoustic tokens* for \
        the sound itself. Our version keeps the idea and drops the networks: \
        every \(hopMs) ms frame's log-mel vector (\(2 * hopMs) ms windows, \(tokRecipe.bands) bands: half the \
        recogniser's, since a code should say which sound is spoken, not every detail of it) is replaced by its nearest of \
        \(tokRecipe.codes) k-means centres, its *code*, so a 3.2 s clip becomes \(framesPerClip) codes. To \
        turn codes back into sound, each code keeps one real \(2 * hopMs) ms piece of training audio (the \
        frame nearest its centre), and the pieces are overlap-added with a Hann window every \(hopMs) ms \
        (Hann windows half a window apart sum to exactly 1). The k-means codebook is fitted on the frames \
        of the first \(tokRecipe.codebookClips) of \(tokRecipe.utterances) training clips; the pieces are picked from all.
        """)
    let tokenClips = SpeechCorpus.utterances(0..<tokRecipe.utterances, seed: nb.seed &+ 3, speakers: voices)
    let codec = nb.timed("fit k-means codec") { fitCodec(tokRecipe, clips: tokenClips.map(\.samples)) }
    let frameCodes = tokenClips.map { codec.encode($0.samples) }
    let sequences = frameCodes.map { fold.fold($0) }
    let frameCount = frameCodes.map(\.count).reduce(0, +)
    let wordCount = tokenClips.map(\.words.count).reduce(0, +)
    let speechFrames = tokenClips.map { u in u.wordSpans.map { Double($0.count) }.reduce(0, +) }.reduce(0, +) / Double(tokRecipe.hop)
    let runFold = RunLengthTokens(codes: tokRecipe.codes, maxRun: 8)
    let runTokens = frameCodes.map { runFold.fold($0).count }.reduce(0, +)
    nb.say("""
        **How many tokens is a word?** A spoken word here lasts \(String(format: "%.1f", speechFrames / Double(wordCount))) \
        frames of \(hopMs) ms on average, so the GPT must carry a word across that many positions, \
        and the longer that is, the harder it is for a small model. That is why the frames are \
        \(hopMs) ms, not the recogniser's 10 ms. AudioLM also removes repeated tokens, since a steady \
        sound is a run of one code. Here that would gain little: folding each run of up to 8 equal \
        codes into one token that also records the run's length (`RunLengthTokens`, which the tests \
        check unfolds exactly) turns the \(frameCount) codes of the training clips into \(runTokens) \
        tokens, \(String(format: "%.2f", Double(frameCount) / Double(runTokens))) frames per token, because \
        neighbouring frames of one sound often land on different codes. So the GPT reads the codes \
        themselves, \(framesPerClip) per clip.
        """)
    nb.code("""
        let codes = codec.encode(samples)          // one k-means code per \(hopMs) ms frame: the GPT's tokens
        let audio = codec.decode(codes)            // one stored grain per code, overlap-added
        """)
    nb.number("k-means codes per clip (one per frame), the GPT's tokens", framesPerClip, key: "token_frames_per_clip", unit: "count")
    nb.number("frames per token if runs of equal codes were folded", Double(frameCount) / Double(runTokens), key: "run_length_frames_per_token", unit: "", format: "%.2f")
    nb.say("""
        A GPT from chapter 02 (\(tokRecipe.config.layers) layers, width \(tokRecipe.config.width)) learns to \
        predict the next token. Each training clip is one sequence of \(framesPerClip) tokens, so a position \
        in the sequence is a time in the clip and the model can learn that speech ends before 3.2 s; \
        \(tokRecipe.steps) AdamW steps of \(tokRecipe.batch) clips, on \(tokRecipe.utterances) clips \
        (data is generated, so more of it costs only the time to make it).
        """)
    var lmBar = nb.progress(0..<tokRecipe.steps, label: "token GPT").makeIterator()
    let lm = try nb.timed("train token GPT") { try trainTokenLM(tokRecipe, sequences: sequences, cache: cache) { _ in _ = lmBar.next() } }
    let lmTail = max(1, tokRecipe.steps / 20)
    let lmLoss = Double(lm.losses.suffix(lmTail).reduce(0, +)) / Double(lmTail)
    let unigram = unigramEntropy(sequences, codes: fold.vocabulary)
    nb.number("token GPT loss, last \(lmTail) steps", lmLoss, key: "token_lm_final_loss", unit: "nats/token", format: "%.3f")
    nb.number("unigram entropy of the tokens (a model that ignores context)", unigram, key: "token_unigram_entropy", unit: "nats/token", format: "%.3f")
    nb.number("uniform over the \(fold.vocabulary) tokens, ln \(fold.vocabulary)", log(Double(fold.vocabulary)), key: "token_uniform_entropy", unit: "nats/token", format: "%.3f")

    // How much the codec loses: the recogniser on held-out clips passed through it.
    let codecSet = Array(test.utterances.prefix(settings.continuations))
    var mixRNG = nb.rng(5)
    let codecClips = codecSet.map { u in
        clipForRecognizer(codec.decode(codec.encode(u.samples)), clipSamples: AudioSetup.spec.clipSamples, snrDB: AudioSetup.defaultSNR, rng: &mixRNG)
    }
    let codecResult = RecognitionResult(references: codecSet.map(\.text), hypotheses: transcribe(recognizer, mels: melFE.images(codecClips)))
    nb.number("WER of the recogniser on held-out clips passed through the codec", codecResult.wer, key: "codec_wer", unit: "share", format: "%.1f%%", scale: 100)

    nb.say("""
        To continue a clip, its first two words are tokenised (the prompt) and the GPT samples \
        tokens one at a time until they fill the clip to 3.2 s. The tokens are turned back into sound, mixed with background noise at 20 dB like every recogniser \
        input, and the chapter's own recogniser transcribes the *continuation alone*. Its transcript is \
        free text — any string of letters and spaces — so a recognised word that is not one of \
        the \(SpeechVocabulary.words.count) is a failure to speak the language. But the \
        recogniser's decoder is itself a language model of those words, and it tends to write \
        valid words even for sound that holds none. So a word only counts as *confidently valid* \
        when the recogniser also gave every one of its characters, and the space after it, a \
        probability of at least 0.9. Two references bound the score: the *true* continuation of \
        the same clip passed through the codec (the best a perfect token model could do, given the \
        codec), and random tokens (a model that learned nothing).
        """)

    // The sampling temperature is chosen on validation prompts: other utterances by the held-out
    // voices (data stream 7), never the evaluation prompts below.
    let promptsFrom = { (set: [Utterance], n: Int) in Array(set.filter { $0.words.count >= 3 }.prefix(n)) }
    let validation = promptsFrom(SpeechCorpus.utterances(0..<(10 * settings.continuations), seed: nb.seed &+ 7, speakers: heldVoices,
                                                         spec: AudioSetup.spec.at(snrDB: AudioSetup.defaultSNR)), 2 * settings.continuations)
    let temperatures: [Float] = [0.8, 0.9, 1.0, 1.1, 1.2, 1.3]
    var sweep: [(t: Float, v: WordValidity)] = []
    for (i, t) in temperatures.enumerated() {
        var genRNG = nb.rng(20 + UInt64(i)), sweepMix = nb.rng(30 + UInt64(i))
        let r = nb.timed("continue validation prompts, T = \(t)") {
            runContinuations(lm.model, fold: fold, codec: codec, recognizer: recognizer, prompts: validation, clipFrames: framesPerClip,
                             rule: .sample(temperature: t, topK: nil), references: false, snrDB: AudioSetup.defaultSNR, rng: &genRNG, mixRNG: &sweepMix)
        }
        sweep.append((t, WordValidity(r.generated)))
    }
    // The best validation score; ties go to the lower temperature (the first).
    let chosen = sweep.indices.reduce(0) { sweep[$1].v.confidentShare > sweep[$0].v.confidentShare ? $1 : $0 }
    let temperature = sweep[chosen].t
    let sweepWords = { (i: Int) in Double(sweep[i].v.words) / Double(max(validation.count, 1)) }
    let last = sweep.count - 1
    let sweepNote = sweepWords(0) < sweepWords(last)
        ? " Colder sampling makes fewer words (\(String(format: "%.2f", sweepWords(0))) per clip at T = \(String(format: "%.2f", sweep[0].t))), "
            + "hotter sampling more (\(String(format: "%.2f", sweepWords(last))) at T = \(String(format: "%.2f", sweep[last].t))): the temperature trades silence for babble."
        : ""
    nb.say("""
        **Choosing the sampling temperature.** Sampling divides the logits by a temperature T \
        before the softmax: below 1 the likeliest tokens gain, above 1 the distribution flattens \
        toward random tokens. The temperature is chosen on \(validation.count) *validation* prompts — other \
        utterances of the held-out voices, not the evaluation prompts — as the one whose \
        continuations have the most confidently valid words: T = \(String(format: "%.2f", temperature)).\(sweepNote)
        """)
    nb.table(headers: ["temperature (\(validation.count) validation prompts)", "words recognised per clip", "confidently valid words"],
             rows: sweep.enumerated().map { i, s in
                 [String(format: "%.2f", s.t) + (i == chosen ? " (chosen)" : ""), String(format: "%.2f", Double(s.v.words) / Double(validation.count)), pct(s.v.confidentShare)]
             })

    var genRNG = nb.rng(6)
    let prompts = promptsFrom(test.utterances, settings.continuations)
    let cont = nb.timed("continue evaluation prompts") {
        runContinuations(lm.model, fold: fold, codec: codec, recognizer: recognizer, prompts: prompts, clipFrames: framesPerClip,
                         rule: .sample(temperature: temperature, topK: nil), references: true, snrDB: AudioSetup.defaultSNR, rng: &genRNG, mixRNG: &mixRNG)
    }
    let validGen = WordValidity(cont.generated), validReal = WordValidity(cont.real)
    let validRandom = WordValidity(cont.randomTokens)
    let count = Double(prompts.count)
    let perClip = { (v: WordValidity) in String(format: "%.2f", Double(v.words) / count) }
    nb.table(headers: ["continuation (\(prompts.count) evaluation prompts)", "words recognised per clip", "valid words", "confidently valid words"], rows: [
        ["GPT samples, T = \(String(format: "%.2f", temperature))", perClip(validGen), pct(validGen.share), pct(validGen.confidentShare)],
        ["true continuation through the codec (ceiling)", perClip(validReal), pct(validReal.share), pct(validReal.confidentShare)],
        ["random tokens, uniform over the \(fold.vocabulary) (floor)", perClip(validRandom), pct(validRandom.share), pct(validRandom.confidentShare)],
    ])
    // Binomial standard error of a share over this many words: a gap smaller than two of them is noise.
    let floor = validRandom
    let gap = validGen.confidentShare - floor.confidentShare
    let se = (validGen.confidentShare * (1 - validGen.confidentShare) / Double(max(validGen.words, 1))
        + floor.confidentShare * (1 - floor.confidentShare) / Double(max(floor.words, 1))).squareRoot()
    let verdict = gap > 2 * se
        ? "above random tokens by \(String(format: "%.1f", 100 * gap)) points (two standard errors are \(String(format: "%.1f", 200 * se)))"
        : "no better than random tokens: the gap, \(String(format: "%.1f", 100 * gap)) points, is within two standard errors (\(String(format: "%.1f", 200 * se)) points)"
    let wordsPer = { (v: WordValidity) in Double(v.words) / count }
    let rhythm = abs(wordsPer(validGen) - wordsPer(validReal)) < abs(wordsPer(validRandom) - wordsPer(validReal))
        ? ": closer to the true count than random tokens are, so the GPT learned the rhythm of speech and pause as well as the sounds."
        : "."
    let lossWords = lmLoss < unigram - 0.5 ? "far below" : lmLoss < unigram ? "below" : "not below"
    nb.say("""
        The recogniser writes a valid word for almost anything (the "valid words" column), which \
        is why the gate matters. By the confidence-gated measure the GPT's continuations are \
        \(verdict): \(pct(validGen.confidentShare)) of their recognised words are confidently valid, \
        against \(pct(validRandom.confidentShare)) for random tokens and \(pct(validReal.confidentShare)) \
        for the true continuations through the codec. They hold \(String(format: "%.1f", wordsPer(validGen))) words per clip where the \
        true continuations hold \(String(format: "%.1f", wordsPer(validReal))) and random tokens make the \
        recogniser write \(String(format: "%.1f", wordsPer(validRandom)))\(rhythm) Its loss, \(String(format: "%.2f", lmLoss)) nats per \
        token, is \(lossWords) the \(String(format: "%.2f", unigram)) of token frequencies alone. The gap \
        to the ceiling is what a \(tokRecipe.config.layers)-layer GPT of width \(tokRecipe.config.width) \
        trained for \(tokRecipe.steps) steps has not learned; AudioLM's semantic stage is a 12-layer \
        transformer trained on 60,000 hours. The codec itself also costs accuracy: the recogniser's \
        WER on held-out clips passed through it is \(pct(codecResult.wer)), against \(pct(result.wer)) \
        on the originals.
        """)
    nb.number("sampling temperature (chosen on validation prompts)", Double(temperature), key: "sampling_temperature", unit: "", format: "%.2f")
    nb.number("share of recognised words in GPT continuations that are confidently valid words", validGen.confidentShare, key: "continuation_valid_word_share", unit: "share", format: "%.1f%%", scale: 100)
    nb.number("share of recognised words in GPT continuations that are valid words (no confidence gate)", validGen.share, key: "continuation_valid_word_share_ungated", unit: "share", format: "%.1f%%", scale: 100)
    nb.number("words recognised in GPT continuations", validGen.words, key: "continuation_words", unit: "count")
    nb.number("confidently valid share, true continuations through the codec", validReal.confidentShare, key: "continuation_valid_share_real", unit: "share", format: "%.1f%%", scale: 100)
    nb.number("confidently valid share, random tokens", validRandom.confidentShare, key: "continuation_valid_share_random", unit: "share", format: "%.1f%%", scale: 100)
    nb.number("confidently valid share: gap to random tokens, in standard errors", gap / max(se, 1e-12), key: "continuation_gap_standard_errors", unit: "", format: "%.1f")
    nb.table(headers: ["prompt (true words 1–2)", "GPT continuation, as recognised", "lowest character probability per word"], rows: zip(prompts.prefix(8), cont.generated.prefix(8)).map { u, g in
        [u.words.prefix(2).map { SpeechVocabulary.words[$0] }.joined(separator: " "), g.text.isEmpty ? "(nothing)" : g.text,
         g.wordConfidence.map { String(format: "%.2f", $0) }.joined(separator: ", ")]
    })

    if let g = cont.samples.first, let u = prompts.first {
        let heardText = cont.generated[0].text
        let promptFrames = fold.frames(Array(g.tokens.prefix(g.promptTokens)))
        let audio = codec.decode(g.clipFrames)
        var tokenPlot = LinePlot(title: "k-means codes, one per \(hopMs) ms frame: prompt (\(g.promptTokens) tokens) then GPT samples",
                                 xLabel: "time (s)", yLabel: "code (k-means centre)")
        let times = g.clipFrames.indices.map { tokenFE.stft.time(ofFrame: $0) }
        tokenPlot.add(LineSeries(name: "prompt: \"\(u.words.prefix(2).map { SpeechVocabulary.words[$0] }.joined(separator: " "))\"",
                                 x: Array(times.prefix(promptFrames)), y: g.clipFrames.prefix(promptFrames).map(Double.init), marker: .circle, color: Palette.color(0)))
        tokenPlot.add(LineSeries(name: "continuation (\(g.tokens.count - g.promptTokens) tokens), recognised as \"\(heardText)\"", x: Array(times.dropFirst(promptFrames)),
                                 y: g.clipFrames.dropFirst(promptFrames).map(Double.init), marker: .circle, color: Palette.color(1)))
        tokenPlot.yAxis.range = -1...Double(tokRecipe.codes)
        tokenPlot.xAxis.range = 0...3.2
        let clip = Array(audio.prefix(AudioSetup.spec.clipSamples))
        let image = AudioPlots.melImage(clip + [Float](repeating: 0, count: max(0, AudioSetup.spec.clipSamples - clip.count)), frontEnd: melFE)
        try nb.figure(Figure(title: "A generated continuation: codes and the spectrogram of the sound they decode to", rows: 2, columns: 1,
                             panels: [tokenPlot, AudioPlots.logMel(image, bands: AudioSetup.melBands, frontEnd: melFE, title: "log-mel of the decoded codes (prompt + continuation)", range: -1...1.4)],
                             width: 2000, height: 1500),
                      name: "continuation", caption: "Top: the codes (the GPT's tokens), prompt then samples; a run of one code is a steady sound. Bottom: the decoded audio's log-mel spectrogram, on the recogniser's time axis.")
        try WAV.write(AudioClip(sampleRate: fs, samples: audio), to: nb.outputPath("continuation.wav"))
        try WAV.write(AudioClip(sampleRate: fs, samples: codec.decode(codec.encode(u.samples))), to: nb.outputPath("codec-roundtrip.wav"))
        nb.say("""
            Listen: [continuation.wav](continuation.wav) (prompt, then the GPT's continuation) and \
            [codec-roundtrip.wav](codec-roundtrip.wav) (the original clip through the token codec, \
            to hear what the tokens keep and lose). The codec's grains come from many voices, so the \
            decoded sound changes pitch from frame to frame; AudioLM's second and third stages \
            (acoustic tokens from SoundStream) exist to put the speaker's voice back.
            """)
    }
    var lmPlot = LinePlot(title: "Token GPT training loss", xLabel: "step", yLabel: "cross-entropy (nats per token)",
                          series: [LineSeries(name: "per batch", y: lm.losses.map(Double.init), color: Color(170, 190, 220)),
                                   LineSeries(name: "running mean (50 steps)", y: runningMean(lm.losses, window: 50), color: Palette.color(0))],
                          referenceLines: [ReferenceLine(value: unigram, label: "token frequencies only (unigram entropy)", color: Color(190, 30, 30))],
                          width: 1400, height: 800)
    lmPlot.legendAvoidsReferenceLabels = true
    lmPlot.yAxis.range = 0...(log(Double(fold.vocabulary)) * 1.15)
    try nb.figure(lmPlot, name: "token-lm-training", caption: "Next-token cross-entropy of the token GPT. The red line is the entropy of the token frequencies (what a model that ignores context scores; guessing uniformly over the \(fold.vocabulary) tokens scores ln \(fold.vocabulary) = \(String(format: "%.2f", log(Double(fold.vocabulary))))); the gap below it is what the GPT learned from context.")

    // MARK: 4. Audio diffusion
    nb.section("4. What an audio diffusion model is, and the three side by side")
    nb.say("""
        A diffusion model (chapter 05) learns to remove noise: it is trained to predict the noise \
        that was added to a clean example at a random noise level, and it generates by starting \
        from pure noise and denoising step by step. For audio that has been done in two ways. \
        **DiffWave** and **WaveGrad** (2020) diffuse the waveform itself: a network predicts the \
        noise in a noisy waveform, conditioned on a mel spectrogram, and so act as vocoders that \
        turn spectrograms into sound. **AudioLDM** (2023) is chapter 06's latent diffusion for \
        sound: a VAE compresses mel spectrograms into a latent image, a U-Net denoises latents \
        conditioned on a CLAP embedding (CLAP is the audio–text CLIP), and a vocoder turns the \
        decoded mel spectrogram into a waveform. Chapter 05's machinery could be applied \
        unchanged to this chapter's log-mel images (\(AudioSetup.melBands)×\(train.frames), one channel), \
        with the codec or a vocoder to get back to sound. The table sets the model families side by side.
        """)
    nb.table(headers: ["model", "input", "output", "architecture", "training data and objective", "diffusion?"], rows: [
        ["Whisper (2022)", "log-mel spectrogram (80 bands, 30 s)", "text tokens (transcript or translation)", "encoder–decoder transformer with cross-attention", "680k h of weakly supervised audio–transcript pairs; next-token cross-entropy", "no"],
        ["this chapter's recogniser", "log-mel (32 bands, 3.2 s)", "characters", "conv stem + 2 encoder blocks + 2 cross-attention decoder blocks", "synthetic speech; next-character cross-entropy", "no"],
        ["AudioLM (2022)", "audio tokens (w2v-BERT k-means + SoundStream codes)", "more audio tokens", "decoder-only transformers (three stages)", "unlabelled speech/music; next-token cross-entropy", "no"],
        ["this chapter's token GPT", "k-means tokens of log-mel frames", "more tokens → grains → audio", "chapter 02's GPT", "synthetic speech; next-token cross-entropy", "no"],
        ["DiffWave / WaveGrad (2020)", "noise + mel spectrogram", "waveform", "convolutional noise predictor (WaveNet-style dilated convolutions in DiffWave)", "speech; denoising (noise-prediction MSE)", "yes"],
        ["AudioLDM (2023)", "noise + text embedding (CLAP)", "mel latent → mel → waveform (vocoder)", "VAE + U-Net conditioned on a CLAP embedding (latent diffusion)", "audio clips with their CLAP audio embeddings (text embeddings swapped in when sampling); denoising in latent space", "yes"],
    ])
    nb.say("""
        The difference is in the objective, not the data: a diffusion model is trained to denoise, \
        an autoregressive model to predict the next token. Whisper and AudioLM are autoregressive \
        transformers trained with cross-entropy — the same objective as chapter 02's GPT.
        """)
}
