import Engine
import Foundation

/// The sizes of a `SpeechRecognizer`.
public struct RecognizerConfig: Equatable, Sendable, CustomStringConvertible {
    /// Mel bands of the input spectrogram.
    public var melBands: Int
    /// Frames of the input spectrogram (every clip has the same length).
    public var frames: Int
    /// Channels of the two convolutions in the stem.
    public var stemChannels: Int
    /// Width of encoder and decoder.
    public var width: Int
    /// Attention heads.
    public var heads: Int
    /// Encoder blocks and decoder blocks.
    public var encoderLayers: Int
    public var decoderLayers: Int
    /// Output alphabet size (characters + markers).
    public var vocab: Int
    /// Longest token sequence the decoder reads (start marker + characters).
    public var context: Int

    /// A configuration.
    public init(melBands: Int, frames: Int, stemChannels: Int, width: Int, heads: Int, encoderLayers: Int,
                decoderLayers: Int, vocab: Int, context: Int) {
        precondition(width % heads == 0, "RecognizerConfig: width \(width) does not split into \(heads) heads")
        self.melBands = melBands; self.frames = frames; self.stemChannels = stemChannels; self.width = width
        self.heads = heads; self.encoderLayers = encoderLayers; self.decoderLayers = decoderLayers
        self.vocab = vocab; self.context = context
    }

    /// Output size of a 3×3, stride-2, padding-1 convolution along an axis of length n.
    static func halved(_ n: Int) -> Int { (n - 1) / 2 + 1 }
    /// Encoder positions: the frames after two stride-2 convolutions (each ~40 ms at a 10 ms hop).
    public var encoderPositions: Int { Self.halved(Self.halved(frames)) }
    /// Mel rows left after the stem.
    var stemBands: Int { Self.halved(Self.halved(melBands)) }

    public var description: String {
        "Recognizer(mel \(melBands)×\(frames), stem \(stemChannels), width \(width), heads \(heads), enc \(encoderLayers), dec \(decoderLayers), vocab \(vocab), context \(context))"
    }
}

/// A small Whisper: log-mel spectrogram in, transcript characters out.
///
/// * Stem: two 3×3 convolutions with stride 2 and GELU over the spectrogram as a one-channel
///   image [bands, frames]; each halves time and frequency, so an encoder position covers 4
///   frames. The channels × remaining bands at each time step are projected to the width.
///   (Whisper's stem is two 1-D convolutions over time; this 2-D one also pools frequency.)
/// * Encoder: learned positions plus bidirectional transformer blocks (chapter 07's
///   `EncoderBlock`): every position sees the whole clip.
/// * Decoder: character and position embeddings, blocks with causal self-attention and
///   cross-attention to the encoder output, a final LayerNorm and a linear head — a GPT that
///   also reads the audio.
public final class SpeechRecognizer: Module {
    public let config: RecognizerConfig
    public let conv1: Conv2d
    public let conv2: Conv2d
    public let stemProj: Linear
    public let audioPos: Embedding
    public let encoder: [EncoderBlock]
    public let encoderNorm: LayerNorm
    public let tok: Embedding
    public let pos: Embedding
    public let decoder: [CrossDecoderBlock]
    public let ln: LayerNorm
    public let head: Linear

    /// A recogniser with weights drawn from `rng`.
    public init(_ config: RecognizerConfig, rng: inout RNG) {
        self.config = config
        let c = config.stemChannels, w = config.width
        conv1 = Conv2d(1, c, kernel: 3, stride: 2, padding: 1, rng: &rng)
        conv2 = Conv2d(c, c, kernel: 3, stride: 2, padding: 1, rng: &rng)
        stemProj = Linear(c * config.stemBands, w, rng: &rng)
        audioPos = Embedding(config.encoderPositions, w, rng: &rng)
        encoder = (0..<config.encoderLayers).map { _ in EncoderBlock(width: w, heads: config.heads, rng: &rng) }
        encoderNorm = LayerNorm(w)
        tok = Embedding(config.vocab, w, rng: &rng)
        pos = Embedding(config.context, w, rng: &rng)
        decoder = (0..<config.decoderLayers).map { _ in CrossDecoderBlock(width: w, memoryDim: w, heads: config.heads, rng: &rng) }
        ln = LayerNorm(w)
        head = Linear(w, config.vocab, bias: false, rng: &rng)
        super.init()
        // Learned position tables start small (N(0, 1) would swamp the projected features).
        for t in [audioPos.weight, pos.weight] { for i in 0..<t.count { t.storage.pointer[i] *= 0.1 } }
        for t in [tok.weight] { for i in 0..<t.count { t.storage.pointer[i] *= 0.3 } }
    }

    public override var children: [(name: String, module: Module)] {
        var c: [(name: String, module: Module)] = [("conv1", conv1), ("conv2", conv2), ("stemProj", stemProj), ("audioPos", audioPos)]
        c += encoder.enumerated().map { ("encoder.\($0.offset)", $0.element as Module) }
        c += [("encoderNorm", encoderNorm), ("tok", tok), ("pos", pos)]
        c += decoder.enumerated().map { ("decoder.\($0.offset)", $0.element as Module) }
        c += [("ln", ln), ("head", head)]
        return c
    }

    /// Encoder output [B, positions, width] for spectrograms given as [B, 1, bands, frames].
    public func encode(_ mel: Tensor) -> Tensor {
        precondition(mel.rank == 4 && mel.shape[1] == 1 && mel.shape[2] == config.melBands && mel.shape[3] == config.frames,
                     "recogniser expects log-mel [B, 1, \(config.melBands), \(config.frames)], got \(mel.shape)")
        let b = mel.shape[0]
        let h = conv2(conv1(mel).gelu()).gelu()                 // [B, C, bands/4, positions]
        let p = config.encoderPositions
        let frames = h.permute([0, 3, 1, 2]).reshape([b, p, config.stemChannels * config.stemBands])
        var x = stemProj(frames) + audioPos(ids: Array(0..<p), shape: [p])
        for block in encoder { x = block(x) }
        return encoderNorm(x)
    }

    /// Next-character logits [B, T, vocab] for token rows `ids` [B][T] reading `memory`.
    public func decode(_ ids: [[Int]], memory: Tensor) -> Tensor {
        let b = ids.count, t = ids.first?.count ?? 0
        precondition(b == memory.shape[0] && t > 0 && t <= config.context && ids.allSatisfy { $0.count == t },
                     "decoder input must be \(memory.shape[0]) rows of equal length ≤ \(config.context)")
        var x = tok(ids: ids.flatMap { $0 }, shape: [b, t]) + pos(ids: Array(0..<t), shape: [t])
        for block in decoder { x = block(x, memory: memory) }
        return head(ln(x))
    }

    /// Mean cross-entropy (nats per character) of the targets given the inputs (teacher forcing);
    /// targets equal to `ignore` (padding) are skipped.
    public func loss(mel: Tensor, inputs: [[Int]], targets: [[Int]], ignore: Int) -> Tensor {
        let logits = decode(inputs, memory: encode(mel))
        return crossEntropy(logits.reshape([-1, config.vocab]), targets.flatMap { $0 }, ignoreIndex: ignore)
    }

    /// Greedy transcription: from the start marker, append the most likely next token until
    /// every row has produced `end` or the context is full. Returns each row's tokens after
    /// the start marker, up to (not including) the end marker.
    public func transcribe(_ mel: Tensor, start: Int, end: Int) -> [[Int]] {
        transcribeWithConfidence(mel, start: start, end: end).map(\.tokens)
    }

    /// Greedy transcription that also returns, for every emitted token and for the end marker,
    /// the probability the model gave it (its softmax value when it was chosen): how sure the
    /// recogniser was of each character.
    public func transcribeWithConfidence(_ mel: Tensor, start: Int, end: Int) -> [(tokens: [Int], probabilities: [Float])] {
        Tensor.noGrad {
            let memory = encode(mel)
            let b = mel.shape[0]
            var rows = [[Int]](repeating: [start], count: b)
            var done = [Bool](repeating: false, count: b)
            var probs = [[Float]](repeating: [], count: b)
            while rows[0].count < config.context && done.contains(false) {
                let logits = decode(rows, memory: memory)
                let t = rows[0].count, v = config.vocab
                for i in 0..<b {
                    let base = (i * t + t - 1) * v
                    var best = 0
                    for j in 1..<v where logits.data[base + j] > logits.data[base + best] { best = j }
                    if !done[i] {
                        // p(best) = 1 / Σ_j exp(logit_j − logit_best), computed stably.
                        var z: Float = 0
                        for j in 0..<v { z += expf(logits.data[base + j] - logits.data[base + best]) }
                        probs[i].append(1 / z)
                    }
                    rows[i].append(done[i] ? end : best)
                    if best == end { done[i] = true }
                }
            }
            return (0..<b).map { i in
                let tokens = Array(rows[i].dropFirst().prefix { $0 != end })
                return (tokens, Array(probs[i].prefix(tokens.count + 1)))
            }
        }
    }
}
