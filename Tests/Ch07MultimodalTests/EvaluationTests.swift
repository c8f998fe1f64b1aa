import Datasets
import Engine
import Foundation
import Testing
@testable import Ch07Multimodal

/// The chapter's scoring functions on hand-made inputs whose scores are known.
@Suite struct EvaluationTests {
    /// Identical image and text embeddings give perfect retrieval; the chance rate counts
    /// duplicate captions: with captions [x, x, y, z] a random top-1 is right with probability
    /// (2/4 + 2/4 + 1/4 + 1/4)/4 = 0.375.
    @Test func retrievalOnHandMadeEmbeddings() {
        let e = Tensor(shape: [4, 4], values: (0..<16).map { $0 / 4 == $0 % 4 ? 1 : 0 })
        let r = retrievalScores(imageEmbeddings: e, captions: ["x", "x", "y", "z"], textEmbeddings: e)
        #expect(r.imageToText.at1 == 1 && r.textToImage.at1 == 1 && r.imageToText.at5 == 1)
        #expect(abs(r.chance.at1 - 0.375) < 1e-12)
        // Texts shifted by one: image i is most similar to text i+1, whose caption differs except
        // for image 0 (text 1 is also "x").
        let shifted = Tensor(shape: [4, 4], values: (0..<16).map { ($0 / 4 + 1) % 4 == $0 % 4 ? 1 : 0 })
        let s = retrievalScores(imageEmbeddings: e, captions: ["x", "x", "y", "z"], textEmbeddings: shifted)
        #expect(s.imageToText.at1 == 0.25)
    }

    /// A scene's own canonical caption scores perfectly; changing one colour word costs exactly
    /// that shape's colour; a caption that does not parse scores nothing.
    @Test func captionScoresCountAttributes() {
        let scenes = SceneSet(count: 60, seed: 4).scenes
        let perfect = scoreCaptions(scenes.map(SceneCaptions.canonical), scenes: scenes)
        #expect(perfect.color == 1 && perfect.kind == 1 && perfect.size == 1 && perfect.exact == 1 && perfect.parsed == 1)
        let s = Scene(objects: [SceneObject(kind: .circle, color: .red, size: .small, radius: 4, x: 8, y: 8),
                                SceneObject(kind: .square, color: .blue, size: .large, radius: 6, x: 24, y: 10)])
        #expect(SceneCaptions.canonical(s) == "a small red circle left of a large blue square")
        let wrong = scoreCaptions(["a small green circle left of a large blue square"], scenes: [s])
        #expect(wrong.color == 0.5 && wrong.kind == 1 && wrong.size == 1 && wrong.exact == 0)
        let broken = scoreCaptions(["a small red"], scenes: [s])
        #expect(broken.parsed == 0 && broken.color == 0)
    }

    /// Per-type accuracy counts each type separately.
    @Test func vqaAccuracyByType() {
        let q = { (t: QuestionType, a: String) in VQAItem(scene: 0, question: SceneQuestion(type: t, text: "", answer: a)) }
        let items = [q(.attribute, "red"), q(.attribute, "blue"), q(.count, "2"), q(.relation, "circle")]
        let idx = { (w: String) in SceneQuestions.answerIndex(w)! }
        let acc = accuracyByType([idx("red"), idx("red"), idx("2"), idx("square")], items: items)
        #expect(acc.perType == [0.5, 0, 1, 0])
        #expect(acc.overall == 0.5)
    }

    /// The question-only baseline answers each question text with its most common training answer:
    /// count questions about three-object-free data come out as the counted majority.
    @Test func questionOnlyBaselineLearnsThePrior() {
        let train = SceneSet(count: 300, seed: 9, objectCounts: 1...1)
        let b = QuestionOnlyBaseline(train: train, samples: 4000, seed: 1)
        // With one shape per scene, "how many red shapes are there ?" is 0 three times in four.
        #expect(SceneQuestions.answers[b.predict("how many red shapes are there ?")] == "0")
        // A text never seen falls back to the overall majority, which is a valid answer.
        #expect(b.predict("never asked") < SceneQuestions.answers.count)
    }
}

/// Zero-shot prediction picks the most similar class embedding.
@Suite struct ZeroShotTests {
    @Test func predictionsPickTheMostSimilarClass() {
        let classes = Tensor(shape: [3, 2], values: [1, 0, 0, 1, -1, 0])
        let images = Tensor(shape: [3, 2], values: [0.9, 0.1, 0.2, 0.8, -0.7, 0.6])
        #expect(zeroShotPredictions(images: images, classEmbeddings: classes) == [0, 1, 2])
    }

    /// Templates expand into every text they describe: "a {c} {k}" for red gives three texts.
    @Test func templatesExpand() {
        #expect(ZeroShotPrompts.texts("a {c} {k}", color: .red, kind: nil) == ["a red circle", "a red square", "a red triangle"])
        #expect(ZeroShotPrompts.texts("a small {k}", color: nil, kind: .square) == ["a small square"])
    }
}
