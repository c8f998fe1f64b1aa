import Engine
import Foundation

/// Trained weights cached as safetensors so a second run of the chapter skips training.
///
/// A cache entry is keyed by everything that determines the training run (configuration and
/// seed), and it stores the loss curve beside the weights (as metadata) so that figures drawn from
/// a cached run are byte-identical to those of a fresh one.
public struct ModelCache {
    /// Folder holding the entries (created on first save).
    public let directory: String
    /// When true, entries are ignored (but still written).
    public let fresh: Bool

    /// A cache in `directory`; `fresh` forces retraining.
    public init(directory: String, fresh: Bool) {
        self.directory = directory
        self.fresh = fresh
    }

    /// Loads `module` from the entry `key` when present (and not fresh); otherwise runs `train`,
    /// which returns the loss curve, and saves the result. Returns the losses and whether they
    /// came from the cache. A damaged entry is retrained and overwritten.
    public func trained(_ module: Module, key: String, train: () throws -> [Float]) throws -> (losses: [Float], cached: Bool) {
        let path = (directory as NSString).appendingPathComponent(fileName(key))
        if !fresh, FileManager.default.fileExists(atPath: path),
           let metadata = try? module.load(from: path), metadata["key"] == key,
           let text = metadata["losses"] {
            let losses = text.isEmpty ? [] : text.split(separator: ",").compactMap { Float(String($0)) }
            return (losses, true)
        }
        let losses = try train()
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        // Float's description round-trips exactly, so the cached curve equals the trained one.
        try module.save(to: path, metadata: ["key": key, "losses": losses.map { "\($0)" }.joined(separator: ",")])
        return (losses, false)
    }

    /// A file name from the key: letters, digits, '-', '_' and '.' kept, everything else '_'.
    func fileName(_ key: String) -> String {
        String(key.map { $0.isLetter || $0.isNumber || "-_.".contains($0) ? $0 : "_" }) + ".safetensors"
    }
}
