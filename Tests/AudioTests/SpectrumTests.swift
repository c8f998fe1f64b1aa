import Audio
import Engine
import Foundation
import Testing

/// The FFT against the defining sum, the STFT of a pure tone against its closed form, and
/// Parseval's identity.
struct SpectrumTests {
    @Test func fftMatchesTheDefiningSum() {
        var rng = RNG(seed: 3)
        let n = 64
        let x = (0..<n).map { _ in Double(rng.normal()) }
        let (re, im) = FFTPlan(size: n).transform(x)
        for k in 0..<n {
            var sr = 0.0, si = 0.0
            for t in 0..<n {
                let a = -2 * Double.pi * Double(k * t) / Double(n)
                sr += x[t] * cos(a); si += x[t] * sin(a)
            }
            // 64-term sums of O(1) values in Double: agreement to 1e-12 is ~1e3 ulps of slack.
            #expect(abs(re[k] - sr) < 1e-12 && abs(im[k] - si) < 1e-12, "bin \(k)")
        }
    }

    /// A tone exactly on bin k with amplitude A: the Hann window's coefficients sum to N/2, so
    /// |X[k]| = A/2 · N/2 = A·N/4; the window's spectrum has only three non-zero taps
    /// (−1/4, 1/2, −1/4 of N), so |X[k±1]| = A·N/8 and every other bin is 0.
    @Test func pureToneLandsOnItsBinWithTheRightMagnitude() {
        let config = STFTConfig(sampleRate: 8000, window: 256, hop: 128, fftSize: 256)
        let k = 20, amplitude = 0.5
        let f = config.frequency(ofBin: k)
        #expect(f == 625)
        let samples = (0..<1024).map { Float(amplitude * sin(2 * Double.pi * f * Double($0) / 8000 + 0.3)) }
        let spec = powerSpectrogram(samples, config)
        #expect(spec.count == config.frameCount(samples: 1024) && spec.count == 7)
        let n = Double(config.fftSize)
        // Float32 samples carry ~6e-8 relative error, so magnitudes agree to ~1e-6 relative.
        for row in spec {
            let peak = row.indices.max { row[$0] < row[$1] }!
            #expect(peak == k)
            #expect(abs(row[k].squareRoot() - amplitude * n / 4) < 1e-4)
            #expect(abs(row[k - 1].squareRoot() - amplitude * n / 8) < 1e-4)
            #expect(abs(row[k + 1].squareRoot() - amplitude * n / 8) < 1e-4)
            let leak = row.indices.filter { abs($0 - k) > 1 }.map { row[$0].squareRoot() }.max()!
            #expect(leak < 1e-3)
        }
    }

    /// Σ|x|² = (1/N)·Σ|X[k]|² over all N bins; for a real frame the bins above N/2 mirror those
    /// below, so the one-sided sum counts bins 1…N/2−1 twice.
    @Test func parsevalHolds() {
        var rng = RNG(seed: 9)
        let n = 512
        let x = (0..<300).map { _ in Double(rng.normal()) }   // zero-padded to 512
        let p = FFTPlan(size: n).powerSpectrum(x)
        let energy = x.reduce(0) { $0 + $1 * $1 }
        var spectral = p[0] + p[n / 2]
        for k in 1..<(n / 2) { spectral += 2 * p[k] }
        spectral /= Double(n)
        #expect(abs(energy - spectral) / energy < 1e-12)
    }

    @Test func hannWindowsHalfAnOverlapApartSumToOne() {
        let w = hannWindow(320)
        for n in 0..<160 { #expect(abs(w[n] + w[n + 160] - 1) < 1e-12) }
        #expect(w[0] == 0 && abs(w[160] - 1) < 1e-15)
    }
}
