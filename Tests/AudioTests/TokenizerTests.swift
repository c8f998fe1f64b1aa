import Audio
import Engine
import Foundation
import Testing

/// The k-means codebook and the grain codec's round trips.
struct TokenizerTests {
    /// Points in three tight blobs (radius ≤ 0.1) far apart: k-means with k = 3 puts one centre
    /// in each blob, so encoding then decoding a point moves it by at most the blob radius.
    @Test func kMeansRoundTripErrorIsBoundedByTheClusterRadius() {
        var rng = RNG(seed: 4)
        let truth: [[Float]] = [[0, 0, 0], [5, 0, 1], [0, 6, -2]]
        var points: [[Float]] = []
        for i in 0..<300 {
            let c = truth[i % 3]
            points.append(c.map { $0 + rng.uniform(-0.057, 0.057) })   // |offset| ≤ 0.057·√3 < 0.1
        }
        let km = KMeans(points: points, k: 3, iterations: 10, rng: &rng)
        for p in points {
            let back = km.centre(km.token(p))
            let err = zip(p, back).map { ($0 - $1) * ($0 - $1) }.reduce(0, +).squareRoot()
            #expect(err <= 0.1 + 1e-5)
        }
        // Each centre is the mean of its blob, within the blob.
        for c in truth {
            let found = km.centre(km.token(c))
            #expect(zip(c, found).allSatisfy { abs($0 - $1) < 0.03 })
        }
    }

    /// A steady signal encodes to one repeated token, and the overlap-add of its grain gives the
    /// signal back exactly between the first and last half-frame (Hann² + Hann² shifted = 1).
    @Test func grainCodecRebuildsASteadySignal() {
        let stft = STFTConfig(sampleRate: 8000, window: 320, hop: 160, fftSize: 512)
        let fe = LogMelFrontEnd(stft: stft, bands: 16)
        let clip = [Float](repeating: 0.25, count: 3200)
        var rng = RNG(seed: 1)
        let km = KMeans(points: fe(clip), k: 1, iterations: 2, rng: &rng)
        let codec = GrainCodec(frontEnd: fe, codebook: km, clips: [clip])
        let tokens = codec.encode(clip)
        #expect(tokens.count == stft.frameCount(samples: 3200) && Set(tokens) == [0])
        let back = codec.decode(tokens)
        #expect(back.count == (tokens.count + 1) * 160)
        for n in 160..<(back.count - 160) { #expect(abs(back[n] - 0.25) < 1e-6) }
    }
}
