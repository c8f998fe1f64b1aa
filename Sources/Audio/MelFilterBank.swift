import Foundation

/// Triangular filters evenly spaced on the mel scale: how a spectrogram is folded into a few
/// bands that are narrow at low frequencies and wide at high ones, as pitch perception is.
///
/// mel(f) = 2595·log₁₀(1 + f/700) (the HTK formula). `bands` + 2 points are spaced evenly in mel
/// from `fMin` to `fMax`; filter m rises linearly from point m to 1 at point m+1 and falls back
/// to 0 at point m+2. Neighbouring triangles cross at half height, so between the first and the
/// last centre the weights of every frequency add up to exactly 1 (a partition of unity): no
/// frequency is counted twice or lost. The triangles are not area-normalised (Slaney's variant
/// would break that partition).
public struct MelFilterBank: Sendable {
    /// Number of mel bands.
    public let bands: Int
    /// The STFT whose bins the filters weight.
    public let stft: STFTConfig
    /// Lowest and highest frequency covered (Hz).
    public let fMin: Double
    public let fMax: Double
    /// The `bands` + 2 edge and centre frequencies in Hz: filter m spans points m … m+2.
    public let points: [Double]
    /// Row-major weights [bands, bins].
    public let weights: [Double]
    /// Per band, the bins where its weight is non-zero (so `apply` skips the zeros).
    let support: [Range<Int>]

    /// mel(f), HTK formula.
    public static func mel(_ hz: Double) -> Double { 2595 * log10(1 + hz / 700) }
    /// The inverse of `mel`.
    public static func hz(_ mel: Double) -> Double { 700 * (pow(10, mel / 2595) - 1) }

    /// `bands` filters from `fMin` to `fMax` (default: 0 Hz to the Nyquist frequency).
    public init(bands: Int, stft: STFTConfig, fMin: Double = 0, fMax: Double? = nil) {
        let top = fMax ?? Double(stft.sampleRate) / 2
        precondition(bands >= 1 && fMin >= 0 && top > fMin && top <= Double(stft.sampleRate) / 2,
                     "MelFilterBank: need bands ≥ 1 and 0 ≤ fMin < fMax ≤ Nyquist")
        self.bands = bands; self.stft = stft; self.fMin = fMin; self.fMax = top
        let lo = Self.mel(fMin), hi = Self.mel(top)
        let pts = (0..<(bands + 2)).map { Self.hz(lo + (hi - lo) * Double($0) / Double(bands + 1)) }
        points = pts
        var w = [Double](repeating: 0, count: bands * stft.bins)
        for m in 0..<bands {
            let a = pts[m], c = pts[m + 1], b = pts[m + 2]
            for k in 0..<stft.bins {
                let f = stft.frequency(ofBin: k)
                if f > a && f <= c { w[m * stft.bins + k] = (f - a) / (c - a) }
                else if f > c && f < b { w[m * stft.bins + k] = (b - f) / (b - c) }
            }
        }
        weights = w
        support = (0..<bands).map { m in
            let nz = (0..<stft.bins).filter { w[m * stft.bins + $0] != 0 }
            return (nz.first ?? 0)..<((nz.last ?? -1) + 1)
        }
    }

    /// Centre frequency of band m (Hz).
    public func centre(_ m: Int) -> Double { points[m + 1] }

    /// Band energies of one power-spectrum row (`stft.bins` values).
    public func apply(_ power: [Double]) -> [Double] {
        precondition(power.count == stft.bins, "mel: \(power.count) bins, expected \(stft.bins)")
        let n = stft.bins
        return (0..<bands).map { m in
            var s = 0.0
            for k in support[m] { s += weights[m * n + k] * power[k] }
            return s
        }
    }
}
