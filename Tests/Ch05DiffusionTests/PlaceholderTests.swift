import Testing
@testable import Ch05Diffusion

@Test func chapterNumberIsSet() { #expect(chapterNumber == 5) }
