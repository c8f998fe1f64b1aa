import Audio
import Foundation
import Testing

/// The mel filter bank is a partition of unity with the requested edges.
struct MelTests {
    let stft = STFTConfig(sampleRate: 8000, window: 256, hop: 80, fftSize: 256)

    @Test func melScaleRoundTripsAndHasItsAnchor() {
        // HTK's mel is defined so that 1000 Hz ≈ 1000 mel.
        #expect(abs(MelFilterBank.mel(1000) - 999.99) < 0.01)
        for f in [0.0, 123.4, 1000, 3999] { #expect(abs(MelFilterBank.hz(MelFilterBank.mel(f)) - f) < 1e-9) }
    }

    @Test func filtersPartitionTheBandBetweenTheFirstAndLastCentre() {
        let bank = MelFilterBank(bands: 32, stft: stft)
        let n = stft.bins
        for k in 0..<n {
            let f = stft.frequency(ofBin: k)
            let total = (0..<bank.bands).reduce(0.0) { $0 + bank.weights[$1 * n + k] }
            if f >= bank.centre(0) && f <= bank.centre(bank.bands - 1) {
                #expect(abs(total - 1) < 1e-12, "bin \(k) at \(f) Hz sums to \(total)")
            } else {
                #expect(total < 1, "outside the centres the weights only fade")
            }
            // At most two triangles overlap anywhere.
            #expect((0..<bank.bands).filter { bank.weights[$0 * n + k] > 0 }.count <= 2)
        }
    }

    @Test func edgesAndCentresAreWhereTheyShouldBe() {
        let bank = MelFilterBank(bands: 20, stft: stft, fMin: 100, fMax: 3800)
        let n = stft.bins
        #expect(abs(bank.points.first! - 100) < 1e-9 && abs(bank.points.last! - 3800) < 1e-9)
        // Centres evenly spaced in mel.
        let mels = bank.points.map(MelFilterBank.mel)
        let step = mels[1] - mels[0]
        for i in 1..<mels.count { #expect(abs(mels[i] - mels[i - 1] - step) < 1e-9) }
        for k in 0..<n {
            let f = stft.frequency(ofBin: k)
            // Nothing below the lower edge of the first filter or above the upper edge of the last.
            if f <= 100 || f >= 3800 { for m in 0..<bank.bands { #expect(bank.weights[m * n + k] == 0) } }
        }
        // Filter m is 0 outside (point m, point m+2) and at most 1 inside.
        for m in 0..<bank.bands {
            for k in 0..<n {
                let f = stft.frequency(ofBin: k), w = bank.weights[m * n + k]
                if f <= bank.points[m] || f >= bank.points[m + 2] { #expect(w == 0) } else { #expect(w > 0 && w <= 1) }
            }
        }
    }
}
