import Engine
import Foundation
import Testing
@testable import Models

/// The image and text encoders: their layouts, their readouts, and a safetensors round trip.
@Suite struct MultimodalEncoderTests {
    let textConfig = TextEncoderConfig(vocab: 20, context: 6, width: 16, heads: 2, layers: 2, embedDim: 8)

    func images(_ n: Int, seed: UInt64) -> Tensor {
        var rng = RNG(seed: seed)
        return Tensor.uniform([n, 3, 32, 32], -1, 1, rng: &rng)
    }

    /// Token r·8 + c of `tokens` is the feature vector of grid cell (row r, column c) plus that
    /// cell's position vector: the layout a cross-attention map is drawn from.
    @Test func imageTokensAreGridCellsRowByRowWithPositions() {
        var rng = RNG(seed: 1)
        let enc = ImageEncoder(ImageEncoderConfig(width: 8, embedDim: 4), rng: &rng)
        let x = images(2, seed: 2)
        let f = enc.features(x), tok = enc.tokens(x)
        #expect(f.shape == [2, 8, 8, 8] && tok.shape == [2, 64, 8])
        for (b, r, c, ch) in [(0, 0, 0, 0), (1, 2, 5, 3), (1, 7, 7, 7), (0, 4, 1, 6)] {
            let cell = r * 8 + c
            let expected = f.data[((b * 8 + ch) * 8 + r) * 8 + c] + enc.position.data[cell * 8 + ch]
            #expect(tok.data[(b * 64 + cell) * 8 + ch] == expected)
        }
        #expect(enc(x).shape == [2, 4])
    }

    /// The text embedding is read at position 0, yet changes when a later word changes: the
    /// encoder attends in both directions (a causal GPT's position 0 could not see later words).
    @Test func textEmbeddingSeesTheWholeSequence() {
        var rng = RNG(seed: 3)
        let enc = TextEncoder(textConfig, rng: &rng)
        let a = enc([[1, 5, 6, 7, 2, 0]]).values, b = enc([[1, 5, 6, 9, 2, 0]]).values
        #expect(a.count == 8)
        #expect(zip(a, b).map { abs($0 - $1) }.max()! > 1e-4)
        #expect(enc.tokens([[1, 5, 6, 7, 2, 0], [1, 3, 2, 0, 0, 0]]).shape == [2, 6, 16])
    }

    /// Both encoders saved to safetensors and loaded into differently initialised copies give
    /// bit-identical outputs; a file for another shape is refused.
    @Test func encodersRoundTripThroughSafetensors() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("mm-enc-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var r1 = RNG(seed: 10), r2 = RNG(seed: 20)
        let img = ImageEncoder(ImageEncoderConfig(width: 8, embedDim: 4), rng: &r1)
        let img2 = ImageEncoder(ImageEncoderConfig(width: 8, embedDim: 4), rng: &r2)
        let txt = TextEncoder(textConfig, rng: &r1), txt2 = TextEncoder(textConfig, rng: &r2)
        let x = images(3, seed: 4)
        let ids = [[1, 4, 5, 2, 0, 0], [1, 7, 7, 7, 7, 2]]
        #expect(img(x).values != img2(x).values)
        try img.save(to: dir + "/img.safetensors")
        try txt.save(to: dir + "/txt.safetensors")
        try img2.load(from: dir + "/img.safetensors")
        try txt2.load(from: dir + "/txt.safetensors")
        #expect(img(x).values == img2(x).values)
        #expect(img.tokens(x).values == img2.tokens(x).values)
        #expect(txt(ids).values == txt2(ids).values)
        var r3 = RNG(seed: 30)
        let wider = ImageEncoder(ImageEncoderConfig(width: 16, embedDim: 4), rng: &r3)
        #expect(throws: (any Error).self) { try wider.load(from: dir + "/img.safetensors") }
    }
}
