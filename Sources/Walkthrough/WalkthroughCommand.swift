import ArgumentParser
import Foundation
import Notebook

/// `walkthrough`: builds the chapters, runs them in order, and can verify the committed figures.
struct WalkthroughCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "walkthrough",
        abstract: "Run the course's chapters in order, writing each chapter's figures and report.",
        discussion: """
            Each chapter runs as its own process and writes Figures/NN-slug/ (README.md, PNGs, CSVs). \
            With --verify the selected chapters are regenerated into a temporary folder and compared \
            byte for byte with the committed folders (reports up to their timings section).
            """)

    @Option(help: "Run only this chapter number.")
    var chapter: Int?

    @Option(help: "Run this chapter and every later one.")
    var from: Int?

    @Flag(help: "Pass --quick to every chapter (small, fast runs).")
    var quick = false

    @Flag(help: "Pass --fresh to every chapter (redo cached training runs).")
    var fresh = false

    @Option(help: "Pass this --seed to every chapter (default: each chapter's default, 0).")
    var seed: UInt64?

    @Option(help: "Pass this --threads to every chapter (default: all cores).")
    var threads: Int?

    @Option(name: .customLong("out-root"), help: ArgumentHelp("Folder holding one NN-slug folder per chapter.", valueName: "dir"))
    var outRoot = "Figures"

    @Flag(help: "List the chapters and exit.")
    var list = false

    @Flag(help: "Regenerate into a temporary folder and compare with the committed outputs under --out-root.")
    var verify = false

    @Flag(name: .customLong("no-build"), help: "Do not run `swift build` first (the chapters must already be built).")
    var noBuild = false

    func validate() throws {
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1, got \(threads)") }
        if chapter != nil && from != nil { throw ValidationError("use either --chapter or --from, not both") }
        if outRoot.isEmpty { throw ValidationError("--out-root needs a folder path, got an empty string") }
    }

    /// Parses `arguments`, runs, and returns the exit status: 0 success, 1 a chapter failed or
    /// differed, 2 bad usage (one `error: …` line on stderr).
    static func parseAndRun(_ arguments: [String]) -> Int32 {
        let command: WalkthroughCommand
        do {
            command = try parse(arguments)
        } catch {
            if exitCode(for: error) == .success {
                print(fullMessage(for: error))
                return 0
            }
            return usageError(message(for: error))
        }
        let selected: [ChapterEntry]
        do {
            selected = try Walkthrough.select(chapter: command.chapter, from: command.from)
        } catch {
            return usageError("\(error)")
        }
        if command.list {
            printList(selected)
            return 0
        }
        return command.runChapters(selected)
    }

    static func usageError(_ message: String) -> Int32 {
        FileHandle.standardError.write(Data("error: \(message)\n".utf8))
        return 2
    }

    static func printList(_ chapters: [ChapterEntry]) {
        let rows = chapters.map { [ChapterName.twoDigits($0.number), $0.title, $0.executable, $0.folder] }
        printTable(headers: ["#", "title", "executable", "folder"], rows: rows)
    }
}
