import Engine
import Testing
@testable import Datasets

/// The scene generator, its caption grammar and its questions: every text it writes must be true
/// of its scene, read back by an independent path.
@Suite struct SceneTests {
    let set = SceneSet(count: 400, seed: 21)

    /// Shapes lie inside the frame and a pixel apart; each scene has 1–3 of them; the same seed
    /// gives the same pixels.
    @Test func scenesAreWellFormedAndSeeded() {
        for s in set.scenes {
            #expect((1...3).contains(s.objects.count))
            for (i, a) in s.objects.enumerated() {
                #expect(a.x - a.reach >= 0 && a.x + a.reach <= 32 && a.y - a.reach >= 0 && a.y + a.reach <= 32)
                #expect(a.size.radiusRange.contains(a.radius))
                for b in s.objects[(i + 1)...] {
                    let d = ((a.x - b.x) * (a.x - b.x) + (a.y - b.y) * (a.y - b.y)).squareRoot()
                    #expect(d >= a.reach + b.reach + 1 - 1e-4)
                }
            }
        }
        #expect(SceneSet(count: 20, seed: 21).images.pixels == Array(set.images.pixels.prefix(20 * 3072)))
        #expect(Set(set.scenes.map(\.objects.count)) == [1, 2, 3])
    }

    /// A one-shape scene is drawn exactly as `ColorShapes` draws that shape, and a scene's image is
    /// its shapes' images added over the background (they never overlap).
    @Test func renderingReusesColorShapes() {
        for s in set.scenes.prefix(40) {
            let image = s.render()
            var sum = [Float](repeating: -1, count: 3072)
            for o in s.objects {
                let one = ColorShapes.render(o.shapeAttributes)
                for i in 0..<3072 { sum[i] += one[i] + 1 }
            }
            #expect(image == sum)
            if s.objects.count == 1 { #expect(image == ColorShapes.render(s.objects[0].shapeAttributes)) }
        }
    }

    /// Training scenes contain no held-out kind–colour pair; every held-out scene contains one.
    @Test func heldOutCombinationsAreSplitOff() {
        #expect(!set.scenes.contains { $0.contains(anyOf: SceneSet.heldOutCombinations) })
        let held = SceneSet(count: 100, seed: 3, heldOut: .require)
        #expect(held.scenes.allSatisfy { $0.contains(anyOf: SceneSet.heldOutCombinations) })
    }

    /// Every caption of every scene parses back into attributes that are true of that scene, and
    /// the canonical caption names every shape's size, colour and kind.
    @Test func everyCaptionParsesBackToItsScene() throws {
        for s in set.scenes {
            let captions = SceneCaptions.captions(s)
            #expect(captions.count >= 3)
            for c in captions {
                let p = try ParsedCaption(c)
                #expect(p.isTrue(of: s), "\(c)")
                _ = try SceneVocabulary.standard.encode(c, length: 24)
            }
            let canonical = try ParsedCaption(captions[0])
            #expect(canonical.objects.count == s.objects.count)
            #expect(canonical.objects.allSatisfy { $0.size != nil && $0.color != nil && $0.kind != nil })
        }
    }

    /// The truth check can fail: a caption with one colour changed, or with the relation turned
    /// round, is false of its scene.
    @Test func falseCaptionsAreRejected() throws {
        for s in set.scenes.prefix(100) {
            let c = SceneCaptions.canonical(s)
            let o = SceneCaptions.canonicalOrder(s)[0]
            let other = ShapeColor.allCases.first { col in !s.objects.contains { $0.color == col } }!
            let recoloured = c.replacingOccurrences(of: " \(o.color.name) \(o.kind.name)", with: " \(other.name) \(o.kind.name)")
            #expect(!(try ParsedCaption(recoloured)).isTrue(of: s), "\(recoloured)")
            // (Two shapes described alike, "a small red circle left of a small red circle", stay
            // true when turned round, so only distinguishable pairs are flipped.)
            let pair = SceneCaptions.canonicalOrder(s)
            if s.objects.count == 2, (pair[0].size, pair[0].color, pair[0].kind) != (pair[1].size, pair[1].color, pair[1].kind) {
                let flipped = c.replacingOccurrences(of: "left of", with: "right of").replacingOccurrences(of: "above", with: "below")
                #expect(!(try ParsedCaption(flipped)).isTrue(of: s))
            }
        }
        #expect(throws: SceneTextError.self) { try ParsedCaption("a red banana") }
        #expect(throws: SceneTextError.self) { try ParsedCaption("a red circle left a blue square") }
    }

    /// Every question the generator writes is answered the same way by reading its text, and
    /// every answer is in the answer vocabulary.
    @Test func everyQuestionsAnswerIsConsistentWithTheScene() throws {
        var types = Set<Int>()
        for s in set.scenes {
            for q in SceneQuestions.all(s) {
                #expect(try SceneQuestions.answer(q.text, scene: s) == q.answer, "\(q.text)")
                #expect(SceneQuestions.answerIndex(q.answer) != nil)
                _ = try SceneVocabulary.standard.encode(q.text, length: 12)
                types.insert(q.type.rawValue)
            }
        }
        #expect(types.count == QuestionType.allCases.count)
    }

    /// Hand-made scene: a red circle on the left, a blue square on the right (4 px lower), a green
    /// triangle at the top middle. The answers follow from the picture.
    @Test func handMadeSceneAnswers() throws {
        let s = Scene(objects: [
            SceneObject(kind: .circle, color: .red, size: .small, radius: 4, x: 6, y: 20),
            SceneObject(kind: .square, color: .blue, size: .large, radius: 6, x: 25, y: 24),
            SceneObject(kind: .triangle, color: .green, size: .small, radius: 4, x: 15, y: 6),
        ])
        #expect(try SceneQuestions.answer("what colour is the square ?", scene: s) == "blue")
        #expect(try SceneQuestions.answer("how many circles are there ?", scene: s) == "1")
        #expect(try SceneQuestions.answer("is there a green square ?", scene: s) == "no")
        #expect(try SceneQuestions.answer("what shape is above the red one ?", scene: s) == "triangle")
        #expect(try SceneQuestions.answer("what colour is the shape right of the triangle ?", scene: s) == "blue")
        // Two shapes lie left of the blue square: the question has no single answer and throws.
        #expect(throws: SceneTextError.self) { try SceneQuestions.answer("what shape is left of the blue one ?", scene: s) }
        #expect(SceneCaptions.canonical(s) == "three shapes from left to right : a small red circle , a small green triangle and a large blue square")
    }

    /// Unknown words and texts longer than the sequence are refused with the text named.
    @Test func vocabularyRefusesBadText() throws {
        let v = SceneVocabulary.standard
        let ids = try v.encode("a red circle", length: 8)
        #expect(ids.count == 8 && ids.first == SceneVocabulary.start && v.decode(ids) == "a red circle")
        #expect(throws: SceneTextError.self) { try v.encode("a purple circle", length: 8) }
        #expect(throws: SceneTextError.self) { try v.encode("a red circle", length: 4) }
        do { _ = try v.encode("a purple circle", length: 8) } catch { #expect("\(error)".contains("purple")) }
    }
}
