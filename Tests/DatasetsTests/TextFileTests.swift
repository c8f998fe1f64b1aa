import Foundation
import Testing
@testable import Datasets

@Suite struct TextFileTests {
    /// A fresh folder for one test, removed afterwards by the caller's `defer`.
    func tempDir() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("textfile-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    @Test func loadsUTF8TextExactly() throws {
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("ok.txt").path
        let text = "Once upon a time, café 日本 😀\n\nline\r\n"
        _ = FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
        #expect(try TextFile.load(path: path) == text)
    }

    @Test func namesTheProblemAndTheFile() throws {
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let empty = dir.appendingPathComponent("empty.txt").path
        _ = FileManager.default.createFile(atPath: empty, contents: Data())
        #expect(throws: DatasetError.empty(path: empty)) { try TextFile.load(path: empty) }

        let missing = dir.appendingPathComponent("missing.txt").path
        #expect(throws: DatasetError.missing(path: missing)) { try TextFile.load(path: missing) }

        #expect(throws: DatasetError.unreadable(path: dir.path, reason: "it is a directory")) {
            try TextFile.load(path: dir.path)
        }

        // "héllo" is 68 C3 A9 6C 6C 6F; a lone continuation byte at offset 7 follows it and a space.
        let bad = dir.appendingPathComponent("bad.txt").path
        _ = FileManager.default.createFile(atPath: bad, contents: Data(Array("héllo ".utf8) + [0xA9, 0x41]))
        #expect(throws: DatasetError.invalidUTF8(path: bad, byteOffset: 7)) { try TextFile.load(path: bad) }
        #expect(DatasetError.invalidUTF8(path: bad, byteOffset: 7).description.contains("offset 7"))
    }

    /// Forms Swift's lenient decoder would silently replace: each must be reported where it starts.
    @Test(arguments: [
        ([0x41, 0xC0, 0x80], 1),             // overlong encoding of NUL
        ([0x41, 0x42, 0xED, 0xA0, 0x80], 2), // UTF-16 surrogate D800
        ([0xF4, 0x90, 0x80, 0x80], 0),       // above U+10FFFF
        ([0x41, 0xE2, 0x82], 1),             // truncated at the end
        ([0xE2, 0x82, 0xAC, 0xFF], 3),       // "€" then an impossible byte
    ] as [([UInt8], Int)])
    func findsTheFirstInvalidByte(bytes: [UInt8], offset: Int) {
        #expect(UTF8Validation.firstInvalidOffset(bytes) == offset)
    }
}
