import Testing
@testable import Datasets

@Suite("Image set")
struct ImageSetTests {
    /// Two 1×2 RGB images stored channel plane by plane; drawing needs pixel by pixel.
    let set = ImageSet(channels: 3, height: 1, width: 2,
                       pixels: [-1, 1, /* R */ 0, 0, /* G */ 1, -1, /* B */
                                1, 1, -1, -1, 0.5, 2],
                       labels: [0, 1], classNames: ["a", "b"])

    @Test func pixelsForDrawingAreInterleavedAndInUnitRange() {
        #expect(set.pixels01(0) == [0, 0.5, 1, 1, 0.5, 0])
        #expect(set.pixels01(1) == [1, 0, 0.75, 1, 0, 1])  // 2 clamps to 1
    }

    @Test func tensorsAndSubsets() {
        let t = set.tensor(indices: [1])
        #expect(t.shape == [1, 3, 1, 2] && t.values == [1, 1, -1, -1, 0.5, 2])
        let s = set.subset([1, 0])
        #expect(s.labels == [1, 0] && Array(s.image(1)) == Array(set.image(0)))
    }
}
