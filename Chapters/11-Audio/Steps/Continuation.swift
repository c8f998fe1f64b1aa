import Audio
import Datasets
import Engine
import Models

/// What the recogniser heard in one clip: its transcript and, per word, the lowest probability it
/// gave any of that word's characters or the space after it.
public typealias Heard = (text: String, wordConfidence: [Float])

/// Samples tokens after `prompt` (frame codes, folded by `fold`) until they stand for at least
/// `frames` more frames; returns all GPT tokens (prompt first) and the continuation's first
/// `frames` frame codes. The model sees at most its context: older tokens drop out of the window.
public func continueFrames(_ lm: GPT, fold: RunLengthTokens, prompt: [Int], frames: Int, rule: SamplingRule,
                           rng: inout RNG) -> (tokens: [Int], promptTokens: Int, frames: [Int]) {
    var ids = fold.fold(prompt)
    let promptTokens = ids.count
    var made = 0
    while made < frames {
        ids = lm.generate(prompt: ids, count: 1, rule: rule, rng: &rng)
        made += fold.split(ids.last!).run
    }
    return (ids, promptTokens, Array(fold.expand(Array(ids.dropFirst(promptTokens))).prefix(frames)))
}

/// Uniformly random GPT tokens until they stand for `frames` frames (a model that learned nothing),
/// as frame codes.
public func randomFrames(fold: RunLengthTokens, frames: Int, rng: inout RNG) -> [Int] {
    var out: [Int] = []
    while out.count < frames { out += fold.expand([rng.int(fold.vocabulary)]) }
    return Array(out.prefix(frames))
}

/// The continuations of a set of prompts and what the recogniser heard in them.
public struct ContinuationRun {
    /// Per prompt: the GPT's tokens (prompt first), how many of them are the prompt, and the
    /// frame codes of the whole clip (prompt then continuation).
    public var samples: [(tokens: [Int], promptTokens: Int, clipFrames: [Int])] = []
    /// Per prompt, the recogniser on the GPT's continuation alone.
    public var generated: [Heard] = []
    /// Per prompt, the references (empty unless asked for): the true continuation through the
    /// codec, and uniformly random GPT tokens.
    public var real: [Heard] = [], randomTokens: [Heard] = []
}

/// Continues every prompt — the first two words of an utterance, cut at the frame where the
/// second word ends — up to the clip's length, decodes each continuation alone to sound, mixes
/// in background noise at `snrDB` and transcribes it with confidences. With `references`, the
/// true continuation and random tokens are scored the same way.
public func runContinuations(_ lm: GPT, fold: RunLengthTokens, codec: GrainCodec, recognizer: SpeechRecognizer,
                             prompts: [Utterance], clipFrames: Int, rule: SamplingRule, references: Bool,
                             snrDB: Double, rng: inout RNG, mixRNG: inout RNG) -> ContinuationRun {
    var run = ContinuationRun()
    var clips: [[Float]] = []
    let clipSamples = AudioSetup.spec.clipSamples
    for u in prompts {
        precondition(u.wordSpans.count >= 2, "a prompt needs an utterance of at least two words")
        let codes = codec.encode(u.samples)
        let cut = min(clipFrames - 1, (u.wordSpans[1].upperBound + codec.hop - 1) / codec.hop)
        let wanted = clipFrames - cut
        let g = continueFrames(lm, fold: fold, prompt: Array(codes.prefix(cut)), frames: wanted, rule: rule, rng: &rng)
        run.samples.append((g.tokens, g.promptTokens, Array(codes.prefix(cut)) + g.frames))
        var conts = [g.frames]
        if references {
            conts.append(Array(codes.dropFirst(cut).prefix(wanted)))
            conts.append(randomFrames(fold: fold, frames: wanted, rng: &rng))
        }
        for c in conts { clips.append(clipForRecognizer(codec.decode(c), clipSamples: clipSamples, snrDB: snrDB, rng: &mixRNG)) }
    }
    let heard = transcribeWithConfidence(recognizer, mels: AudioSetup.recognizerFrontEnd.images(clips))
    let per = references ? 3 : 1
    for i in prompts.indices {
        run.generated.append(heard[i * per])
        if references {
            run.real.append(heard[i * per + 1]); run.randomTokens.append(heard[i * per + 2])
        }
    }
    return run
}
