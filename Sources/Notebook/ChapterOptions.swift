import ArgumentParser
import Engine

/// The command-line options every chapter shares.
///
/// A chapter never declares its own flags: the same options work for every chapter, and the
/// walkthrough passes them through unchanged. Parsing failures are reported by `Notebook.run` as a
/// one-line `error: …` naming the option, with exit code 2.
public struct ChapterOptions: ParsableArguments {
    /// A small, fast run (fewer steps, smaller data) for trying a chapter or for CI.
    @Flag(name: .long, help: "Run a small, fast version of the chapter (fewer steps, smaller data).")
    public var quick: Bool = false

    /// The seed every random draw in the chapter derives from.
    @Option(name: .long, help: "Seed for every random draw; the same seed gives the same bytes.")
    public var seed: UInt64 = 0

    /// Where the figures and the report go; `nil` means `Figures/NN-slug` under the current folder.
    @Option(name: .long, help: ArgumentHelp("Output folder (default: Figures/NN-slug).", valueName: "dir"))
    public var out: String?

    /// How many threads the engine may use; `nil` means every core. Results do not depend on it.
    @Option(name: .long, help: "Threads for the engine (default: all cores). Results do not depend on it.")
    public var threads: Int?

    /// Redo cached work (training runs a chapter stores under `--cache`) instead of reusing it.
    @Flag(name: .long, help: "Ignore cached training runs and redo them (chapters that cache runs).")
    public var fresh: Bool = false

    /// Where chapters cache finished training runs; `nil` means `.cache/NN-slug` under the current folder.
    @Option(name: .long, help: ArgumentHelp("Cache folder for finished runs (default: .cache/NN-slug).", valueName: "dir"))
    public var cache: String?

    /// Options with every default (full run, seed 0, default folder, all cores).
    public init() {}

    /// Rejects values the parser accepts by type but that make no sense.
    public func validate() throws {
        if let threads, threads < 1 {
            throw ValidationError("--threads must be at least 1, got \(threads)")
        }
        if let out, out.isEmpty {
            throw ValidationError("--out needs a folder path, got an empty string")
        }
        if let cache, cache.isEmpty {
            throw ValidationError("--cache needs a folder path, got an empty string")
        }
    }

    /// The output folder for chapter `number`/`slug`: `--out` if given, else `Figures/NN-slug`.
    public func outDir(number: Int, slug: String) -> String {
        out ?? "Figures/\(ChapterName.folder(number: number, slug: slug))"
    }

    /// The cache folder for chapter `number`/`slug`: `--cache` if given, else `.cache/NN-slug`.
    public func cacheDir(number: Int, slug: String) -> String {
        cache ?? ".cache/\(ChapterName.folder(number: number, slug: slug))"
    }

    /// The thread count to use: `--threads` if given, else every core.
    public var resolvedThreads: Int { threads ?? ProcessInfoCores.count }

    /// The flags that reproduce this run's outputs (seed and quick; threads and out do not change them).
    public var reproducingFlags: [String] {
        var flags = ["--seed", String(seed)]
        if quick { flags.append("--quick") }
        return flags
    }
}
