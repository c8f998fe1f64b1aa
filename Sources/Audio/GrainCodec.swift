import Foundation

/// Audio ↔ tokens for the AudioLM-style model: one token per frame, the frame's log-mel vector's
/// nearest k-means centre; back to sound by overlap-adding one stored waveform snippet (a grain)
/// per token.
///
/// Frames are `window` = 2·hop samples with a periodic Hann window, so grains placed hop apart
/// add up with weights that sum to exactly 1 (sin² + cos² = 1): a steady sound comes back at its
/// level. Token j's grain is the training frame whose log-mel vector is nearest centre j (a real
/// piece of sound, not an average, which would blur pitch pulses into noise).
public struct GrainCodec: Sendable {
    /// The front end that gives each frame its log-mel vector.
    public let frontEnd: LogMelFrontEnd
    /// The codebook.
    public let codebook: KMeans
    /// Per token, the raw (unwindowed) samples of its representative frame, `window` long.
    public let grains: [[Float]]

    /// Frame length = 2·hop (required for the overlap-add to be exact).
    public var hop: Int { frontEnd.stft.hop }

    /// A codec from a fitted codebook and training clips to draw the grains from.
    public init(frontEnd: LogMelFrontEnd, codebook: KMeans, clips: [[Float]]) {
        precondition(frontEnd.stft.window == 2 * frontEnd.stft.hop, "the grain codec needs window = 2·hop")
        self.frontEnd = frontEnd
        self.codebook = codebook
        var best = [Float](repeating: .infinity, count: codebook.k)
        var grain = [[Float]](repeating: [Float](repeating: 0, count: frontEnd.stft.window), count: codebook.k)
        let w = frontEnd.stft.window, h = frontEnd.stft.hop
        for clip in clips {
            for (t, v) in frontEnd(clip).enumerated() {
                let j = codebook.token(v)
                let d = codebook.distanceToCentre(v, j)
                if d < best[j] { best[j] = d; grain[j] = Array(clip[(t * h)..<(t * h + w)]) }
            }
        }
        grains = grain
    }

    /// The token of every frame of `samples`.
    public func encode(_ samples: [Float]) -> [Int] { frontEnd(samples).map(codebook.token) }

    /// A waveform from tokens: grain of token i, Hann-windowed, starting at i·hop.
    /// Length (count + 1)·hop.
    public func decode(_ tokens: [Int]) -> [Float] {
        let w = frontEnd.stft.window, h = hop
        let win = hannWindow(w).map(Float.init)
        var out = [Float](repeating: 0, count: (tokens.count + 1) * h)
        for (i, tok) in tokens.enumerated() {
            let g = grains[tok]
            for n in 0..<w { out[i * h + n] += win[n] * g[n] }
        }
        return out
    }
}
