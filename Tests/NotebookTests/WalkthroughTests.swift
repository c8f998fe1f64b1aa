import Foundation
import Testing
import Notebook

@Suite("Walkthrough selection and verification")
struct WalkthroughTests {
    static let registry = [
        ChapterEntry(0, "engine", "ch00-engine", "The engine"),
        ChapterEntry(1, "tokens", "ch01-tokens", "Tokens"),
        ChapterEntry(2, "attention", "ch02-attention", "Attention"),
    ]

    @Test func registryStartsWithChapterZeroAndIsOrdered() {
        #expect(Walkthrough.chapters.first == ChapterEntry(0, "engine", "ch00-engine", "The engine"))
        let numbers = Walkthrough.chapters.map(\.number)
        #expect(numbers == numbers.sorted() && Set(numbers).count == numbers.count)
        for c in Walkthrough.chapters {
            #expect(c.executable == ChapterName.executable(number: c.number, slug: c.slug))
        }
    }

    @Test func selection() throws {
        #expect(try Walkthrough.select(Self.registry).map(\.number) == [0, 1, 2])
        #expect(try Walkthrough.select(Self.registry, chapter: 1).map(\.number) == [1])
        #expect(try Walkthrough.select(Self.registry, from: 1).map(\.number) == [1, 2])
        #expect(try Walkthrough.select(Self.registry, from: 2).map(\.folder) == ["02-attention"])
    }

    @Test func unknownChapterIsRejectedNamingTheNumber() {
        #expect(throws: WalkthroughError.unknownChapter(9, known: [0, 1, 2])) {
            try Walkthrough.select(Self.registry, chapter: 9)
        }
        #expect(throws: WalkthroughError.unknownChapter(5, known: [0, 1, 2])) {
            try Walkthrough.select(Self.registry, from: 5)
        }
        #expect(WalkthroughError.unknownChapter(9, known: [0, 1]).description == "no chapter 9; the chapters are 00, 01")
    }

    /// Two folders holding the same chapter outputs.
    private func twin(_ root: URL) throws -> (URL, URL) {
        let a = root.appendingPathComponent("committed"), b = root.appendingPathComponent("regenerated")
        for dir in [a, b] {
            try FileManager.default.createDirectory(at: dir.appendingPathComponent("sub"), withIntermediateDirectories: true)
            try Data([1, 2, 3, 4]).write(to: dir.appendingPathComponent("loss.png"))
            try Data("x,y\n1,2\n".utf8).write(to: dir.appendingPathComponent("loss.csv"))
            try Data("{}\n".utf8).write(to: dir.appendingPathComponent("manifest.json"))
            try Data([5]).write(to: dir.appendingPathComponent("sub/grid.png"))
        }
        try Data("# T\n\nbody\n\n\(timingsHeading)\n\n| a | 1.00 |\n".utf8).write(to: a.appendingPathComponent("README.md"))
        try Data("# T\n\nbody\n\n\(timingsHeading)\n\n| a | 7.50 |\n".utf8).write(to: b.appendingPathComponent("README.md"))
        return (a, b)
    }

    @Test func identicalFoldersPassAndTimingsAreIgnored() throws {
        let root = try makeTempFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        let (a, b) = try twin(root)
        #expect(try FolderComparison.compare(expected: a, actual: b) == [])
    }

    @Test func aChangedByteIsReported() throws {
        let root = try makeTempFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        let (a, b) = try twin(root)
        try Data([1, 2, 3, 5]).write(to: b.appendingPathComponent("loss.png"))
        try Data("# T\n\nbodY\n\n\(timingsHeading)\n\n| a | 7.50 |\n".utf8).write(to: b.appendingPathComponent("README.md"))
        #expect(try FolderComparison.compare(expected: a, actual: b) == [.changed("README.md"), .changed("loss.png")])
    }

    @Test func aMissingFileIsReported() throws {
        let root = try makeTempFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        let (a, b) = try twin(root)
        try FileManager.default.removeItem(at: b.appendingPathComponent("sub/grid.png"))
        #expect(try FolderComparison.compare(expected: a, actual: b) == [.missing("sub/grid.png")])
    }

    @Test func anExtraFileIsReported() throws {
        let root = try makeTempFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        let (a, b) = try twin(root)
        try Data("a\n".utf8).write(to: b.appendingPathComponent("extra.csv"))
        try Data([0]).write(to: b.appendingPathComponent("ignored.bin"))  // not a compared kind
        #expect(try FolderComparison.compare(expected: a, actual: b) == [.extra("extra.csv")])
    }

    @Test func aMissingCommittedFolderReportsEveryFileAsExtra() throws {
        let root = try makeTempFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        let (_, b) = try twin(root)
        let differences = try FolderComparison.compare(expected: root.appendingPathComponent("nope"), actual: b)
        #expect(differences.count == 5)
        #expect(differences.allSatisfy { if case .extra = $0 { return true } else { return false } })
    }

    @Test func reportIsComparedOnlyAboveTheTimingsHeading() {
        let text = "# A\n\nx\n\n\(timingsHeading)\n\nt\n"
        #expect(FolderComparison.deterministicPart(ofReport: Data(text.utf8)) == Data("# A\n\nx\n".utf8))
        #expect(FolderComparison.deterministicPart(ofReport: Data("no heading\n".utf8)) == Data("no heading\n".utf8))
    }
}
