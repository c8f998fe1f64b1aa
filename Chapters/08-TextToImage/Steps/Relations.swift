import Datasets
import Engine

/// Where each colour sits in an image: for two-shape prompts such as "a red circle left of a
/// blue square", whose shapes differ in colour, the colours' centroids say whether the relation
/// came out. Every lit pixel (some channel above −0.5) is given to the nearest of the four
/// palette colours; a colour counts as present when it has at least `minimumPixels` pixels (a
/// small shape of radius 3.5 covers about 38).
public struct ColorLayout: Sendable {
    /// Pixels of each colour (indexed by `ShapeColor` raw value).
    public let pixels: [Int]
    /// Centroid (x, y) of each colour's pixels, in pixels from the top left; nil when absent.
    public let centroids: [(x: Float, y: Float)?]
    /// Fewest pixels for a colour to count as present.
    public static let minimumPixels = 12

    /// The layout of image `i` of [N, 3, side, side] in [-1, 1].
    public init(_ x: Tensor, _ i: Int) {
        let side = x.shape[3], plane = side * side, base = i * 3 * plane
        let palette = ShapeColor.allCases.map { c -> [Float] in let (r, g, b) = c.rgb; return [2 * r - 1, 2 * g - 1, 2 * b - 1] }
        var count = [Int](repeating: 0, count: palette.count)
        var sx = [Float](repeating: 0, count: palette.count), sy = sx
        for p in 0..<plane {
            let v = [x.data[base + p], x.data[base + plane + p], x.data[base + 2 * plane + p]]
            guard v.max()! > -0.5 else { continue }
            let c = palette.indices.min { a, b in distance(v, palette[a]) < distance(v, palette[b]) }!
            count[c] += 1
            sx[c] += Float(p % side) + 0.5
            sy[c] += Float(p / side) + 0.5
        }
        pixels = count
        centroids = count.indices.map { c in count[c] >= Self.minimumPixels ? (sx[c] / Float(count[c]), sy[c] / Float(count[c])) : nil }
    }

    /// Whether the `a`-coloured shape stands in `relation` to the `b`-coloured one (centroids more
    /// than `margin` pixels apart along the relation's axis); false when either colour is absent.
    public func holds(_ relation: SpatialRelation, _ a: ShapeColor, _ b: ShapeColor, margin: Float = 2) -> Bool {
        guard let p = centroids[a.rawValue], let q = centroids[b.rawValue] else { return false }
        switch relation {
        case .leftOf: return p.x < q.x - margin
        case .rightOf: return p.x > q.x + margin
        case .above: return p.y < q.y - margin
        case .below: return p.y > q.y + margin
        }
    }

    /// Whether both colours are present.
    public func has(_ a: ShapeColor, _ b: ShapeColor) -> Bool { centroids[a.rawValue] != nil && centroids[b.rawValue] != nil }
}

func distance(_ a: [Float], _ b: [Float]) -> Float { zip(a, b).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) } }

/// A two-shape prompt with a relation, worded as the training captions word them.
public struct RelationPrompt: Sendable, Equatable {
    public var first: KindColor
    public var relation: SpatialRelation
    public var second: KindColor

    /// "a red circle left of a blue square".
    public var text: String { "a \(first.color.name) \(first.kind.name) \(relation.phrase) a \(second.color.name) \(second.kind.name)" }

    public init(_ first: KindColor, _ relation: SpatialRelation, _ second: KindColor) {
        precondition(first.color != second.color, "RelationPrompt: the two shapes need different colours to be told apart")
        self.first = first; self.relation = relation; self.second = second
    }
}

/// Shares of images for relation prompts that show both colours, and that also place them as asked.
public func relationScores(_ x: Tensor, prompts: [RelationPrompt]) -> (bothPresent: Double, relationHolds: Double) {
    precondition(x.shape[0] == prompts.count, "relationScores: \(x.shape[0]) images, \(prompts.count) prompts")
    var both = 0, holds = 0
    for (i, p) in prompts.enumerated() {
        let layout = ColorLayout(x, i)
        if layout.has(p.first.color, p.second.color) { both += 1 }
        if layout.holds(p.relation, p.first.color, p.second.color) { holds += 1 }
    }
    return (Double(both) / Double(prompts.count), Double(holds) / Double(prompts.count))
}
