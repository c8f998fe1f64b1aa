import Engine

/// The four kinds of question, each probing a different skill.
public enum QuestionType: Int, CaseIterable, Sendable {
    /// "what colour is the triangle ?", "what shape is the red one ?"
    case attribute
    /// "is there a green square ?"
    case existence
    /// "how many circles are there ?", "how many red shapes are there ?"
    case count
    /// "what shape is left of the red one ?", "what colour is the shape above the circle ?"
    case relation

    /// A readable name.
    public var name: String {
        switch self {
        case .attribute: "attribute"
        case .existence: "existence"
        case .count: "count"
        case .relation: "relation"
        }
    }
}

/// One question about a scene with its answer.
public struct SceneQuestion: Sendable, Equatable {
    /// What it asks about.
    public var type: QuestionType
    /// The question, words separated by spaces.
    public var text: String
    /// The answer, one word of `SceneQuestions.answers`.
    public var answer: String

    /// A question from its parts.
    public init(type: QuestionType, text: String, answer: String) {
        self.type = type
        self.text = text
        self.answer = answer
    }
}

/// Writes every question the grammar can ask about a scene, with its answer, and answers a
/// question's text independently (by reading it), which the tests use to check the two agree.
///
/// A question is only asked when its answer is unambiguous: "the triangle" needs exactly one
/// triangle, and a relation question needs exactly one shape on that side of the reference, with
/// every other shape clearly (more than `relationMargin` pixels) on one side or the other.
public enum SceneQuestions {
    /// Every possible answer, index = class id of a VQA classifier.
    public static let answers = ["no", "yes", "0", "1", "2", "3"] + ShapeColor.allCases.map(\.name) + ShapeKind.allCases.map(\.name)

    /// The class id of an answer word.
    public static func answerIndex(_ word: String) -> Int? { answers.firstIndex(of: word) }

    /// Pixels by which centres must differ for "left of" (and the others) to count.
    public static let relationMargin: Float = 2

    static func plural(_ k: ShapeKind) -> String { k.name + "s" }

    /// Every unambiguous question about `scene`, grouped by type in a fixed order.
    public static func all(_ scene: Scene) -> [SceneQuestion] {
        let o = scene.objects
        var out: [SceneQuestion] = []
        for k in ShapeKind.allCases {
            let m = o.filter { $0.kind == k }
            if m.count == 1 { out.append(SceneQuestion(type: .attribute, text: "what colour is the \(k.name) ?", answer: m[0].color.name)) }
        }
        for c in ShapeColor.allCases {
            let m = o.filter { $0.color == c }
            if m.count == 1 { out.append(SceneQuestion(type: .attribute, text: "what shape is the \(c.name) one ?", answer: m[0].kind.name)) }
        }
        for c in ShapeColor.allCases {
            for k in ShapeKind.allCases {
                let has = o.contains { $0.color == c && $0.kind == k }
                out.append(SceneQuestion(type: .existence, text: "is there a \(c.name) \(k.name) ?", answer: has ? "yes" : "no"))
            }
        }
        for k in ShapeKind.allCases {
            out.append(SceneQuestion(type: .count, text: "how many \(plural(k)) are there ?", answer: String(o.filter { $0.kind == k }.count)))
        }
        for c in ShapeColor.allCases {
            out.append(SceneQuestion(type: .count, text: "how many \(c.name) shapes are there ?", answer: String(o.filter { $0.color == c }.count)))
        }
        for r in SpatialRelation.allCases {
            for c in ShapeColor.allCases {
                let refs = o.filter { $0.color == c }
                guard refs.count == 1, let t = target(r, of: refs[0], in: o) else { continue }
                out.append(SceneQuestion(type: .relation, text: "what shape is \(r.phrase) the \(c.name) one ?", answer: t.kind.name))
            }
            for k in ShapeKind.allCases {
                let refs = o.filter { $0.kind == k }
                guard refs.count == 1, let t = target(r, of: refs[0], in: o) else { continue }
                out.append(SceneQuestion(type: .relation, text: "what colour is the shape \(r.phrase) the \(k.name) ?", answer: t.color.name))
            }
        }
        return out
    }

    /// The one object in relation `r` to `ref`, or nil when there is none, several, or one too close to call.
    static func target(_ r: SpatialRelation, of ref: SceneObject, in objects: [SceneObject]) -> SceneObject? {
        let others = objects.filter { $0 != ref }
        if others.contains(where: { r.isAmbiguous($0, ref, margin: relationMargin) }) { return nil }
        let hits = others.filter { r.holds($0, ref, margin: relationMargin) }
        return hits.count == 1 ? hits[0] : nil
    }

    /// A random question about `scene`: a type uniform over the types it has questions of, then a
    /// question of that type, with yes and no equally likely for existence questions (a scene has
    /// at most three of the twelve kind–colour pairs, so uniform pairs would answer "no" 80% of the time).
    public static func sample(_ scene: Scene, rng: inout RNG) -> SceneQuestion {
        let qs = all(scene)
        let types = QuestionType.allCases.filter { t in qs.contains { $0.type == t } }
        let t = types[rng.int(types.count)]
        var pool = qs.filter { $0.type == t }
        if t == .existence {
            let want = rng.int(2) == 1 ? "yes" : "no"
            pool = pool.filter { $0.answer == want }
        }
        return pool[rng.int(pool.count)]
    }

    /// Answers `text` by reading it: the path the tests compare with the questions `all` writes.
    /// Throws when the text is not a question of this grammar or asks about something ambiguous.
    public static func answer(_ text: String, scene: Scene) throws -> String {
        var p = WordReader(text: text)
        let o = scene.objects
        func unique(_ m: [SceneObject], _ what: String) throws -> SceneObject {
            guard m.count == 1 else { throw p.error("\(m.count) shapes are \(what); the question needs exactly one") }
            return m[0]
        }
        func kindWord(_ w: String?) throws -> ShapeKind {
            guard let k = ShapeKind.allCases.first(where: { $0.name == w || plural($0) == w }) else { throw p.error("expected a kind") }
            return k
        }
        func colorWord(_ w: String?) throws -> ShapeColor {
            guard let c = ShapeColor.allCases.first(where: { $0.name == w }) else { throw p.error("expected a colour") }
            return c
        }
        switch p.next() {
        case "is":
            try p.expect("there"); try p.expect("a")
            let c = try colorWord(p.next()), k = try kindWord(p.next())
            try p.expect("?")
            return o.contains { $0.color == c && $0.kind == k } ? "yes" : "no"
        case "how":
            try p.expect("many")
            let w = p.next()
            if let c = ShapeColor.allCases.first(where: { $0.name == w }) {
                try p.expect("shapes"); try p.expect("are"); try p.expect("there"); try p.expect("?")
                return String(o.filter { $0.color == c }.count)
            }
            let k = try kindWord(w)
            try p.expect("are"); try p.expect("there"); try p.expect("?")
            return String(o.filter { $0.kind == k }.count)
        case "what":
            let asked = p.next()
            guard asked == "colour" || asked == "shape" else { throw p.error("expected \"colour\" or \"shape\"") }
            try p.expect("is")
            if p.peek == "the" {
                try p.expect("the")
                if asked == "colour" {
                    if p.peek == "shape" {
                        // "what colour is the shape REL the KIND ?"
                        try p.expect("shape")
                        let r = try p.relation()
                        try p.expect("the")
                        let k = try kindWord(p.next())
                        try p.expect("?")
                        let ref = try unique(o.filter { $0.kind == k }, k.name)
                        guard let t = target(r, of: ref, in: o) else { throw p.error("no single shape is \(r.phrase) the \(k.name)") }
                        return t.color.name
                    }
                    let k = try kindWord(p.next())
                    try p.expect("?")
                    return try unique(o.filter { $0.kind == k }, k.name).color.name
                }
                let c = try colorWord(p.next())
                try p.expect("one"); try p.expect("?")
                return try unique(o.filter { $0.color == c }, c.name).kind.name
            }
            // "what shape is REL the COLOUR one ?"
            guard asked == "shape" else { throw p.error("expected \"the\"") }
            let r = try p.relation()
            try p.expect("the")
            let c = try colorWord(p.next())
            try p.expect("one"); try p.expect("?")
            let ref = try unique(o.filter { $0.color == c }, c.name)
            guard let t = target(r, of: ref, in: o) else { throw p.error("no single shape is \(r.phrase) the \(c.name) one") }
            return t.kind.name
        default:
            p.index -= 1
            throw p.error("a question starts with \"is\", \"how\" or \"what\"")
        }
    }
}
