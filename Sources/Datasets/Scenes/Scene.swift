import Engine

/// A kind–colour pair, the unit the held-out split is made of ("no yellow triangle in training").
public struct KindColor: Sendable, Equatable, Hashable {
    /// The shape kind.
    public var kind: ShapeKind
    /// The colour.
    public var color: ShapeColor

    /// A pair.
    public init(_ color: ShapeColor, _ kind: ShapeKind) {
        self.kind = kind
        self.color = color
    }

    /// "yellow triangle".
    public var name: String { "\(color.name) \(kind.name)" }
}

/// One to three non-overlapping shapes on a black square image.
public struct Scene: Sendable, Equatable {
    /// The image side in pixels.
    public var side: Int
    /// The shapes, in the order they were drawn (not a meaningful order).
    public var objects: [SceneObject]

    /// A scene from its parts.
    public init(side: Int = 32, objects: [SceneObject]) {
        self.side = side
        self.objects = objects
    }

    /// Whether any object has one of `pairs`' kind–colour combinations.
    public func contains(anyOf pairs: [KindColor]) -> Bool {
        objects.contains { o in pairs.contains(KindColor(o.color, o.kind)) }
    }

    /// The image: channel-first 3×side×side floats in [-1, 1]. Shapes never overlap (their
    /// bounding discs are a pixel apart), so each pixel is covered by at most one shape and the
    /// single-shape renderings of `ColorShapes` simply add up over the black background.
    public func render(supersampling: Int = 4) -> [Float] {
        var out = [Float](repeating: -1, count: 3 * side * side)
        for o in objects {
            let one = ColorShapes.render(o.shapeAttributes, side: side, supersampling: supersampling)
            for i in out.indices where one[i] != -1 { out[i] += one[i] + 1 }
        }
        return out
    }
}

/// How a `SceneSet` treats the held-out kind–colour combinations.
public enum HeldOutPolicy: Sendable {
    /// No object has a held-out combination (training and the ordinary test set).
    case exclude
    /// At least one object has a held-out combination (the compositional test set).
    case require
    /// Every combination may appear (for tools that must know all of them, such as a judge of
    /// generated images).
    case any
}

/// A seeded set of scenes with their images.
///
/// The number of objects is uniform over `objectCounts`; every object's kind, colour and size
/// class are uniform and independent; positions are drawn uniformly inside the frame and redrawn
/// until the shape's bounding disc is a pixel away from every earlier one. A whole scene is
/// redrawn when its policy on held-out combinations is not met, so the attributes within each
/// split stay uniform over the allowed combinations.
public struct SceneSet: Sendable {
    /// The kind–colour pairs no training scene contains. Chapter 08 reports its prompts with these
    /// combinations separately for the same reason.
    public static let heldOutCombinations = [KindColor(.yellow, .triangle), KindColor(.blue, .square)]

    /// The scenes.
    public let scenes: [Scene]
    /// Their images in [-1, 1], [count, 3, side, side]; labels are object counts.
    public let images: ImageSet

    /// `count` scenes of `side` pixels from `seed`.
    public init(count: Int, seed: UInt64, objectCounts: ClosedRange<Int> = 1...3, heldOut: HeldOutPolicy = .exclude,
                side: Int = 32) {
        precondition(count >= 0, "SceneSet: count must be ≥ 0, got \(count)")
        precondition(objectCounts.lowerBound >= 1 && objectCounts.upperBound <= 3, "SceneSet: 1 to 3 objects per scene, got \(objectCounts)")
        var rng = RNG(seed: seed)
        var scenes: [Scene] = []
        scenes.reserveCapacity(count)
        while scenes.count < count {
            let n = objectCounts.lowerBound + rng.int(objectCounts.count)
            guard let scene = Self.draw(objects: n, side: side, rng: &rng) else { continue }
            let has = scene.contains(anyOf: Self.heldOutCombinations)
            if (heldOut == .exclude && has) || (heldOut == .require && !has) { continue }
            scenes.append(scene)
        }
        var pixels: [Float] = []
        pixels.reserveCapacity(count * 3 * side * side)
        for s in scenes { pixels += s.render() }
        self.scenes = scenes
        self.images = ImageSet(channels: 3, height: side, width: side, pixels: pixels,
                               labels: scenes.map(\.objects.count), classNames: ["0", "1", "2", "3"])
    }

    /// Number of scenes.
    public var count: Int { scenes.count }

    /// The scenes at `indices` with their images, in that order.
    public func subset(_ indices: [Int]) -> SceneSet {
        SceneSet(scenes: indices.map { scenes[$0] }, images: images.subset(indices))
    }

    private init(scenes: [Scene], images: ImageSet) {
        self.scenes = scenes
        self.images = images
    }

    /// One scene of `n` objects, or nil when 50 tries could not place an object.
    static func draw(objects n: Int, side: Int, rng: inout RNG) -> Scene? {
        let scale = Float(side) / 32
        var objects: [SceneObject] = []
        for _ in 0..<n {
            let kind = ShapeKind(rawValue: rng.int(ShapeKind.allCases.count))!
            let color = ShapeColor(rawValue: rng.int(ShapeColor.allCases.count))!
            let size = SizeClass(rawValue: rng.int(SizeClass.allCases.count))!
            let radius = rng.uniform(size.radiusRange.lowerBound, size.radiusRange.upperBound) * scale
            var placed: SceneObject?
            for _ in 0..<50 {
                let reach = 1.21 * radius + 0.5
                let o = SceneObject(kind: kind, color: color, size: size, radius: radius,
                                    x: rng.uniform(reach, Float(side) - reach), y: rng.uniform(reach, Float(side) - reach))
                let clear = objects.allSatisfy { p in
                    let dx = p.x - o.x, dy = p.y - o.y
                    return (dx * dx + dy * dy).squareRoot() >= p.reach + o.reach + 1
                }
                if clear { placed = o; break }
            }
            guard let o = placed else { return nil }
            objects.append(o)
        }
        return Scene(side: side, objects: objects)
    }
}
