import Testing
@testable import Ch04Scaling

@Test func chapterNumberIsSet() { #expect(chapterNumber == 4) }
