import Foundation
import Testing
import Engine
import Datasets
import Models
@testable import Ch03Data

@Test func extractionWindowsStartAfterAWholePrompt() {
    let p = ExtractionProbe(prefix: 4, suffixes: [3, 2], stride: 2)
    #expect(p.suffixes == [2, 3])
    // The longest suffix (3) must fit: starts 4 and 6 in 10 tokens (6 + 3 ≤ 10, 8 + 3 > 10).
    #expect(p.windowStarts(length: 10) == [4, 6])
    #expect(p.windowStarts(length: 7) == [4])
    #expect(p.windowStarts(length: 6) == [])
    // The chapter's probe fits its context: prompt + longest suffix − 1 ≤ 64.
    let s = ExtractionProbe.standard(context: 64)
    #expect(s.prefix == 32 && s.suffixes == [8, 16, 32] && s.prefix + 32 - 1 <= 64)
}

@Test func extractionCountsExactSuffixesOnly() {
    let p = ExtractionProbe(prefix: 4, suffixes: [2, 3], stride: 2)
    let doc = Array(0..<10)  // windows at 4 and 6
    // A rule that continues counting from the prompt's last token reproduces this document
    // exactly, but only if it is given exactly the four tokens before each window.
    let counting: ([Int], Int) -> [Int] = { prompt, n in
        #expect(prompt.count == 4)
        return (1...n).map { prompt.last! + $0 }
    }
    let all = p.count([doc], continuation: counting)
    #expect(all.hits == [2, 2] && all.windows == 2)
    // Wrong in the third token only: the 2-token suffixes still count, the 3-token ones never.
    let third = p.count([doc]) { prompt, n in
        var out = counting(prompt, n)
        out[2] += 100
        return out
    }
    #expect(third.hits == [2, 0] && third.windows == 2)
    // Wrong only in the window at 6 (prompt ends with 5): one of two windows for both lengths.
    let one = p.count([doc]) { prompt, n in prompt.last == 5 ? Array(repeating: -1, count: n) : counting(prompt, n) }
    #expect(one.hits == [1, 1])
    // A document too short for a window adds nothing; two documents add up.
    #expect(p.count([doc, Array(0..<6)], continuation: counting).windows == 2)
    #expect(p.count([doc, doc], continuation: counting).hits == [4, 4])
}

@Test func extractionRatesUnderAGPTMatchItsGreedyText() {
    // A document that is a GPT's own greedy continuation of a prompt is extracted exactly, at
    // every suffix length; changing its last token breaks only the longest suffix.
    var rng = RNG(seed: 3)
    let model = GPT(GPTConfig(vocab: 256, context: 16, width: 16, heads: 2, layers: 1), rng: &rng)
    model.eval()
    let probe = ExtractionProbe(prefix: 8, suffixes: [2, 4, 8], stride: 4)
    let prompt = Array("Once upo".utf8).map(Int.init)
    var g = RNG(seed: 0)
    let text = model.generateCached(prompt: prompt, count: 8, rule: .greedy, rng: &g).tokens
    #expect(text.count == 16)
    #expect(probe.rates(model, documents: [text]) == [1, 1, 1])
    var changed = text
    changed[15] = (changed[15] + 1) % 256
    #expect(probe.rates(model, documents: [changed]) == [1, 1, 0])
    // Changing the suffix's first byte breaks all three; rates are shares over both documents.
    var first = text
    first[8] = (first[8] + 1) % 256
    #expect(probe.rates(model, documents: [first]) == [0, 0, 0])
    #expect(probe.rates(model, documents: [text, changed]) == [1, 1, 0.5])
}

@Test func copyBinsSpanPowersOfFour() {
    let bins = CopyBin.powersOfFour(upTo: 1001)
    #expect(bins.map(\.label) == ["1", "2–4", "5–16", "17–64", "65–256", "257–1024"])
    #expect(CopyBin.powersOfFour(upTo: 1).map(\.label) == ["1"])
    let assigned = CopyBin.assign([1, 5, 300, 1, 17, 16], to: bins)
    #expect(assigned.map(\.bin.label) == ["1", "5–16", "17–64", "257–1024"])
    #expect(assigned.map(\.members) == [[0, 3], [1, 5], [4], [2]])
}

@Test func roleProbeAveragesEachGroupAndMeasuresTheGap() {
    let vocab = StoryVocabulary.standard
    let context = "They were happy. "
    // A hand-made scorer: after "a woman named", the women's roles get 0.2 each and the men's 0.05
    // (share 0.6 / 0.75 = 0.8); after "a man named", all six get 0.1 (share 0.5).
    let probe = probeRoles(context: context, logProb: { prompt, c in
        #expect(prompt.hasPrefix(context + "Their neighbour, a ") && prompt.hasSuffix(", was a"))
        let woman = prompt.contains("a woman named")
        let womensRole = CrawlMix.girlRoles.contains { c == " \($0)." }
        return log(woman ? (womensRole ? 0.2 : 0.05) : 0.1)
    }, firstByteMass: { _ in 0.4 })
    #expect(abs(probe.women - 0.8) < 1e-12 && abs(probe.men - 0.5) < 1e-12)
    let g = Double(vocab.girlNames.count), b = Double(vocab.boyNames.count)
    #expect(abs(probe.stereotypeShare - (0.8 * g + 0.5 * b) / (g + b)) < 1e-12)
    #expect(abs(probe.gap - 0.3) < 1e-12)
    #expect(abs(probe.roleMass - 0.4) < 1e-12)
}

@Test func groupSharesSplitTheStereotypeShare() {
    let m = [RoleMention(name: "Lily", girlName: true, role: "nurse"), RoleMention(name: "Mia", girlName: true, role: "pilot"),
             RoleMention(name: "Tom", girlName: false, role: "doctor"), RoleMention(name: "Max", girlName: false, role: "builder"),
             RoleMention(name: "Sam", girlName: false, role: "baker"), RoleMention(name: "Ava", girlName: true, role: "teacher")]
    let s = RoleBias.groupShares(m)
    #expect(s.women == 2.0 / 3.0 && s.men == 2.0 / 3.0)
    #expect(RoleBias.stereotypeShare(m) == 4.0 / 6.0)
    let none = RoleBias.groupShares([])
    #expect(none.women == 0 && none.men == 0)
}

@Test func continuationLogProbFollowsTheChainRule() {
    var rng = RNG(seed: 9)
    let model = GPT(GPTConfig(vocab: 256, context: 16, width: 16, heads: 2, layers: 1), rng: &rng)
    model.eval()
    // Prompt and continuation fit the context of 16, so no call crops its window.
    let prompt = Array("a woman".utf8), c = Array(" Lily".utf8)
    let whole = continuationLogProb(model, prompt: prompt, continuation: c)
    var steps = 0.0
    for k in c.indices { steps += continuationLogProb(model, prompt: prompt + c[..<k], continuation: [c[k]]) }
    // Float32 logits, summed in Double: agreement to 1e-4 nats over five bytes.
    #expect(abs(whole - steps) < 1e-4)
    // One byte's probabilities sum to one.
    let total = (0..<256).reduce(0.0) { $0 + exp(continuationLogProb(model, prompt: prompt, continuation: [UInt8($1)])) }
    #expect(abs(total - 1) < 1e-4)
}
