import Ch04Scaling
import Datasets
import Engine
import Foundation
import Testing

/// Step 5's in-context task: the prompts say what the chapter claims they say.
@Suite struct NameTaskTests {
    /// For each k, every prompt is a full window whose text ends with an invented five-letter name
    /// that appears exactly k + 1 times in it, is not a corpus name, and whose letters 2–5 are the
    /// scored targets at the right positions. The same call gives the same prompts (they are seeded).
    @Test func promptsHoldTheNameExactlyKPlusOneTimes() {
        let data = ScalingData(trainDocuments: 20, validationDocuments: 40, context: 64)
        let task = NameTask(context: 64)
        #expect(task.maxShots == 3)
        let prompts = data.namePrompts(perShot: 10)
        #expect(prompts.count == 40)
        let corpusNames = Set(StoryVocabulary.standard.girlNames + StoryVocabulary.standard.boyNames)
        for p in prompts {
            #expect(p.input.count == 64)
            #expect(p.name.count == 5 && !corpusNames.contains(p.name))
            #expect(p.text.hasSuffix(p.name))
            #expect(p.text.components(separatedBy: p.name).count - 1 == p.shots + 1)
            let bytes = Array(p.text.utf8).map(Int.init)
            #expect(Array(bytes.dropLast()) == p.input)
            // Position j predicts byte j + 1 of the text: letters 2–5 of the final name.
            #expect(p.scored.map(\.position) == [60, 61, 62, 63])
            #expect(p.scored.map(\.byte) == Array(p.name.utf8.dropFirst()).map(Int.init))
        }
        #expect((0...3).allSatisfy { k in prompts.filter { $0.shots == k }.count == 10 })
        #expect(data.namePrompts(perShot: 10) == prompts)
    }

    /// A short context leaves room for fewer slots, but at least one.
    @Test func shortContextHasOneShot() {
        #expect(NameTask(context: 32).maxShots == 1)
        let data = ScalingData(trainDocuments: 20, validationDocuments: 40, context: 32)
        #expect(data.namePrompts(perShot: 3).allSatisfy { $0.input.count == 32 })
    }

    /// The rewrite keeps everything but the names: each corpus name becomes one invented name
    /// throughout (so mentions stay consistent), different characters get different names, no
    /// corpus name is left, and the text outside the names is unchanged.
    @Test func inventedNamesReplaceEveryMentionConsistently() {
        let story = "Once upon a time, there was a cat named Lily and a dog named Max. Lily was happy. Max gave Lily a cup. \"Hi,\" said Max."
        var rng = RNG(seed: 9)
        let out = withInventedNames(story, rng: &rng)
        #expect(!out.contains("Lily") && !out.contains("Max"))
        let words = out.split(whereSeparator: { !$0.isLetter }).map(String.init)
        let original = story.split(whereSeparator: { !$0.isLetter }).map(String.init)
        #expect(words.count == original.count)
        let lily = Set(zip(original, words).filter { $0.0 == "Lily" }.map(\.1))
        let max = Set(zip(original, words).filter { $0.0 == "Max" }.map(\.1))
        #expect(lily.count == 1 && max.count == 1 && lily != max)
        #expect(zip(original, words).allSatisfy { $0.0 == "Lily" || $0.0 == "Max" || $0.0 == $0.1 })
        // Punctuation and spacing are untouched: removing letters leaves the same skeleton.
        #expect(out.filter { !$0.isLetter } == story.filter { !$0.isLetter })
    }

    /// A drill is five sentences about one invented character, who is named in the first.
    @Test func drillNamesOneCharacter() {
        var rng = RNG(seed: 4)
        let drill = nameDrill(&rng)
        let sentences = drill.split(separator: ".").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        #expect(sentences.count == 5)
        let name = String(sentences[0].split(separator: " ")[0])
        #expect(name.count == 5 && name.first!.isUppercase)
        #expect(sentences.allSatisfy { $0.hasPrefix(name) || $0.hasPrefix("She") || $0.hasPrefix("He") })
    }
}
