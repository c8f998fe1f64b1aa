import Engine

/// The kind of shape drawn in a `ColorShapes` image (its class label).
public enum ShapeKind: Int, CaseIterable, Sendable {
    case circle, square, triangle

    /// A readable name, used as the class name.
    public var name: String {
        switch self {
        case .circle: "circle"
        case .square: "square"
        case .triangle: "triangle"
        }
    }
}

/// The fill colour of a `ColorShapes` image: a small palette of saturated colours, far enough apart
/// that a classifier (or a person) can name them from a single pixel.
public enum ShapeColor: Int, CaseIterable, Sendable {
    case red, green, blue, yellow

    /// A readable name.
    public var name: String {
        switch self {
        case .red: "red"
        case .green: "green"
        case .blue: "blue"
        case .yellow: "yellow"
        }
    }

    /// The colour's red, green and blue intensities in [0, 1].
    public var rgb: (Float, Float, Float) {
        switch self {
        case .red: (0.95, 0.15, 0.15)
        case .green: (0.15, 0.85, 0.25)
        case .blue: (0.2, 0.35, 1.0)
        case .yellow: (1.0, 0.85, 0.1)
        }
    }
}

/// Everything that decides one `ColorShapes` image: the labels a latent space can be probed with.
public struct ShapeAttributes: Sendable, Equatable {
    /// Circle, square or triangle.
    public var kind: ShapeKind
    /// The fill colour.
    public var color: ShapeColor
    /// The shape's size in pixels: the circle's radius; squares and triangles scale with it (see
    /// `ColorShapes.contains` for the exact geometry of each kind).
    public var size: Float
    /// Centre, in pixels from the left edge (pixel centres are at 0.5, 1.5, …).
    public var x: Float
    /// Centre, in pixels from the top edge.
    public var y: Float

    /// Creates the attributes of one image.
    public init(kind: ShapeKind, color: ShapeColor, size: Float, x: Float, y: Float) {
        self.kind = kind
        self.color = color
        self.size = size
        self.x = x
        self.y = y
    }
}

/// A procedural set of 32×32 RGB images: one filled shape on a black background, with its kind,
/// colour, size and position drawn from a seeded generator and kept as labels.
///
/// Edges are anti-aliased by supersampling: each pixel's value is the fraction of an s×s grid of
/// sample points inside the shape, so a shape moved by a fraction of a pixel changes the image
/// smoothly. That matters for latent spaces: with hard edges, interpolating positions would have to
/// jump between pixels. The set's labels (`images.labels`) are the shape kinds; colour and size
/// labels come from `colorLabels` and `sizeLabels`.
public struct ColorShapes: Sendable {
    /// The image side in pixels.
    public let side: Int
    /// The images in [-1, 1], channel-first [count, 3, side, side]; labels are `ShapeKind` raw values.
    public let images: ImageSet
    /// The attributes of every image, in the same order.
    public let attributes: [ShapeAttributes]

    /// The radius range sizes are drawn from (pixels, for a 32-pixel side; scaled with `side`).
    public static let sizeRange: ClosedRange<Float> = 5...11
    /// Radii above this count as "large" in `sizeLabels` (the middle of `sizeRange`).
    public static let largeThreshold: Float = 8

    /// Draws `count` images from `seed`. Every attribute is independent and uniform: kind and colour
    /// over their cases, size over `sizeRange`, centre anywhere that keeps a circle of radius `size`
    /// inside the image with a one-pixel margin. Circles and squares therefore always fit; a
    /// triangle's corners reach 1.2·size from its centre and are sometimes cut off by the frame.
    public init(count: Int, seed: UInt64, side: Int = 32, supersampling: Int = 4) {
        precondition(count >= 0, "ColorShapes: count must be ≥ 0, got \(count)")
        precondition(side >= 16, "ColorShapes: side must be ≥ 16 pixels, got \(side)")
        precondition(supersampling >= 1, "ColorShapes: supersampling must be ≥ 1, got \(supersampling)")
        var rng = RNG(seed: seed)
        let scale = Float(side) / 32
        var attributes: [ShapeAttributes] = []
        attributes.reserveCapacity(count)
        for _ in 0..<count {
            let kind = ShapeKind(rawValue: rng.int(ShapeKind.allCases.count))!
            let color = ShapeColor(rawValue: rng.int(ShapeColor.allCases.count))!
            let size = rng.uniform(Self.sizeRange.lowerBound, Self.sizeRange.upperBound) * scale
            let margin = size + 1
            let x = rng.uniform(margin, Float(side) - margin)
            let y = rng.uniform(margin, Float(side) - margin)
            attributes.append(ShapeAttributes(kind: kind, color: color, size: size, x: x, y: y))
        }
        var pixels = [Float]()
        pixels.reserveCapacity(count * 3 * side * side)
        for a in attributes { pixels += Self.render(a, side: side, supersampling: supersampling) }
        self.side = side
        self.attributes = attributes
        self.images = ImageSet(channels: 3, height: side, width: side, pixels: pixels,
                               labels: attributes.map(\.kind.rawValue),
                               classNames: ShapeKind.allCases.map(\.name))
    }

    /// Number of images.
    public var count: Int { attributes.count }

    /// The colour of every image as a class index (`ShapeColor` raw value).
    public var colorLabels: [Int] { attributes.map(\.color.rawValue) }
    /// 1 for a radius above `largeThreshold` (scaled with the side), else 0.
    public var sizeLabels: [Int] {
        let threshold = Self.largeThreshold * Float(side) / 32
        return attributes.map { $0.size > threshold ? 1 : 0 }
    }

    /// The same images labelled by colour instead of kind.
    public var byColor: ImageSet {
        ImageSet(channels: 3, height: side, width: side, pixels: images.pixels, labels: colorLabels,
                 classNames: ShapeColor.allCases.map(\.name))
    }

    /// Whether the point (px, py) lies inside the shape. Circle: distance to the centre below the
    /// radius. Square: axis-aligned, half-side 0.85·radius (about the circle's area). Triangle:
    /// equilateral, pointing up, circumradius 1.2·radius, centred on its centroid.
    public static func contains(_ a: ShapeAttributes, _ px: Float, _ py: Float) -> Bool {
        let dx = px - a.x, dy = py - a.y
        switch a.kind {
        case .circle:
            return dx * dx + dy * dy <= a.size * a.size
        case .square:
            let h = 0.85 * a.size
            return abs(dx) <= h && abs(dy) <= h
        case .triangle:
            // Three half-planes whose inward normals point to the centroid; the inradius is half
            // the circumradius for an equilateral triangle.
            let inradius = 0.6 * a.size
            let s3: Float = 0.866_025_4  // √3/2
            return dy <= inradius                             // bottom edge (y grows downwards)
                && (-s3 * dx - 0.5 * dy) <= inradius          // upper-left edge
                && (s3 * dx - 0.5 * dy) <= inradius           // upper-right edge
        }
    }

    /// The exact area of the shape in square pixels (what its coverage sums to, up to sampling error).
    public static func area(_ a: ShapeAttributes) -> Float {
        switch a.kind {
        case .circle: return Float.pi * a.size * a.size
        case .square: let s = 1.7 * a.size; return s * s
        case .triangle:
            // Side = √3·circumradius; area = (√3/4)·side².
            let r = 1.2 * a.size, side = 3.0.squareRoot() * Double(r)
            return Float(3.0.squareRoot() / 4 * side * side)
        }
    }

    /// The length of the shape's outline in pixels.
    public static func perimeter(_ a: ShapeAttributes) -> Float {
        switch a.kind {
        case .circle: return 2 * Float.pi * a.size
        case .square: return 4 * 1.7 * a.size
        case .triangle: return 3 * Float(3.0.squareRoot()) * 1.2 * a.size
        }
    }

    /// Renders one image: channel-first 3×side×side floats in [-1, 1], black background, each pixel
    /// mixing background and colour by the fraction of its supersamples inside the shape.
    public static func render(_ a: ShapeAttributes, side: Int = 32, supersampling s: Int = 4) -> [Float] {
        let plane = side * side
        var out = [Float](repeating: -1, count: 3 * plane)
        let (r, g, b) = a.color.rgb
        let inv = 1 / Float(s * s)
        // Only pixels in the shape's bounding box can be covered.
        let reach = 1.3 * a.size + 1
        let x0 = max(0, Int((a.x - reach).rounded(.down))), x1 = min(side - 1, Int((a.x + reach).rounded(.up)))
        let y0 = max(0, Int((a.y - reach).rounded(.down))), y1 = min(side - 1, Int((a.y + reach).rounded(.up)))
        guard x0 <= x1, y0 <= y1 else { return out }
        for py in y0...y1 {
            for px in x0...x1 {
                var inside = 0
                for sy in 0..<s {
                    let fy = Float(py) + (Float(sy) + 0.5) / Float(s)
                    for sx in 0..<s where contains(a, Float(px) + (Float(sx) + 0.5) / Float(s), fy) { inside += 1 }
                }
                guard inside > 0 else { continue }
                let c = Float(inside) * inv
                let i = py * side + px
                out[i] = 2 * c * r - 1
                out[plane + i] = 2 * c * g - 1
                out[2 * plane + i] = 2 * c * b - 1
            }
        }
        return out
    }
}
