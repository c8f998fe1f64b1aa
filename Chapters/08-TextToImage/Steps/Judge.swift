import Ch06Latent
import Datasets
import Engine
import Models

/// What the judge reads off one single-shape image.
public struct JudgedShape: Sendable, Equatable {
    /// Kind, from the classifier.
    public var kind: ShapeKind
    /// Colour, from the classifier.
    public var color: ShapeColor
    /// Small or large, measured from the lit pixels; nil when nothing is lit.
    public var size: SizeClass?
    /// Cell of the 3×3 grid holding the lit pixels' centroid; nil when nothing is lit.
    public var position: PositionBin?
}

/// Scores generated single-shape images against their prompt.
///
/// Kind and colour come from chapter 06's classifier (`ShapeJudge`, 12 joint classes), trained
/// here on real single-shape scenes of every kind–colour pair, held-out pairs included: the judge
/// is a measuring instrument, not the model under test, so it must know what a yellow triangle
/// looks like. Size and position are measured, not learned: the lit pixels (any channel above
/// −0.5 on the black −1 background) give an area and a centroid; the area, divided by the kind's
/// area per squared radius, gives the radius, and radius 5 separates small (3.5–4.5) from large
/// (5.5–6.5). The chapter reports the judge's accuracy on real held-out scenes as the ceiling.
public struct SceneJudge {
    /// The kind-and-colour classifier.
    public let shapes: ShapeJudge

    /// Trains (or restores) the classifier on `scenes`, which must hold one shape each.
    public init(scenes: SceneSet, steps: Int, seed: UInt64, dataKey: String, cache: TrainingCache) {
        precondition(scenes.scenes.allSatisfy { $0.objects.count == 1 }, "SceneJudge: training scenes must hold one shape each")
        shapes = ShapeJudge(images: scenes.images, attributes: scenes.scenes.map { $0.objects[0].shapeAttributes },
                            steps: steps, seed: seed, dataKey: dataKey, cache: cache)
    }

    /// The radius separating the two size classes (between 4.5 and 5.5).
    public static let sizeThreshold: Float = 5

    /// Area per squared radius of each kind, as `ColorShapes` draws them.
    static func areaFactor(_ kind: ShapeKind) -> Float {
        ColorShapes.area(ShapeAttributes(kind: kind, color: .red, size: 1, x: 0, y: 0))
    }

    /// Lit-pixel area and centroid of image `i` of [N, 3, side, side] in [-1, 1].
    static func litPixels(_ x: Tensor, _ i: Int) -> (area: Float, cx: Float, cy: Float) {
        let side = x.shape[3], plane = side * side, base = i * 3 * plane
        var area: Float = 0, sx: Float = 0, sy: Float = 0
        for p in 0..<plane {
            let lit = max(x.data[base + p], x.data[base + plane + p], x.data[base + 2 * plane + p]) > -0.5
            if lit { area += 1; sx += Float(p % side) + 0.5; sy += Float(p / side) + 0.5 }
        }
        return area == 0 ? (0, 0, 0) : (area, sx / area, sy / area)
    }

    /// The shape in each image of [N, 3, side, side].
    public func judge(_ x: Tensor) -> [JudgedShape] {
        let classes = shapes.evaluate(x).classes
        return classes.enumerated().map { i, c in
            let kind = ShapeKind(rawValue: c / ShapeColor.allCases.count)!
            let color = ShapeColor(rawValue: c % ShapeColor.allCases.count)!
            let m = Self.measure(x, i, kind: kind)
            return JudgedShape(kind: kind, color: color, size: m.size, position: m.position)
        }
    }

    /// Size class and grid cell of the single shape in image `i` of [N, 3, side, side], taking its
    /// kind as given (the area per squared radius depends on it); nils when nothing is lit.
    public static func measure(_ x: Tensor, _ i: Int, kind: ShapeKind) -> (size: SizeClass?, position: PositionBin?) {
        let side = x.shape[3], lit = litPixels(x, i)
        guard lit.area > 0 else { return (nil, nil) }
        let radius = (lit.area / areaFactor(kind)).squareRoot() * 32 / Float(side)
        func third(_ v: Float) -> Int { let s = Float(side); return v < s / 3 ? 0 : (v < 2 * s / 3 ? 1 : 2) }
        return (radius > sizeThreshold ? .large : .small, PositionBin(column: third(lit.cx), row: third(lit.cy)))
    }
}

/// What a prompt asks of a single shape; nil where the prompt leaves it free.
public struct PromptSpec: Sendable, Equatable {
    /// The caption.
    public var text: String
    /// Asked kind.
    public var kind: ShapeKind?
    /// Asked colour.
    public var color: ShapeColor?
    /// Asked size.
    public var size: SizeClass?
    /// Asked place.
    public var position: PositionBin?

    /// A prompt for the given attributes, worded as the training captions word them
    /// ("a small red circle at the top left").
    public init(kind: ShapeKind?, color: ShapeColor?, size: SizeClass? = nil, position: PositionBin? = nil) {
        var words = ["a"]
        if let size { words.append(size.name) }
        if let color { words.append(color.name) }
        words.append(kind?.name ?? "shape")
        if let position { words.append(position.phrase) }
        text = words.joined(separator: " ")
        self.kind = kind; self.color = color; self.size = size; self.position = position
    }

    /// Whether the prompt names a kind–colour pair no training scene had.
    public var isHeldOut: Bool {
        guard let kind, let color else { return false }
        return SceneSet.heldOutCombinations.contains(KindColor(color, kind))
    }
}

/// Shares of judged images whose attributes match what their prompts asked (each over the
/// prompts that ask for that attribute; nil when none does).
public struct Adherence: Sendable {
    public var kind: Double?
    public var color: Double?
    public var kindAndColor: Double?
    public var size: Double?
    public var position: Double?

    /// Scores `judged[i]` against `specs[i]`.
    public init(judged: [JudgedShape], specs: [PromptSpec]) {
        precondition(judged.count == specs.count, "Adherence: \(judged.count) images, \(specs.count) prompts")
        func share(_ asks: (PromptSpec) -> Bool, _ ok: (JudgedShape, PromptSpec) -> Bool) -> Double? {
            let pairs = zip(judged, specs).filter { asks($0.1) }
            return pairs.isEmpty ? nil : Double(pairs.filter { ok($0.0, $0.1) }.count) / Double(pairs.count)
        }
        kind = share({ $0.kind != nil }) { $0.kind == $1.kind }
        color = share({ $0.color != nil }) { $0.color == $1.color }
        kindAndColor = share({ $0.kind != nil && $0.color != nil }) { $0.kind == $1.kind && $0.color == $1.color }
        size = share({ $0.size != nil }) { $0.size == $1.size }
        position = share({ $0.position != nil }) { $0.position == $1.position }
    }
}
