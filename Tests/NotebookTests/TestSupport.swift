import Foundation
import Notebook

/// A figure that writes a few fixed bytes instead of a real PNG, and optionally a CSV.
struct FakeFigure: NotebookFigure {
    var bytes: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 1, 2, 3]
    var csv: String? = "x,y\n0,1\n"

    func save(to pngPath: String) throws {
        try Data(bytes).write(to: URL(fileURLWithPath: pngPath))
    }

    var csvText: String? { csv }
}

/// A figure whose save forgets to write anything.
struct LazyFigure: NotebookFigure {
    func save(to pngPath: String) throws {}
}

/// A fresh, empty temporary folder for one test; remove it with `cleanUp`.
func makeTempFolder(_ name: String = #function) throws -> URL {
    let safe = name.filter { $0.isLetter || $0.isNumber }
    let url = FileManager.default.temporaryDirectory
        .appendingPathComponent("NotebookTests-\(safe)-\(getpid())")
    try? FileManager.default.removeItem(at: url)
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// Options as a chapter would parse them from `arguments`.
func options(_ arguments: [String]) throws -> ChapterOptions {
    try ChapterOptions.parse(arguments)
}

/// Names in `folder`, sorted.
func listing(_ folder: URL) -> [String] {
    ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).sorted()
}

struct Boom: Error, CustomStringConvertible {
    var description: String { "boom at step 3" }
}
