import Engine
import Foundation

/// Version of the training code and of the result format. Bump it whenever a change would alter a
/// run's numbers, so stale cache files are not reused.
public let runCacheVersion = "ch04-run-v2-engine\(EngineRevision.arithmetic)"

/// Finished runs on disk, one small JSON file per configuration and seed.
///
/// Reading is strict about content and lenient about damage: a file whose JSON does not decode, or
/// whose stored version or configuration differs from the request, is ignored with a note on
/// standard error and the run is trained again (and the file overwritten). A cache is only a way to
/// skip work, so a damaged one should never stop the chapter — and since training is deterministic
/// the recomputed result is the same one the file should have held.
public struct RunCache {
    /// Folder of the JSON files (created on first write).
    public let directory: String
    /// When true, existing files are ignored (but fresh results are still written).
    public let fresh: Bool

    /// A cache in `directory`; `fresh` ignores what is already there.
    public init(directory: String, fresh: Bool) {
        self.directory = directory
        self.fresh = fresh
    }

    /// What a cache file holds.
    struct Entry: Codable {
        var version: String
        var result: RunResult
    }

    /// The file a configuration is stored in.
    public func path(for config: RunConfig) -> String { directory + "/" + config.cacheName + ".json" }

    /// The cached result for `config`, or nil when there is none (or it is unusable, or `fresh`).
    public func load(_ config: RunConfig) -> RunResult? {
        guard !fresh else { return nil }
        let file = path(for: config)
        guard FileManager.default.fileExists(atPath: file) else { return nil }
        do {
            let data = try Data(contentsOf: URL(fileURLWithPath: file))
            let entry = try JSONDecoder().decode(Entry.self, from: data)
            guard entry.version == runCacheVersion else {
                note("ignoring cache file \(file): version \(entry.version), expected \(runCacheVersion)")
                return nil
            }
            guard entry.result.config == config else {
                note("ignoring cache file \(file): it holds a different configuration")
                return nil
            }
            return entry.result
        } catch {
            note("ignoring unreadable cache file \(file): \(error)")
            return nil
        }
    }

    /// Stores `result` atomically: JSON goes to a temp file in the same folder, then is renamed.
    public func store(_ result: RunResult) throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data = try encoder.encode(Entry(version: runCacheVersion, result: result))
        try data.write(to: URL(fileURLWithPath: path(for: result.config)), options: .atomic)
    }

    /// The cached result, or `compute()`'s result after storing it. `cached` says which.
    public func result(for config: RunConfig, compute: () throws -> RunResult) throws -> (result: RunResult, cached: Bool) {
        if let hit = load(config) { return (hit, true) }
        let result = try compute()
        try store(result)
        return (result, false)
    }

    private func note(_ text: String) {
        FileHandle.standardError.write(Data(("note: " + text + "\n").utf8))
    }
}
