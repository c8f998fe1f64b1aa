import Engine
import Foundation

/// One run of a chapter: what it says, shows and measures, in order.
///
/// A chapter's `main.swift` gets a `Notebook` from `Notebook.run` and calls it cell by cell. Each
/// call prints to the terminal and records a cell of the report (`<out>/README.md`), so the same
/// code produces both the live narration and the executed notebook committed under `Figures/`.
public final class Notebook {
    /// Chapter number, e.g. 0.
    public let number: Int
    /// Chapter slug, e.g. `engine`.
    public let slug: String
    /// Chapter title, e.g. `The engine`.
    public let title: String
    /// The parsed command-line options.
    public let options: ChapterOptions

    /// Whether this is a `--quick` run.
    public var quick: Bool { options.quick }
    /// The run's seed (`--seed`, default 0).
    public var seed: UInt64 { options.seed }
    /// Whether `--fresh` asks to redo cached runs rather than reuse them.
    public var fresh: Bool { options.fresh }
    /// The folder where this chapter caches finished runs (`--cache`, default `.cache/NN-slug`).
    /// Cached results must be exactly what a fresh run computes, so figures do not depend on the cache.
    public var cacheDir: String { options.cacheDir(number: number, slug: slug) }
    /// How many threads the engine uses (`--threads`, default every core); already set on `Parallel`.
    public let threads: Int
    /// The folder the outputs land in when the chapter finishes (`--out`, default `Figures/NN-slug`).
    /// While the chapter runs, files are written to a staging folder: use `outputPath(_:)`.
    public let outDir: String

    let console: Console
    private let folder: OutputFolder
    private(set) var cells: [Cell] = []
    private(set) var timings: [(label: String, seconds: Double)] = []
    private(set) var machineNumbers: [(label: String, text: String)] = []
    private var usedNames: Set<String> = ["README.md", "manifest.json"]
    private var figureCount = 0

    init(number: Int, slug: String, title: String, options: ChapterOptions, folder: OutputFolder, console: Console) {
        self.number = number
        self.slug = slug
        self.title = title
        self.options = options
        self.threads = options.resolvedThreads
        self.outDir = options.outDir(number: number, slug: slug)
        self.folder = folder
        self.console = console
    }

    // MARK: Randomness and run size

    /// A fresh generator seeded with `seed`: every call gives the same stream, so each part of a
    /// chapter that calls `rng()` is reproducible on its own.
    public func rng() -> RNG { RNG(seed: seed) }

    /// A fresh generator for a named part of the chapter, independent of the other parts' streams.
    public func rng(_ stream: UInt64) -> RNG { RNG(seed: seed &+ 0x9E37_79B9_7F4A_7C15 &* (stream &+ 1)) }

    /// `quick` in a `--quick` run, `full` otherwise.
    public func pick<T>(quick: T, full: T) -> T { self.quick ? quick : full }

    // MARK: Cells

    /// Starts a section: a `##` heading in the report, a rule in the terminal.
    public func section(_ title: String) {
        cells.append(.section(title))
        console.section(title)
    }

    /// A paragraph of narration (markdown allowed), wrapped at 100 columns in the terminal.
    public func say(_ text: String) {
        cells.append(.say(text))
        console.say(text)
    }

    /// A key number: printed, listed in the report and written to `manifest.json` as
    /// `{key, label, value, unit}`. `key` is stable snake_case, unique in the chapter (a grading
    /// script reads it); `format` is the `printf` format of the report's text, and `scale`
    /// multiplies the value for display only (e.g. 100 to show a share in `unit: "share"` as a
    /// percentage with `format: "%.1f %%"`).
    public func number(_ label: String, _ value: Double, key: String, unit: String, format: String = "%.4g", scale: Double = 1) {
        record(NumberRecord(key: key, label: label, value: value, unit: unit, text: String(format: format, value * scale)))
    }

    /// A key number given as `Float` (the engine's element type).
    public func number(_ label: String, _ value: Float, key: String, unit: String, format: String = "%.4g", scale: Double = 1) {
        number(label, Double(value), key: key, unit: unit, format: format, scale: scale)
    }

    /// A key integer.
    public func number(_ label: String, _ value: Int, key: String, unit: String) {
        record(NumberRecord(key: key, label: label, value: Double(value), unit: unit, text: String(value)))
    }

    /// A key number whose report text the chapter formats itself (e.g. `"12 of 16"`); `value`
    /// is what the manifest records.
    public func number(_ label: String, _ value: Double, key: String, unit: String, text: String) {
        record(NumberRecord(key: key, label: label, value: value, unit: unit, text: text))
    }

    private func record(_ n: NumberRecord) {
        cells.append(.number(n))
        console.number(n.label, n.text)
    }

    /// Checks every key number's key: snake_case, unique in the chapter, and a finite value.
    func validateNumbers() throws {
        var seen = Set<String>()
        for case let .number(n) in cells {
            guard NumberRecord.isValidKey(n.key) else {
                throw NotebookError.badNumber(key: n.key, reason: "a key must be snake_case (a-z, 0-9, _), starting with a letter")
            }
            guard seen.insert(n.key).inserted else { throw NotebookError.badNumber(key: n.key, reason: "the key is used twice in this chapter") }
            guard n.value.isFinite else { throw NotebookError.badNumber(key: n.key, reason: "the value \(n.value) is not finite") }
        }
    }

    /// A table: markdown in the report, aligned columns in the terminal. Short rows are padded.
    public func table(headers: [String], rows: [[String]]) {
        let table = Table(headers: headers, rows: rows)
        cells.append(.table(table))
        console.table(table)
    }

    /// A block of code as the reader should see it (Swift by default).
    public func code(_ source: String, language: String = "swift") {
        cells.append(.code(source, language: language))
        console.code(source)
    }

    /// A block of output text, shown as the result of the code above it.
    public func output(_ text: String) {
        cells.append(.output(text))
        console.code(text)
    }

    /// Saves `figure` as `<out>/<name>.png` (and its CSV beside it) and shows it in the report
    /// with `caption` under it. `name` is a plain file name such as `loss-curve`.
    public func figure(_ figure: NotebookFigure, name: String, caption: String) throws {
        try claim(name + ".png")
        try claim(name + ".csv")
        let png = folder.stagedPath(name + ".png")
        let csvPath = folder.stagedPath(name + ".csv")
        try figure.save(to: png)
        guard FileManager.default.fileExists(atPath: png) else { throw NotebookError.figureNotWritten(name: name) }
        if let csv = figure.csvText {
            try writeText(csv, to: csvPath)
        }
        let hasCSV = FileManager.default.fileExists(atPath: csvPath)
        figureCount += 1
        let record = FigureRecord(name: name, caption: caption, png: name + ".png", csv: hasCSV ? name + ".csv" : nil)
        cells.append(.figure(record))
        console.note("[figure \(figureCount)] \(outDir)/\(name).png: \(caption)")
    }

    /// The staging path for an extra output file `name` (a sample, a checkpoint): write it there
    /// and it lands in `outDir` with the rest when the chapter finishes.
    public func outputPath(_ name: String) throws -> String {
        try claim(name)
        return folder.stagedPath(name)
    }

    /// Writes a text file `name` into the output folder.
    public func writeFile(_ name: String, text: String) throws {
        try writeText(text, to: outputPath(name))
    }

    // MARK: Loops and time

    /// Walks `items` with a progress bar (terminal) or periodic lines (logs) on stderr.
    public func progress<C: Collection>(_ items: C, label: String) -> ProgressSequence<C> {
        ProgressSequence(base: items, label: label, enabled: console.enabled)
    }

    /// Records a machine-dependent duration: printed, and listed only under the report's timings heading.
    public func timing(_ label: String, seconds: Double) {
        timings.append((label, seconds))
        console.note("[time] \(label): \(formatSeconds(seconds)) s")
    }

    /// Records a machine-dependent measurement that is not a duration (a sustained FLOP rate, a
    /// cost converted at that rate): printed, and listed in its own table under the report's
    /// timings heading, so `--verify` ignores it and it never reaches `manifest.json`.
    public func machineNumber(_ label: String, text: String) {
        machineNumbers.append((label, text))
        console.note("[machine] \(label): \(text)")
    }

    /// Runs `body`, records how long it took under `label`, and returns its result.
    public func timed<T>(_ label: String, _ body: () throws -> T) rethrows -> T {
        let start = ContinuousClock.now
        let result = try body()
        timing(label, seconds: seconds(since: start))
        return result
    }

    // MARK: Files

    /// Reserves an output file name, rejecting paths and duplicates so outputs never overwrite each other.
    private func claim(_ name: String) throws {
        guard !name.isEmpty, !name.hasPrefix(".") else { throw NotebookError.badName(name, reason: "must not be empty or start with '.'") }
        guard !name.contains("/"), !name.contains("\\") else { throw NotebookError.badName(name, reason: "must be a file name, not a path") }
        guard usedNames.insert(name).inserted else { throw NotebookError.duplicateOutput(name) }
    }

    private func writeText(_ text: String, to path: String) throws {
        do {
            try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        } catch {
            throw NotebookError.io(path: path, reason: shortReason(error))
        }
    }

    /// The report as it stands.
    func report() -> String {
        ReportWriter(number: number, slug: slug, title: title, flags: options.reproducingFlags,
                     cells: cells, timings: timings, threads: threads, machineNumbers: machineNumbers).markdown()
    }

    /// The manifest as it stands.
    func manifest() -> Manifest {
        Manifest(
            chapter: number, slug: slug, title: title, seed: seed, quick: quick,
            figures: cells.compactMap { if case let .figure(f) = $0 { return f } else { return nil } },
            numbers: cells.compactMap { if case let .number(n) = $0 { return n } else { return nil } })
    }

    /// Writes README.md and manifest.json into the staging folder.
    func writeReport() throws {
        try validateNumbers()
        try writeText(report(), to: folder.stagedPath("README.md"))
        do {
            try manifest().encoded().write(to: URL(fileURLWithPath: folder.stagedPath("manifest.json")))
        } catch {
            throw NotebookError.io(path: folder.stagedPath("manifest.json"), reason: shortReason(error))
        }
    }
}

/// Seconds elapsed since `start`.
func seconds(since start: ContinuousClock.Instant) -> Double {
    let d = ContinuousClock.now - start
    return Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
}
