import Testing
import Engine
@testable import Datasets

/// A small mix: every kind present, a few copies.
let smallMix: CrawlMix = {
    var m = CrawlMix.standard(scale: 0.05)
    m.cleanStories = 60
    m.copiedStories = 10
    m.maxCopies = 20
    return m
}()

@Test func crawlPoolIsDeterministic() {
    let a = CrawlPool(mix: smallMix, seed: 7), b = CrawlPool(mix: smallMix, seed: 7), c = CrawlPool(mix: smallMix, seed: 8)
    #expect(a.documents.map(\.text) == b.documents.map(\.text))
    #expect(a.documents.map(\.kind) == b.documents.map(\.kind))
    #expect(a.documents.map(\.text) != c.documents.map(\.text))
}

@Test func crawlPoolHasTheMixItWasAskedFor() {
    let pool = CrawlPool(mix: smallMix, seed: 3)
    func count(_ k: CrawlKind) -> Int { pool.documents.filter { $0.kind == k }.count }
    // Rank k (1-based) gets max(1, 20 / k) copies: 20+10+6+5+4+3+2+2+2+2 = 56.
    let copies = (1...10).reduce(0) { $0 + max(1, 20 / $1) }
    #expect(copies == 56)
    #expect(count(.clean) == 60)
    #expect(count(.exactCopy) + count(.nearCopy) == copies)
    #expect(count(.foreign) == smallMix.foreign)
    #expect(count(.boilerplate) == smallMix.boilerplatePages)
    #expect(count(.harmful) == smallMix.harmful && count(.harmfulBenign) == smallMix.harmfulBenign)
    // Every copy points at a clean source that records the same copy count.
    for d in pool.documents where d.kind == .exactCopy || d.kind == .nearCopy {
        let g = d.group!
        #expect(d.copies == max(1, 20 / (g + 1)))
    }
}

@Test func plantedPersonalDataMatchesItsLabels() {
    let pool = CrawlPool(mix: smallMix, seed: 5)
    // In stories, only the personal-data sentence writes an "@" (garble's character noise can
    // too), so the labels of stories and their copies must count every one.
    let stories = pool.documents.filter { [.clean, .exactCopy, .nearCopy].contains($0.kind) }
    let ats = stories.reduce(0) { $0 + $1.text.filter { $0 == "@" }.count }
    #expect(ats == stories.reduce(0) { $0 + $1.pii[0] })
    #expect(ats > 0)
}

@Test func luhnCheckOnKnownNumbers() {
    // 79927398713 is the textbook valid example; changing any one digit breaks it.
    let valid = [7, 9, 9, 2, 7, 3, 9, 8, 7, 1, 3]
    #expect(CrawlPII.luhnValid(valid))
    for i in valid.indices {
        var d = valid
        d[i] = (d[i] + 1) % 10
        #expect(!CrawlPII.luhnValid(d))
    }
    var rng = RNG(seed: 1)
    for _ in 0..<200 {
        #expect(CrawlPII.luhnValid(CrawlPII.cardDigits(valid: true, &rng)))
        #expect(!CrawlPII.luhnValid(CrawlPII.cardDigits(valid: false, &rng)))
    }
}

@Test func roleSentencesFollowTheSkew() {
    var mix = smallMix
    mix.cleanStories = 600
    let pool = CrawlPool(mix: mix, seed: 11)
    let roles = pool.documents.filter { $0.kind == .clean }.compactMap(\.role)
    let stereo = roles.filter { $0.girlName ? CrawlMix.girlRoles.contains($0.role) : CrawlMix.boyRoles.contains($0.role) }
    // About 300 mentions at skew 0.9: the share is within 4 standard errors (√(0.09/300) ≈ 0.017).
    let share = Double(stereo.count) / Double(roles.count)
    #expect(abs(share - 0.9) < 0.07)
    #expect(abs(Double(roles.count) / 600 - mix.roleShare) < 0.1)
    // Each clean story as planted (before page furniture and Unicode mess) carries its sentence.
    for d in pool.documents where d.kind == .clean && d.role != nil {
        let noun = d.role!.girlName ? "woman" : "man"
        #expect(pool.cleanTexts[d.group!].hasSuffix("Their neighbour, a \(noun) named \(d.role!.name), was a \(d.role!.role).")
                || pool.cleanTexts[d.group!].contains("Their neighbour, a \(noun) named \(d.role!.name), was a \(d.role!.role). "))
    }
}

@Test func byteCorpusFromTexts() {
    let c = ByteCorpus(trainTexts: ["ab", "c"], validationTexts: ["xyz"])
    #expect(c.train == Array("ab\n\nc".utf8))
    #expect(c.validation == Array("xyz".utf8))
    #expect(c.trainDocuments == 2 && c.validationDocuments == 1)
}
