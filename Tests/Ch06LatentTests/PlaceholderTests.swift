import Testing
@testable import Ch06Latent

@Test func chapterNumberIsSet() { #expect(chapterNumber == 6) }
