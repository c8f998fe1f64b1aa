import Engine
import Testing
@testable import Datasets

/// The procedural shapes: reproducible, inside the frame, anti-aliased, with the geometry and
/// colours their attributes claim.
@Suite struct ColorShapesTests {
    @Test func sameSeedSameImagesOtherSeedOtherImages() {
        let a = ColorShapes(count: 20, seed: 4), b = ColorShapes(count: 20, seed: 4), c = ColorShapes(count: 20, seed: 5)
        #expect(a.images.pixels == b.images.pixels)
        #expect(a.attributes == b.attributes)
        #expect(a.images.pixels != c.images.pixels)
        #expect(a.images.channels == 3 && a.images.height == 32 && a.images.width == 32)
        #expect(a.images.labels == a.attributes.map(\.kind.rawValue))
        #expect(a.images.classNames == ["circle", "square", "triangle"])
        #expect(a.byColor.labels == a.attributes.map(\.color.rawValue))
        #expect(a.images.pixels.allSatisfy { $0 >= -1 && $0 <= 1 })
    }

    /// The coverage of every pixel, read back from the channel where the colour is brightest.
    func coverage(_ set: ColorShapes, _ i: Int) -> [Float] {
        let (r, g, b) = set.attributes[i].color.rgb
        let channel = r >= g && r >= b ? 0 : (g >= b ? 1 : 2)
        let peak = [r, g, b][channel]
        let plane = 32 * 32
        let img = Array(set.images.image(i))
        return (0..<plane).map { (img[channel * plane + $0] + 1) / 2 / peak }
    }

    /// Summed coverage is the shape's area up to the supersampling error, which lives on the
    /// pixels the outline crosses. In such a pixel each of the 4 sample columns misjudges its
    /// column's covered length by at most half a sample spacing, so the pixel is off by at most 1/8;
    /// an outline of length P crosses at most about √2·P + 4 pixels. A radius off by one pixel would
    /// change a circle's area by about 2πr, several times this bound. Triangles cut by the frame
    /// are skipped (their area is not the formula's).
    @Test func coverageAddsUpToTheArea() {
        let set = ColorShapes(count: 60, seed: 8)
        for i in 0..<set.count where !cutByFrame(set.attributes[i]) {
            let cov = coverage(set, i)
            let total = cov.reduce(0, +)
            let edge = cov.filter { $0 > 0.001 && $0 < 0.999 }.count
            let area = ColorShapes.area(set.attributes[i])
            let perimeter = ColorShapes.perimeter(set.attributes[i])
            #expect(abs(total - area) <= (Float(2).squareRoot() * perimeter + 4) / 8, "image \(i) (\(set.attributes[i].kind.name)): \(total) vs \(area)")
            // Anti-aliased: a shape of radius ≥ 5 has partly covered pixels along its edge.
            #expect(edge >= 8)
            // Fully inside pixels exist and carry exactly the palette colour.
            #expect(cov.contains { abs($0 - 1) < 1e-6 })
        }
    }

    /// Whether a triangle's corners (1.2·size from the centre) leave the image.
    func cutByFrame(_ a: ShapeAttributes) -> Bool {
        guard a.kind == .triangle else { return false }
        let r = 1.2 * a.size, half = 0.866_025_4 * r
        return a.y - r < 0 || a.y + 0.5 * r > 32 || a.x - half < 0 || a.x + half > 32
    }

    /// Circles and squares keep a one-pixel margin, so the outermost rows and columns stay black.
    @Test func circlesAndSquaresStayInsideTheFrame() {
        let set = ColorShapes(count: 200, seed: 2)
        for i in 0..<set.count where set.attributes[i].kind != .triangle {
            let img = Array(set.images.image(i))
            for c in 0..<3 {
                for k in 0..<32 {
                    // Top and bottom rows, left and right columns: background only.
                    for p in [k, 31 * 32 + k, k * 32, k * 32 + 31] { #expect(img[c * 1024 + p] == -1) }
                }
            }
        }
    }

    @Test func triangleGeometry() {
        let a = ShapeAttributes(kind: .triangle, color: .red, size: 10, x: 16, y: 16)
        // Circumradius 12: apex 12 above the centroid, base 6 below, base half-width 6√3.
        #expect(ColorShapes.contains(a, 16, 16))
        #expect(ColorShapes.contains(a, 16, 4.2))
        #expect(!ColorShapes.contains(a, 16, 3.8))
        #expect(ColorShapes.contains(a, 16, 21.9))
        #expect(!ColorShapes.contains(a, 16, 22.1))
        #expect(ColorShapes.contains(a, 16 + 10.3, 21.9))
        #expect(!ColorShapes.contains(a, 16 + 10.6, 21.9))
        #expect(abs(ColorShapes.area(a) - 187.06) < 0.01)   // (√3/4)·(12√3)²
    }

    /// Kinds and colours are uniform: each count within 4.5 binomial standard deviations.
    @Test func attributesAreBalanced() {
        let n = 3000
        let set = ColorShapes(count: n, seed: 1)
        for (labels, k) in [(set.images.labels, 3), (set.colorLabels, 4)] {
            let p = 1 / Double(k), sd = (Double(n) * p * (1 - p)).squareRoot()
            for c in 0..<k {
                let count = labels.filter { $0 == c }.count
                #expect(abs(Double(count) - Double(n) * p) < 4.5 * sd)
            }
        }
        let large = set.sizeLabels.filter { $0 == 1 }.count
        #expect(abs(Double(large) - Double(n) / 2) < 4.5 * (Double(n) / 4).squareRoot())
        #expect(set.attributes.allSatisfy { ColorShapes.sizeRange.contains($0.size) })
    }
}
