import Engine
import Foundation

/// Saving and restoring a finished training run, so a rerun of the chapter can skip it.
///
/// The file holds the model's parameters (safetensors) and, in its metadata, the loss history
/// written with Swift's shortest round-trip float text, so a cached run gives back exactly the
/// numbers a fresh run computes and the figures do not depend on the cache.
public struct TrainingCache {
    /// The folder cached runs live in, or nil to disable caching.
    public let folder: String?
    /// Whether to ignore existing files (they are overwritten after training).
    public let fresh: Bool

    /// A cache in `folder` (nil: no caching); `fresh` retrains even when a file exists.
    public init(folder: String?, fresh: Bool) {
        self.folder = folder
        self.fresh = fresh
    }

    /// The file for run `key`, or nil when caching is off.
    func path(_ key: String) -> String? {
        folder.map { ($0 as NSString).appendingPathComponent(key + ".safetensors") }
    }

    /// Loads `model` and its loss history for `key` if present, valid and wanted.
    func restore(_ model: Module, key: String) -> [String: [Float]]? {
        guard !fresh, let p = path(key), FileManager.default.fileExists(atPath: p),
              let meta = try? model.load(from: p) else { return nil }
        var out: [String: [Float]] = [:]
        for (name, text) in meta where name.hasPrefix("series.") {
            let values = text.isEmpty ? [] : text.split(separator: ",").compactMap { Float(String($0)) }
            out[String(name.dropFirst(7))] = values
        }
        return out
    }

    /// Saves `model` and its loss history for `key` (silently skipped when caching is off or the
    /// folder cannot be made: a cache is an optimisation, never a requirement).
    func store(_ model: Module, key: String, series: [String: [Float]]) {
        guard let folder, let p = path(key) else { return }
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        var meta: [String: String] = ["key": key]
        for (name, values) in series { meta["series." + name] = values.map { $0.description }.joined(separator: ",") }
        try? model.save(to: p, metadata: meta)
    }
}
