import Audio
import Datasets
import Engine

/// The chapter's fixed audio choices: sample rate, framing and the two speaker pools.
public enum AudioSetup {
    /// 8 kHz: telephone band, enough for formants up to 3.5 kHz.
    public static let sampleRate = 8000
    /// The recogniser's framing: 32 ms Hann windows every 10 ms (Whisper's hop), 32 mel bands.
    public static let recognizerSTFT = STFTConfig(sampleRate: sampleRate, window: 256, hop: 80, fftSize: 256)
    public static let melBands = 32
    /// Default utterances: 3.2 s clips, 1–5 words, 15–25 dB speech-to-noise ratio.
    public static let spec = UtteranceSpec()
    /// The default noise level of the held-out test (the middle of the training range).
    public static let defaultSNR = 20.0
    /// Speakers in each pool.
    public static let trainSpeakers = 40, heldOutSpeakers = 12

    /// The recogniser's front end.
    public static var recognizerFrontEnd: LogMelFrontEnd { LogMelFrontEnd(stft: recognizerSTFT, bands: melBands) }

    /// The training voices for run seed `seed`.
    public static func trainingVoices(seed: UInt64) -> [Speaker] { Speaker.pool(trainSpeakers, seed: seed &+ 11) }
    /// Voices never heard in training.
    public static func heldOutVoices(seed: UInt64) -> [Speaker] { Speaker.pool(heldOutSpeakers, seed: seed &+ 12) }
}

/// Utterances with their log-mel spectrograms, ready for the recogniser.
public struct SpeechSet {
    /// The utterances (waveforms and transcripts).
    public let utterances: [Utterance]
    /// Per utterance, its log-mel image [bands · frames], band-major.
    public let mels: [[Float]]
    /// Frames per clip.
    public let frames: Int

    /// Makes utterances `range` of stream `seed` from `speakers` and their spectrograms.
    public init(_ range: Range<Int>, seed: UInt64, speakers: [Speaker], spec: UtteranceSpec = AudioSetup.spec) {
        utterances = SpeechCorpus.utterances(range, seed: seed, speakers: speakers, spec: spec)
        let fe = AudioSetup.recognizerFrontEnd
        mels = fe.images(utterances.map(\.samples))
        frames = fe.frames(samples: spec.clipSamples)
    }

    /// Number of utterances.
    public var count: Int { utterances.count }
    /// The transcripts.
    public var texts: [String] { utterances.map(\.text) }

    /// Spectrograms of `indices` as a batch [B, 1, bands, frames].
    public func batch(_ indices: [Int]) -> Tensor {
        Tensor(shape: [indices.count, 1, AudioSetup.melBands, frames], values: indices.flatMap { mels[$0] })
    }
}
