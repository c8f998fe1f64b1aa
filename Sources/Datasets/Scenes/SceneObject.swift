/// One shape in a scene: what it is, how big, and where. The geometry reuses `ColorShapes`, so a
/// scene's shapes are drawn exactly as chapter 06's single shapes are.
public struct SceneObject: Sendable, Equatable {
    /// Circle, square or triangle.
    public var kind: ShapeKind
    /// Fill colour.
    public var color: ShapeColor
    /// Small or large: the word a caption uses; `radius` is drawn inside the class's range.
    public var size: SizeClass
    /// The radius in pixels (a `ShapeAttributes.size`).
    public var radius: Float
    /// Centre, pixels from the left edge.
    public var x: Float
    /// Centre, pixels from the top edge.
    public var y: Float

    /// An object from its parts.
    public init(kind: ShapeKind, color: ShapeColor, size: SizeClass, radius: Float, x: Float, y: Float) {
        self.kind = kind
        self.color = color
        self.size = size
        self.radius = radius
        self.x = x
        self.y = y
    }

    /// The object as `ColorShapes` attributes (for drawing).
    public var shapeAttributes: ShapeAttributes {
        ShapeAttributes(kind: kind, color: color, size: radius, x: x, y: y)
    }

    /// The radius of a disc that contains the shape whatever its kind: a triangle's circumradius and
    /// a square's half-diagonal are both 1.2·radius (see `ColorShapes.contains`), plus a sliver.
    public var reach: Float { 1.21 * radius }

    /// The coarse position of the centre on a 3×3 grid of the image.
    public func position(side: Int) -> PositionBin {
        PositionBin(column: Self.third(x, side: side), row: Self.third(y, side: side))
    }

    static func third(_ v: Float, side: Int) -> Int {
        let s = Float(side)
        return v < s / 3 ? 0 : (v < 2 * s / 3 ? 1 : 2)
    }
}

/// The two size words. Radii of the two classes are drawn from ranges with a gap between them, so
/// "small" and "large" are never a matter of a fraction of a pixel.
public enum SizeClass: Int, CaseIterable, Sendable {
    case small, large

    /// The caption word.
    public var name: String { self == .small ? "small" : "large" }

    /// Radii drawn for this class, in pixels of a 32-pixel image.
    public var radiusRange: ClosedRange<Float> { self == .small ? 3.5...4.5 : 5.5...6.5 }
}

/// One cell of a 3×3 grid over the image: where a caption says a single shape is.
public struct PositionBin: Sendable, Equatable, Hashable {
    /// 0 left, 1 centre, 2 right.
    public var column: Int
    /// 0 top, 1 middle, 2 bottom.
    public var row: Int

    /// A cell from its column and row (each 0...2).
    public init(column: Int, row: Int) {
        precondition((0...2).contains(column) && (0...2).contains(row), "PositionBin: column and row must be 0...2")
        self.column = column
        self.row = row
    }

    /// All nine cells, row by row from the top left.
    public static let all: [PositionBin] = (0..<3).flatMap { r in (0..<3).map { PositionBin(column: $0, row: r) } }

    /// Index 0..<9 in `all`.
    public var index: Int { row * 3 + column }

    /// The caption phrase, e.g. "at the top left", "in the centre", "on the right".
    public var phrase: String {
        switch (row, column) {
        case (1, 1): return "in the centre"
        case (1, 0): return "on the left"
        case (1, 2): return "on the right"
        case (0, 1): return "at the top"
        case (2, 1): return "at the bottom"
        default: return "at the \(row == 0 ? "top" : "bottom") \(column == 0 ? "left" : "right")"
        }
    }
}

/// How one object sits relative to another, as captions and questions say it.
public enum SpatialRelation: Int, CaseIterable, Sendable {
    case leftOf, rightOf, above, below

    /// The phrase ("left of", "right of", "above", "below").
    public var phrase: String {
        switch self {
        case .leftOf: "left of"
        case .rightOf: "right of"
        case .above: "above"
        case .below: "below"
        }
    }

    /// The relation seen from the other object.
    public var inverse: SpatialRelation {
        switch self {
        case .leftOf: .rightOf
        case .rightOf: .leftOf
        case .above: .below
        case .below: .above
        }
    }

    /// Whether `a` is clearly in this relation to `b`: its centre lies more than `margin` pixels
    /// beyond `b`'s along the relation's axis (y grows downwards).
    public func holds(_ a: SceneObject, _ b: SceneObject, margin: Float) -> Bool {
        switch self {
        case .leftOf: a.x < b.x - margin
        case .rightOf: a.x > b.x + margin
        case .above: a.y < b.y - margin
        case .below: a.y > b.y + margin
        }
    }

    /// Whether `a` and `b` are too close along this relation's axis for either answer to be clear.
    public func isAmbiguous(_ a: SceneObject, _ b: SceneObject, margin: Float) -> Bool {
        switch self {
        case .leftOf, .rightOf: abs(a.x - b.x) <= margin
        case .above, .below: abs(a.y - b.y) <= margin
        }
    }

    /// The relation a caption uses for `a` against `b`: along the axis where their centres differ
    /// most (non-overlapping shapes always differ by several pixels along one axis).
    public static func dominant(_ a: SceneObject, _ b: SceneObject) -> SpatialRelation {
        let dx = a.x - b.x, dy = a.y - b.y
        if abs(dx) >= abs(dy) { return dx < 0 ? .leftOf : .rightOf }
        return dy < 0 ? .above : .below
    }
}
