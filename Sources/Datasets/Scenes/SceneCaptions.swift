/// The caption grammar: every scene gets several true descriptions of different detail.
///
///     caption := phrase [position]                               one shape
///              | phrase relation phrase                          two shapes
///              | "two shapes :" phrase "and" phrase
///              | "three shapes" ["from left to right"] ":" phrase "," phrase "and" phrase
///     phrase  := "a" [size] [colour] (kind | "shape")
///
/// The first caption of each scene is its *canonical* caption: the most detailed one, written
/// the same way every time (two shapes: the left or upper one first, so the relation is always
/// "left of" or "above"; three shapes: left to right). Captioning trains on it; the contrastive
/// model trains on all of them.
public enum SceneCaptions {
    /// "large red triangle" (size, colour, kind as chosen).
    static func phrase(_ o: SceneObject, size: Bool = true, color: Bool = true, kind: Bool = true) -> String {
        var w = ["a"]
        if size { w.append(o.size.name) }
        if color { w.append(o.color.name) }
        w.append(kind ? o.kind.name : "shape")
        return w.joined(separator: " ")
    }

    /// The objects in the order the canonical caption names them.
    public static func canonicalOrder(_ scene: Scene) -> [SceneObject] {
        let o = scene.objects
        switch o.count {
        case 2:
            let r = SpatialRelation.dominant(o[0], o[1])
            return r == .leftOf || r == .above ? o : [o[1], o[0]]
        case 3:
            return o.sorted { $0.x < $1.x }
        default:
            return o
        }
    }

    /// Every caption of `scene`, the canonical one first.
    public static func captions(_ scene: Scene) -> [String] {
        let o = canonicalOrder(scene)
        switch o.count {
        case 1:
            let a = o[0], pos = a.position(side: scene.side).phrase
            return [phrase(a) + " " + pos, phrase(a), phrase(a, size: false) + " " + pos, phrase(a, size: false),
                    phrase(a, size: false, kind: false), phrase(a, color: false), phrase(a, size: false, color: false) + " " + pos]
        case 2:
            let (a, b) = (o[0], o[1])
            let r = SpatialRelation.dominant(a, b)
            return ["\(phrase(a)) \(r.phrase) \(phrase(b))",
                    "\(phrase(b)) \(r.inverse.phrase) \(phrase(a))",
                    "two shapes : \(phrase(a)) and \(phrase(b))",
                    "\(phrase(a, size: false)) \(r.phrase) \(phrase(b, size: false))"]
        case 3:
            let drawn = scene.objects
            return ["three shapes from left to right : \(phrase(o[0])) , \(phrase(o[1])) and \(phrase(o[2]))",
                    "three shapes : \(phrase(drawn[0])) , \(phrase(drawn[1])) and \(phrase(drawn[2]))",
                    "three shapes from left to right : \(phrase(o[0], size: false)) , \(phrase(o[1], size: false)) and \(phrase(o[2], size: false))"]
        default:
            return []
        }
    }

    /// The canonical caption.
    public static func canonical(_ scene: Scene) -> String { captions(scene)[0] }
}

/// What one noun phrase of a caption says about a shape; nil where the phrase is silent.
public struct ShapeDescription: Sendable, Equatable {
    /// The size word, if any.
    public var size: SizeClass?
    /// The colour word, if any.
    public var color: ShapeColor?
    /// The kind, or nil for "shape".
    public var kind: ShapeKind?

    /// A description from its parts.
    public init(size: SizeClass?, color: ShapeColor?, kind: ShapeKind?) {
        self.size = size
        self.color = color
        self.kind = kind
    }

    /// Whether `o` fits everything the phrase says.
    public func describes(_ o: SceneObject) -> Bool {
        (size == nil || size == o.size) && (color == nil || color == o.color) && (kind == nil || kind == o.kind)
    }
}

/// A caption read back into what it claims about a scene.
public struct ParsedCaption: Sendable, Equatable {
    /// The shapes it names, in the order it names them.
    public var objects: [ShapeDescription]
    /// For "A rel B": the relation of the first shape to the second.
    public var relation: SpatialRelation?
    /// For one shape: where it is, if said.
    public var position: PositionBin?
    /// For three shapes: whether they are listed from left to right.
    public var leftToRight: Bool

    /// Reads `text` with the grammar of `SceneCaptions`; throws naming the caption and the first
    /// word that does not fit.
    public init(_ text: String) throws {
        var p = WordReader(text: text)
        objects = []
        relation = nil
        position = nil
        leftToRight = false
        if p.peek == "two" || p.peek == "three" {
            let n = p.next() == "two" ? 2 : 3
            try p.expect("shapes")
            if n == 3 && p.peek == "from" {
                for w in ["from", "left", "to", "right"] { try p.expect(w) }
                leftToRight = true
            }
            try p.expect(":")
            objects.append(try p.phrase())
            if n == 3 { try p.expect(","); objects.append(try p.phrase()) }
            try p.expect("and")
            objects.append(try p.phrase())
        } else {
            objects.append(try p.phrase())
            if let w = p.peek, ["left", "right", "above", "below"].contains(w) {
                relation = try p.relation()
                objects.append(try p.phrase())
            } else if p.peek != nil {
                position = try p.position()
            }
        }
        guard p.peek == nil else { throw p.error("unexpected \"\(p.peek!)\" after a complete caption") }
    }

    /// Whether everything the caption claims is true of `scene`: one named shape per object, each
    /// phrase fitting a different object, and the relation, position and order holding.
    public func isTrue(of scene: Scene) -> Bool {
        guard objects.count == scene.objects.count else { return false }
        return permutations(scene.objects.count).contains { perm in
            let o = perm.map { scene.objects[$0] }
            guard zip(objects, o).allSatisfy({ $0.describes($1) }) else { return false }
            if let r = relation, SpatialRelation.dominant(o[0], o[1]) != r { return false }
            if let pos = position, o[0].position(side: scene.side) != pos { return false }
            if leftToRight && !(o[0].x < o[1].x && o[1].x < o[2].x) { return false }
            return true
        }
    }
}

/// All orderings of 0..<n (n ≤ 3 for scenes, so at most six).
public func permutations(_ n: Int) -> [[Int]] {
    if n <= 1 { return [Array(0..<n)] }
    var out: [[Int]] = []
    for p in permutations(n - 1) {
        for i in 0...p.count { var q = p; q.insert(n - 1, at: i); out.append(q) }
    }
    return out
}

/// A cursor over the words of a caption or question.
struct WordReader {
    let text: String
    let words: [String]
    var index = 0

    init(text: String) {
        self.text = text
        words = text.split(separator: " ").map(String.init)
    }

    var peek: String? { index < words.count ? words[index] : nil }

    mutating func next() -> String? {
        defer { index += 1 }
        return peek
    }

    func error(_ what: String) -> SceneTextError {
        SceneTextError("\"\(text)\": word \(index + 1): \(what)")
    }

    mutating func expect(_ w: String) throws {
        guard peek == w else { throw error("expected \"\(w)\", found \"\(peek ?? "end of text")\"") }
        index += 1
    }

    /// "a [size] [colour] (kind | shape)".
    mutating func phrase() throws -> ShapeDescription {
        try expect("a")
        var d = ShapeDescription(size: nil, color: nil, kind: nil)
        if let s = SizeClass.allCases.first(where: { $0.name == peek }) { d.size = s; index += 1 }
        if let c = ShapeColor.allCases.first(where: { $0.name == peek }) { d.color = c; index += 1 }
        if peek == "shape" { index += 1; return d }
        guard let k = ShapeKind.allCases.first(where: { $0.name == peek }) else {
            throw error("expected a kind or \"shape\", found \"\(peek ?? "end of text")\"")
        }
        d.kind = k
        index += 1
        return d
    }

    /// "left of" | "right of" | "above" | "below".
    mutating func relation() throws -> SpatialRelation {
        switch next() {
        case "above": return .above
        case "below": return .below
        case "left": try expect("of"); return .leftOf
        case "right": try expect("of"); return .rightOf
        default: index -= 1; throw error("expected a relation")
        }
    }

    /// "at the top left", "in the centre", "on the right", ...
    mutating func position() throws -> PositionBin {
        let start = index
        var phrase: [String] = []
        while let w = peek, phrase.count < 4 { phrase.append(w); index += 1 }
        let said = phrase.joined(separator: " ")
        // The longest phrase is four words; match the one the words begin with.
        for bin in PositionBin.all.sorted(by: { $0.phrase.count > $1.phrase.count }) where said.hasPrefix(bin.phrase) {
            index = start + bin.phrase.split(separator: " ").count
            return bin
        }
        index = start
        throw error("expected a position such as \"at the top left\"")
    }
}
