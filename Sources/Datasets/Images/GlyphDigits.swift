import Engine

/// Procedural handwritten-looking digits: ten stroke skeletons, drawn with a random pen width,
/// size, position and slant, and rasterised with anti-aliasing into small grey images.
///
/// The point of the set is an MNIST-like task that needs no download: every image is a function of
/// the seed, the classes are known, and the within-class variation (thin or bold, left or right,
/// upright or leaning) is exactly what a generative model must learn to reproduce.
public enum GlyphDigits {
    /// A point of a stroke in glyph coordinates: x from 0 (left) to 1 (right), y from 0 (top) to 1 (bottom).
    public typealias Point = (x: Float, y: Float)

    /// How one image draws its digit.
    public struct Style: Sendable, Equatable {
        /// Pen width in pixels.
        public var strokeWidth: Float
        /// Size multiplier on the nominal glyph box (7.5 px wide, 10 px high at 16×16).
        public var scale: Float
        /// Shift of the glyph's centre from the image centre, in pixels.
        public var dx: Float, dy: Float
        /// Horizontal shear: x moves by `slant` × (height above the centre); positive leans right.
        public var slant: Float

        /// A style from its parts.
        public init(strokeWidth: Float = 1.6, scale: Float = 1, dx: Float = 0, dy: Float = 0, slant: Float = 0) {
            self.strokeWidth = strokeWidth
            self.scale = scale
            self.dx = dx
            self.dy = dy
            self.slant = slant
        }

        /// Draws a style from the set's ranges (width 1.1–2.3 px, scale 0.85–1.05, shift ±1.5 px
        /// across and ±1 px down, slant ±0.25), in that order from `rng`. At the extremes the glyph
        /// still clears the image border.
        public static func random(rng: inout RNG) -> Style {
            Style(strokeWidth: rng.uniform(1.1, 2.3), scale: rng.uniform(0.85, 1.05),
                  dx: rng.uniform(-1.5, 1.5), dy: rng.uniform(-1, 1), slant: rng.uniform(-0.25, 0.25))
        }
    }

    /// The class names "0" … "9".
    public static let classNames = (0..<10).map { String($0) }

    /// The skeleton of each digit as a list of polylines in glyph coordinates.
    public static let strokes: [[[Point]]] = [
        [arc(0.5, 0.5, 0.45, 0.5, from: 0, to: 360)],                                         // 0: an oval
        [[(0.22, 0.25), (0.55, 0), (0.55, 1)]],                                                // 1: flag and stem
        [arc(0.5, 0.3, 0.45, 0.3, from: 190, to: 400) + [(0, 1), (1, 1)]],                     // 2: hook, diagonal, base
        [arc(0.5, 0.27, 0.4, 0.27, from: 200, to: 450), arc(0.5, 0.75, 0.45, 0.25, from: 270, to: 520)], // 3: two bowls
        [[(0.68, 1), (0.68, 0), (0, 0.68), (0.98, 0.68)]],                                     // 4: open top
        [[(0.92, 0), (0.22, 0), (0.2, 0.47)] + arc(0.48, 0.68, 0.4, 0.32, from: 230, to: 530)], // 5: flag, bowl
        [[(0.82, 0.02), (0.5, 0.06), (0.24, 0.27), (0.12, 0.62)] + arc(0.5, 0.7, 0.38, 0.3, from: 180, to: 540)], // 6
        [[(0, 0), (1, 0), (0.35, 1)]],                                                         // 7: bar and diagonal
        [arc(0.5, 0.24, 0.33, 0.24, from: 0, to: 360), arc(0.5, 0.73, 0.42, 0.27, from: 0, to: 360)], // 8: two loops
        [arc(0.5, 0.3, 0.38, 0.3, from: 0, to: 360) + [(0.88, 0.3), (0.72, 1)]],                // 9: loop and tail
    ]

    /// `count` images of `size`×`size` pixels, one channel, values in [-1, 1] (−1 background, +1 ink).
    /// Labels cycle 0, 1, …, 9 so the classes are balanced; each image's style is drawn from `seed`.
    public static func generate(count: Int, size: Int = 16, seed: UInt64) -> ImageSet {
        var rng = RNG(seed: seed)
        var pixels = [Float]()
        pixels.reserveCapacity(count * size * size)
        var labels = [Int]()
        labels.reserveCapacity(count)
        for i in 0..<count {
            let digit = i % 10
            pixels += render(digit: digit, style: Style.random(rng: &rng), size: size)
            labels.append(digit)
        }
        return ImageSet(channels: 1, height: size, width: size, pixels: pixels, labels: labels, classNames: classNames)
    }

    /// One digit drawn in `style` as size·size values in [-1, 1], row-major from the top-left.
    ///
    /// Each pixel's ink is the share of the pixel the pen covers, approximated from the distance d
    /// between the pixel centre and the nearest stroke: coverage = clamp(w/2 + 1/2 − d, 0, 1). A
    /// pixel whose centre lies on the stroke edge is half covered, which is what removes the jagged
    /// staircase a hard threshold would draw.
    public static func render(digit: Int, style: Style, size: Int = 16) -> [Float] {
        precondition((0..<10).contains(digit), "GlyphDigits.render: digit must be 0…9, got \(digit)")
        precondition(size >= 8, "GlyphDigits.render: size must be at least 8, got \(size)")
        let s = Float(size) / 16   // the nominal glyph is designed for 16×16
        let boxW = 7.5 * s * style.scale, boxH = 10 * s * style.scale
        let cx = Float(size) / 2 + style.dx * s, cy = Float(size) / 2 + style.dy * s
        // Glyph coordinates → pixel coordinates, with the shear applied around the glyph's centre.
        func place(_ p: Point) -> Point {
            let y = cy + (p.y - 0.5) * boxH
            let x = cx + (p.x - 0.5) * boxW + style.slant * (cy - y)
            return (x, y)
        }
        var segments: [(a: Point, b: Point)] = []
        for line in strokes[digit] {
            let placed = line.map(place)
            for k in 1..<placed.count { segments.append((placed[k - 1], placed[k])) }
        }
        let half = style.strokeWidth * s / 2
        var out = [Float](repeating: -1, count: size * size)
        for row in 0..<size {
            for col in 0..<size {
                let p: Point = (Float(col) + 0.5, Float(row) + 0.5)
                var d = Float.infinity
                for seg in segments { d = Swift.min(d, distance(p, seg.a, seg.b)) }
                let coverage = Swift.min(Swift.max(half + 0.5 - d, 0), 1)
                out[row * size + col] = 2 * coverage - 1
            }
        }
        return out
    }

    /// Points along an ellipse around (cx, cy) with radii (rx, ry), angles in degrees measured with
    /// y pointing down (0° right, 90° bottom, 270° top), one point every 15°.
    static func arc(_ cx: Float, _ cy: Float, _ rx: Float, _ ry: Float, from a0: Float, to a1: Float) -> [Point] {
        let n = Swift.max(2, Int((abs(a1 - a0) / 15).rounded(.up)) + 1)
        return (0..<n).map { k in
            let a = (a0 + (a1 - a0) * Float(k) / Float(n - 1)) * Float.pi / 180
            return (cx + rx * cosf(a), cy + ry * sinf(a))
        }
    }

    /// Distance from p to the segment a–b.
    static func distance(_ p: Point, _ a: Point, _ b: Point) -> Float {
        let vx = b.x - a.x, vy = b.y - a.y
        let len2 = vx * vx + vy * vy
        var t: Float = 0
        if len2 > 0 { t = Swift.min(Swift.max(((p.x - a.x) * vx + (p.y - a.y) * vy) / len2, 0), 1) }
        let dx = p.x - (a.x + t * vx), dy = p.y - (a.y + t * vy)
        return (dx * dx + dy * dy).squareRoot()
    }
}
