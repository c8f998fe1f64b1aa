import Testing
@testable import Datasets

@Suite struct GlyphDigitsTests {
    @Test func sameSeedSameImagesOtherSeedOtherImages() {
        let a = GlyphDigits.generate(count: 50, seed: 7), b = GlyphDigits.generate(count: 50, seed: 7)
        let c = GlyphDigits.generate(count: 50, seed: 8)
        #expect(a.pixels == b.pixels)
        #expect(a.pixels != c.pixels)
        #expect(a.labels == c.labels)
    }

    @Test func shapeRangeAndBalancedLabels() {
        let set = GlyphDigits.generate(count: 200, seed: 1)
        #expect(set.channels == 1 && set.height == 16 && set.width == 16)
        #expect(set.pixels.count == 200 * 256)
        #expect(set.pixels.allSatisfy { $0 >= -1 && $0 <= 1 })
        #expect(set.classNames == (0..<10).map(String.init))
        for d in 0..<10 { #expect(set.labels.filter { $0 == d }.count == 20) }
    }

    /// Every image has ink, most of it is background, and anti-aliasing leaves partly covered
    /// pixels (values strictly between −1 and 1) rather than a hard black-and-white threshold.
    @Test func inkBackgroundAndAntiAliasing() {
        let set = GlyphDigits.generate(count: 100, seed: 2)
        for i in 0..<set.count {
            let img = Array(set.image(i))
            let ink = img.filter { $0 > 0 }.count, background = img.filter { $0 == -1 }.count
            let partial = img.filter { $0 > -1 && $0 < 1 }.count
            #expect(ink >= 10, "image \(i) (digit \(set.labels[i])) has only \(ink) inked pixels")
            #expect(background >= 128, "image \(i) is mostly ink")
            #expect(partial >= 5)
        }
    }

    /// Even at the extreme shift, scale and pen width the glyph stays inside the frame: the
    /// outermost ring of pixels never receives full ink.
    @Test func extremeStylesStayInside() {
        for digit in 0..<10 {
            for (dx, dy, slant) in [(Float(1.5), Float(1), Float(0.25)), (-1.5, -1, -0.25), (1.5, -1, 0.25), (-1.5, 1, -0.25)] {
                let img = GlyphDigits.render(digit: digit, style: .init(strokeWidth: 2.3, scale: 1.05, dx: dx, dy: dy, slant: slant))
                for k in 0..<16 {
                    for v in [img[k], img[15 * 16 + k], img[k * 16], img[k * 16 + 15]] {
                        #expect(v < 1, "digit \(digit) touches the border at shift (\(dx), \(dy)), slant \(slant)")
                    }
                }
            }
        }
    }

    /// A wider pen puts down more ink; a positive shift moves the ink's centre by that many pixels.
    @Test func styleParametersDoWhatTheySay() {
        for digit in 0..<10 {
            let thin = GlyphDigits.render(digit: digit, style: .init(strokeWidth: 1.2))
            let bold = GlyphDigits.render(digit: digit, style: .init(strokeWidth: 2.2))
            #expect(thin.reduce(0, +) < bold.reduce(0, +))
            let base = centroid(GlyphDigits.render(digit: digit, style: .init()))
            let moved = centroid(GlyphDigits.render(digit: digit, style: .init(dx: 1, dy: -1)))
            // Rasterisation blurs sub-pixel edges, so allow 0.15 px.
            #expect(abs(moved.x - base.x - 1) < 0.15 && abs(moved.y - base.y + 1) < 0.15)
        }
    }

    /// The 0 and the 8 are drawn left-right symmetric, so without slant or shift their images are
    /// mirror images of themselves; the 7 is not.
    @Test func symmetricDigitsAreSymmetric() {
        func asymmetry(_ d: Int) -> Float {
            let img = GlyphDigits.render(digit: d, style: .init(strokeWidth: 1.6))
            var worst: Float = 0
            for r in 0..<16 { for c in 0..<16 { worst = max(worst, abs(img[r * 16 + c] - img[r * 16 + 15 - c])) } }
            return worst
        }
        #expect(asymmetry(0) < 1e-4)
        #expect(asymmetry(8) < 1e-4)
        #expect(asymmetry(7) > 0.5)
    }

    /// The classes are distinct shapes: a nearest-class-mean rule fitted on one seed labels
    /// another seed's images far above the 10% of chance (it scores about 90%; identical or
    /// near-identical glyphs would fail this).
    @Test func classesAreSeparable() {
        let train = GlyphDigits.generate(count: 1000, seed: 3), test = GlyphDigits.generate(count: 300, seed: 4)
        var means = [[Float]](repeating: [Float](repeating: 0, count: 256), count: 10)
        for i in 0..<train.count {
            for (k, v) in train.image(i).enumerated() { means[train.labels[i]][k] += v / 100 }
        }
        var correct = 0
        for i in 0..<test.count {
            let img = Array(test.image(i))
            let dists = means.map { m in zip(m, img).reduce(Float(0)) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) } }
            if dists.firstIndex(of: dists.min()!) == test.labels[i] { correct += 1 }
        }
        #expect(Double(correct) / Double(test.count) > 0.6)
    }

    func centroid(_ img: [Float]) -> (x: Float, y: Float) {
        var sx: Float = 0, sy: Float = 0, s: Float = 0
        for r in 0..<16 {
            for c in 0..<16 {
                let w = (img[r * 16 + c] + 1) / 2
                sx += w * Float(c); sy += w * Float(r); s += w
            }
        }
        return (sx / s, sy / s)
    }
}
