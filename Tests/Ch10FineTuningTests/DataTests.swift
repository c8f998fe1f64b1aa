import Datasets
import Foundation
import Testing

/// An independent scorer for recipe texts: parses the text back into the grammar's choices and
/// adds their log-probabilities. If it agrees with the generator's own log-probability on every
/// document, the text determines the choices (the parse succeeded) and the entropy is exact.
func parseRecipeLogProb(_ text: String) -> Double? {
    let R = RecipeCorpus.self
    var logp = 0.0
    func uniform(_ n: Int) { if n > 1 { logp -= log(Double(n)) } }
    func weighted(_ w: [Int], _ i: Int) { logp += log(Double(w[i])) - log(Double(w.reduce(0, +))) }
    let zipf = (0..<R.ingredients.count).map { 27720 / ($0 + 10) }
    let sentences = text.components(separatedBy: ". ")
    // "Recipe: style main dish"
    let title = sentences[0].dropFirst("Recipe: ".count).split(separator: " ").map(String.init)
    guard title.count == 3, let main = R.ingredients.firstIndex(of: title[1]), R.styles.contains(title[0]),
          let dish = R.dishes.firstIndex(where: { $0.name == title[2] }) else { return nil }
    uniform(R.styles.count); weighted(zipf, main); uniform(R.dishes.count)
    // "You need: n unit of x, ... and n unit of y"
    let list = sentences[1].dropFirst("You need: ".count).replacingOccurrences(of: " and ", with: ", ").components(separatedBy: ", ")
    weighted([3, 4, 2], list.count - 2)
    var listed: [Int] = []
    for item in list {
        let w = item.split(separator: " ").map(String.init)
        guard w.count == 4, let n = Int(w[0]), let ing = R.ingredients.firstIndex(of: w[3]) else { return nil }
        if listed.isEmpty { guard ing == main else { return nil } } else { uniform(R.ingredients.count - listed.count) }
        listed.append(ing)
        weighted([4, 4, 3, 2, 1, 1], n - 1)
        uniform(R.units.count)
    }
    let steps = sentences.filter { $0.hasPrefix("Step ") }
    weighted([3, 4, 3, 2], steps.count - 2)
    for step in steps {
        let body = String(step.split(separator: ":", maxSplits: 1)[1].dropFirst())
        let words = body.split(separator: " ").map(String.init)
        if words[0] == "Mix" {
            weighted([5, 2, 2], 1); uniform(listed.count); uniform(listed.count - 1)
        } else if words[0] == "Cook" {
            weighted([5, 2, 2], 2); uniform(R.minutes.count)
        } else {
            guard R.verbs.contains(words[0]) else { return nil }
            weighted([5, 2, 2], 0); uniform(R.verbs.count); uniform(listed.count)
        }
    }
    guard let last = sentences.last, last.hasPrefix("It feeds "), let people = Int(last.split(separator: " ")[2]) else { return nil }
    guard text.contains("Serve it \(R.dishes[dish].serve).") else { return nil }
    weighted([2, 4, 1, 3, 1], people - 2)
    return logp
}

@Suite struct RecipeCorpusTests {
    @Test func logProbabilityIsThatOfTheText() {
        let corpus = RecipeCorpus(seed: 4)
        for i in 0..<300 {
            let r = corpus.recipe(i)
            let parsed = parseRecipeLogProb(r.text)
            #expect(parsed != nil, "could not parse: \(r.text)")
            if let parsed { #expect(abs(parsed - r.logProb) < 1e-9, "document \(i): parsed \(parsed), generated \(r.logProb)") }
        }
    }

    @Test func steadyAndSeeded() {
        #expect(RecipeCorpus(seed: 1).recipe(7).text == RecipeCorpus(seed: 1).recipe(7).text)
        #expect(RecipeCorpus(seed: 1).recipe(7).text != RecipeCorpus(seed: 2).recipe(7).text)
        let rate = RecipeCorpus(seed: 1).entropyRate(documents: 400)
        // Plenty of structure is certain (layout, step numbers, serving line), so well under the
        // 4.7 bits of a uniformly random lowercase letter, and above 0.
        #expect(rate.bitsPerCharacter > 0.1 && rate.bitsPerCharacter < 1.5, "\(rate.bitsPerCharacter)")
        #expect(rate.standardErrorPerCharacter < 0.02)
    }
}

@Suite struct ColourQuestionsTests {
    @Test func answerIsTheAskedOwnersColour() {
        let set = ColourQuestions(seed: 3)
        for item in set.items(0..<300) {
            #expect(item.prompt.utf8.count <= ColourQuestions.maxPromptBytes)
            #expect(Set(item.stated).count == item.stated.count)
            // Find the owner and object in the question, then the fact that names them.
            let q = item.prompt.components(separatedBy: "Q: What colour is ")[1]
            let owner = String(q.prefix { $0 != "'" })
            let object = String(q.dropFirst(owner.count + 3).prefix { $0 != "?" })
            let fact = item.prompt.components(separatedBy: ". ").first { $0.hasPrefix(owner + " has ") }!
            #expect(fact.hasSuffix(" \(item.answer) \(object)"), "\(fact) / \(item.answer)")
        }
    }
}
