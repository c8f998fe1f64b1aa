import Foundation

/// Saving and restoring a finished training run, so a rerun of a chapter can skip it.
///
/// One safetensors file per run, named by a key that spells out everything that determines the
/// run (configuration, data and seed). The file holds the model's parameters and, in its
/// metadata, the key and the run's loss histories written with Swift's shortest round-trip float
/// text, so a cached run gives back exactly the numbers a fresh run computes and figures drawn
/// from it do not depend on the cache. A file that cannot be read, whose key differs, or that an
/// engine with different arithmetic (`EngineRevision`) wrote, is retrained and overwritten.
public struct TrainingCache {
    /// The folder cached runs live in, or nil to disable caching.
    public let folder: String?
    /// Whether to ignore existing files (they are overwritten after training).
    public let fresh: Bool

    /// A cache in `folder` (nil: no caching); `fresh` retrains even when a file exists.
    /// Temporary files that runs killed mid-write left in `folder` are removed: they are never
    /// read, but they would pile up.
    public init(folder: String?, fresh: Bool) {
        self.folder = folder
        self.fresh = fresh
        if let folder { AtomicFile.removeStaleTemporaries(in: folder) }
    }

    /// The file for run `key` (characters other than letters, digits, `-`, `_` and `.` become
    /// `_`), or nil when caching is off.
    func path(_ key: String) -> String? {
        let name = String(key.map { $0.isLetter || $0.isNumber || "-_.".contains($0) ? $0 : "_" })
        return folder.map { ($0 as NSString).appendingPathComponent(name + ".safetensors") }
    }

    /// Loads `model` and its loss histories for `key` if present, valid and wanted.
    public func restore(_ model: Module, key: String) -> [String: [Float]]? {
        // The key and engine revision are checked before any weight is loaded, so a stale file
        // leaves the model as initialised.
        guard !fresh, let p = path(key), FileManager.default.fileExists(atPath: p),
              let file = try? SafetensorsFile.read(from: p) else { return nil }
        return Self.restore(model, key: key, from: file, source: p)
    }

    /// The part of `restore` after the file is read, for a checkpoint already in memory: nil
    /// unless its key and engine revision match and every parameter loads.
    static func restore(_ model: Module, key: String, from file: SafetensorsFile, source: String) -> [String: [Float]]? {
        guard file.metadata["key"] == key, file.metadata["engine"] == String(EngineRevision.arithmetic),
              let meta = try? model.load(file, source: source) else { return nil }
        var out: [String: [Float]] = [:]
        for (name, text) in meta where name.hasPrefix("series.") {
            // Every value must parse: dropping a bad one would hand back a curve that a fresh run
            // would not give, so an edited or damaged history means the run is redone.
            var values: [Float] = []
            for part in text.isEmpty ? [] : text.split(separator: ",", omittingEmptySubsequences: false) {
                guard let v = Float(String(part)) else { return nil }
                values.append(v)
            }
            out[String(name.dropFirst(7))] = values
        }
        return out
    }

    /// Saves `model` and its loss histories for `key`. A cache is an optimisation, so a file that
    /// cannot be written does not stop the chapter; it prints a note naming the file and the error.
    public func store(_ model: Module, key: String, series: [String: [Float]]) {
        guard let folder, let p = path(key) else { return }
        var meta: [String: String] = ["key": key, "engine": String(EngineRevision.arithmetic)]
        for (name, values) in series { meta["series." + name] = values.map { $0.description }.joined(separator: ",") }
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            try model.save(to: p, metadata: meta)
        } catch {
            FileHandle.standardError.write(Data("note: could not cache the run in \(p): \(error)\n".utf8))
        }
    }

    /// Restores `model` for `key`, or runs `train` (which returns the loss curve) and stores the
    /// result. Returns the losses and whether they came from the cache.
    public func trained(_ model: Module, key: String, train: () throws -> [Float]) rethrows -> (losses: [Float], cached: Bool) {
        if let series = restore(model, key: key), let losses = series["loss"] { return (losses, true) }
        let losses = try train()
        store(model, key: key, series: ["loss": losses])
        return (losses, false)
    }
}
