import Testing
import Engine
import Datasets
@testable import Ch03Data

@Test func everyPIIFormatIsMasked() {
    let m = PIIMasker.mask("Write to lily.fox7@mail.example or call 555-012-3456. Card 4539 5780 3925 7438, or (555) 091-2345.")
    #expect(m.text == "Write to [EMAIL] or call [PHONE]. Card [CARD], or [PHONE].")
    #expect(m.counts == PIICounts(email: 1, phone: 2, card: 1))
    #expect(PIIMasker.mask("pay 4539-5780-3925-7438 now").text == "pay [CARD] now")
    #expect(PIIMasker.mask("pay 4539578039257438 now").text == "pay [CARD] now")
}

@Test func lookalikesAreNotMasked() {
    // The same number with its check digit changed fails Luhn: a ticket number, not a card.
    let ticket = "Ticket 4539 5780 3925 7437 is here."
    #expect(PIIMasker.mask(ticket).text == ticket)
    // Not e-mails, not phones: a lone @, a missing domain dot, digits inside a longer number.
    for s in ["meet @ noon", "me@home", "a@b.", "id 1555-012-34567", "12345678"] {
        #expect(PIIMasker.mask(s).text == s, "\(s)")
    }
    var rng = RNG(seed: 12)
    for _ in 0..<100 {
        let bad = CrawlPII.grouped(CrawlPII.cardDigits(valid: false, &rng), separator: " ")
        #expect(PIIMasker.mask("n \(bad) n").counts.card == 0)
        let good = CrawlPII.grouped(CrawlPII.cardDigits(valid: true, &rng), separator: "-")
        #expect(PIIMasker.mask("n \(good) n").counts.card == 1)
    }
}

@Test func maskingFindsEveryPlantedSentence() {
    var rng = RNG(seed: 5)
    for _ in 0..<200 {
        let s = CrawlPII.sentence(name: "Mia", &rng)
        let m = PIIMasker.mask(s.text)
        #expect([m.counts.email, m.counts.phone, m.counts.card] == s.pii, "\(s.text)")
    }
}

@Test func roleMentionsAndRebalancing() {
    let texts = (0..<10).map { "A story. Their neighbour, a \($0 < 8 ? "woman named Lily" : "man named Tom"), was a nurse." }
        + (0..<4).map { _ in "Another. Their neighbour, a man named Max, was a pilot." }
    let before = texts.flatMap(RoleBias.mentions)
    #expect(before.count == 14)
    #expect(before[0] == RoleMention(name: "Lily", girlName: true, role: "nurse"))
    // Stereotyped: 8 girls as nurse + 4 boys as pilot; 2 boys as nurse are not.
    #expect(RoleBias.stereotypeShare(before) == 12.0 / 14.0)
    let (after, swaps) = RoleBias.rebalance(texts)
    // Nurse: 8 girls vs 2 boys, so 3 girls become boys (5 vs 5); pilot: 0 vs 4, so 2 swaps.
    #expect(swaps == 5)
    let m = after.flatMap(RoleBias.mentions)
    #expect(m.filter { $0.role == "nurse" && $0.girlName }.count == 5)
    #expect(m.filter { $0.role == "pilot" && $0.girlName }.count == 2)
    #expect(RoleBias.stereotypeShare(m) == 0.5)
    // A swap rewrites the whole phrase, so noun and name stay consistent.
    #expect(after.filter { $0.contains("a woman named") }.count == 5 + 2)
    #expect(RoleBias.mentions("Their neighbour, a dog named Rex, was a pilot.").isEmpty)
}
