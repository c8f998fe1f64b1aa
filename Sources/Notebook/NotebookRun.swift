import ArgumentParser
import Engine
import Foundation

/// What a finished chapter run produced.
public struct NotebookOutcome {
    /// The output folder, now holding the new outputs.
    public var outDir: String
    /// The report text as written to `README.md`.
    public var report: String
    /// The manifest as written to `manifest.json`.
    public var manifest: Manifest
}

extension Notebook {
    /// Runs a chapter from its `main.swift` and exits: parses the shared options from the command
    /// line, runs `body`, writes the outputs atomically and exits with 0 on success, 1 if `body`
    /// threw (nothing written) or 2 on bad options (nothing written).
    public static func run(number: Int, slug: String, title: String, body: (Notebook) throws -> Void) -> Never {
        setvbuf(stdout, nil, _IOLBF, 0)  // keep narration and stderr progress in order when piped
        let arguments = Array(CommandLine.arguments.dropFirst())
        let options: ChapterOptions
        do {
            options = try ChapterOptions.parse(arguments)
        } catch {
            if ChapterOptions.exitCode(for: error) == .success {
                print("OVERVIEW: Chapter \(ChapterName.twoDigits(number)): \(title)\n")
                print(ChapterOptions.helpMessage())
                exit(0)
            }
            fail(ChapterOptions.message(for: error), code: 2)
        }
        // The process-wide setting, made once here before any kernel runs; `execute` also scopes it.
        Parallel.threads = options.resolvedThreads
        do {
            try execute(number: number, slug: slug, title: title, options: options, echo: true, body: body)
            exit(0)
        } catch let error as NotebookError {
            if case .badOutput = error { fail(error.description, code: 2) }
            fail("chapter \(ChapterName.twoDigits(number)) failed: \(error)", code: 1)
        } catch {
            fail(describeError(error), code: 1)
        }
    }

    /// Runs a chapter with already-parsed options and returns instead of exiting (the testable core
    /// of `run`). Throws `NotebookError.badOutput` when `--out` cannot be used and `ChapterFailure`
    /// when `body` throws; in both cases no staging folder is left and a previous output is kept.
    @discardableResult
    public static func execute(
        number: Int, slug: String, title: String, options: ChapterOptions, echo: Bool = false,
        body: (Notebook) throws -> Void
    ) throws -> NotebookOutcome {
        try options.validate()
        // Scoped to this call rather than written to the process-wide setting: tests run chapters
        // side by side with other tests, and a global write there is a data race (ThreadSanitizer
        // reported it). Thread counts never change results, only speed.
        return try Parallel.withThreads(options.resolvedThreads) {
            try runChapter(number: number, slug: slug, title: title, options: options, echo: echo, body: body)
        }
    }

    /// The body of `execute`, run with the chapter's thread count.
    private static func runChapter(
        number: Int, slug: String, title: String, options: ChapterOptions, echo: Bool,
        body: (Notebook) throws -> Void
    ) throws -> NotebookOutcome {
        let outDir = options.outDir(number: number, slug: slug)
        let folder = try OutputFolder.begin(outDir)
        let cleanup = InterruptCleanup.install(staging: folder.staging.path)
        defer { cleanup.cancel() }
        let console = Console(enabled: echo)
        let nb = Notebook(number: number, slug: slug, title: title, options: options, folder: folder, console: console)
        console.title(
            "Chapter \(ChapterName.twoDigits(number)): \(title)",
            subtitle: "seed \(options.seed), \(options.quick ? "quick" : "full") run, \(nb.threads) thread\(nb.threads == 1 ? "" : "s"), output \(outDir)")
        let start = ContinuousClock.now
        do {
            try body(nb)
            nb.timing("whole chapter", seconds: seconds(since: start))
            try nb.writeReport()
        } catch {
            folder.abandon()
            if let error = error as? NotebookError, case .badOutput = error { throw error }
            throw ChapterFailure(number: number, underlying: error)
        }
        do {
            try folder.commit()
        } catch {
            throw ChapterFailure(number: number, underlying: error)
        }
        let manifest = nb.manifest()
        console.print("")
        console.print("Wrote \(outDir)/README.md and \(manifest.figures.count) figure\(manifest.figures.count == 1 ? "" : "s").")
        return NotebookOutcome(outDir: outDir, report: nb.report(), manifest: manifest)
    }

    private static func fail(_ message: String, code: Int32) -> Never {
        FileHandle.standardError.write(Data("error: \(message)\n".utf8))
        exit(code)
    }
}

/// Removes the staging folder when the run is interrupted (Ctrl-C, `kill`), so no partial folder
/// stays behind, then exits with the conventional 128 + signal status.
final class InterruptCleanup {
    private var sources: [DispatchSourceSignal] = []

    static func install(staging: String) -> InterruptCleanup {
        let cleanup = InterruptCleanup()
        for sig in [SIGINT, SIGTERM] {
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            source.setEventHandler {
                try? FileManager.default.removeItem(atPath: staging)
                FileHandle.standardError.write(Data("\ninterrupted: removed \(staging)\n".utf8))
                exit(128 + sig)
            }
            source.resume()
            cleanup.sources.append(source)
        }
        return cleanup
    }

    func cancel() {
        for source in sources { source.cancel() }
        sources.removeAll()
        signal(SIGINT, SIG_DFL)
        signal(SIGTERM, SIG_DFL)
    }
}
