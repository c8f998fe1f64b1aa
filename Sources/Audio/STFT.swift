import Foundation

/// How a waveform is cut into frames for the short-time Fourier transform.
public struct STFTConfig: Equatable, Sendable, CustomStringConvertible {
    /// Samples per second of the input.
    public var sampleRate: Int
    /// Samples in each analysis window.
    public var window: Int
    /// Samples between the starts of consecutive frames.
    public var hop: Int
    /// FFT length (a power of two ≥ `window`; the windowed frame is zero-padded to it).
    public var fftSize: Int

    /// A configuration; checks that the sizes fit together.
    public init(sampleRate: Int, window: Int, hop: Int, fftSize: Int) {
        precondition(sampleRate > 0 && window > 0 && hop > 0, "STFT sizes must be positive")
        precondition(fftSize >= window && fftSize & (fftSize - 1) == 0,
                     "STFT: fftSize \(fftSize) must be a power of two ≥ the window \(window)")
        self.sampleRate = sampleRate; self.window = window; self.hop = hop; self.fftSize = fftSize
    }

    /// Number of frequency bins (0 … fftSize/2).
    public var bins: Int { fftSize / 2 + 1 }
    /// Centre frequency of bin k in Hz.
    public func frequency(ofBin k: Int) -> Double { Double(k) * Double(sampleRate) / Double(fftSize) }
    /// Frames of a signal of `n` samples: every start t·hop with the whole window inside.
    public func frameCount(samples n: Int) -> Int { n < window ? 0 : 1 + (n - window) / hop }
    /// Seconds from the clip start to the centre of frame t.
    public func time(ofFrame t: Int) -> Double { (Double(t * hop) + Double(window) / 2) / Double(sampleRate) }

    public var description: String { "STFT(\(sampleRate) Hz, window \(window), hop \(hop), fft \(fftSize))" }
}

/// The periodic Hann window w[n] = sin²(π·n/N): it tapers each frame to 0 at its ends so a frame
/// edge does not act like a click spreading energy over every bin, and copies of it placed
/// N/2 apart add up to exactly 1 (which the token decoder's overlap-add relies on).
public func hannWindow(_ n: Int) -> [Double] {
    (0..<n).map { let s = sin(Double.pi * Double($0) / Double(n)); return s * s }
}

/// The power spectrogram |STFT|²: one row of `config.bins` values per frame.
///
/// Frame t holds samples t·hop ..< t·hop + window, multiplied by the Hann window and zero-padded
/// to the FFT size. (Callers that need many clips parallelise over clips; see `LogMelFrontEnd`.)
public func powerSpectrogram(_ samples: [Float], _ config: STFTConfig, plan: FFTPlan? = nil) -> [[Double]] {
    let plan = plan ?? FFTPlan(size: config.fftSize)
    let w = hannWindow(config.window)
    return (0..<config.frameCount(samples: samples.count)).map { t in
        let start = t * config.hop
        return plan.powerSpectrum((0..<config.window).map { Double(samples[start + $0]) * w[$0] })
    }
}
