import Engine
import Foundation

/// Waveform → log-mel spectrogram, the input every speech model in the chapter sees.
///
/// Power STFT, mel filter bank, then log₁₀ of the band energies (a loudness scale: equal ratios
/// of power become equal steps), floored at `floorDB` below a fixed reference so silence does not
/// go to −∞, and mapped to roughly [−1, 1] by (log₁₀ E + `offset`)/`spread` as Whisper does
/// with its (log + 4)/4.
public struct LogMelFrontEnd: Sendable {
    /// The framing.
    public let stft: STFTConfig
    /// The bands.
    public let mel: MelFilterBank
    /// Energies below 10^`floorLog10` count as that value.
    public let floorLog10: Double
    /// Added to log₁₀ E before dividing by `spread`.
    public let offset: Double
    /// Divides the shifted log energy.
    public let spread: Double
    let plan: FFTPlan

    /// A front end with `bands` mel bands over `stft`.
    public init(stft: STFTConfig, bands: Int, floorLog10: Double = -6, offset: Double = 3, spread: Double = 3) {
        self.stft = stft
        mel = MelFilterBank(bands: bands, stft: stft)
        self.floorLog10 = floorLog10; self.offset = offset; self.spread = spread
        plan = FFTPlan(size: stft.fftSize)
    }

    /// Frames of a clip of `n` samples.
    public func frames(samples n: Int) -> Int { stft.frameCount(samples: n) }

    /// One row of `mel.bands` values per frame.
    public func callAsFunction(_ samples: [Float]) -> [[Float]] {
        powerSpectrogram(samples, stft, plan: plan).map { row in
            mel.apply(row).map { Float((Swift.max(log10(Swift.max($0, 1e-300)), floorLog10) + offset) / spread) }
        }
    }

    /// Log-mel of many equal-length clips, band-major per clip: [clips][bands · frames] with
    /// value (band b, frame t) at b·frames + t, the [C=1, H=bands, W=frames] image layout a
    /// convolutional stem reads. Clips are spread over cores; each clip's result is fixed.
    public func images(_ clips: [[Float]]) -> [[Float]] {
        var out = [[Float]](repeating: [], count: clips.count)
        out.withUnsafeMutableBufferPointer { buf in
            let buf = buf
            Parallel.forRanges(clips.count) { r in
                for i in r {
                    let rows = self(clips[i])
                    let t = rows.count, b = mel.bands
                    var img = [Float](repeating: 0, count: b * t)
                    for f in 0..<t { for m in 0..<b { img[m * t + f] = rows[f][m] } }
                    buf[i] = img
                }
            }
        }
        return out
    }
}
