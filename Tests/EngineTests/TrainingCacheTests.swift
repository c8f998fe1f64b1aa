import Foundation
import Testing
@testable import Engine

@Suite("Training cache")
struct TrainingCacheTests {
    func folder() -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("training-cache-\(UUID().uuidString)").path
        return dir
    }

    @Test func roundTripsWeightsAndSeriesExactly() {
        let dir = folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var rng = RNG(seed: 1)
        let a = Linear(3, 2, rng: &rng), b = Linear(3, 2, rng: &rng)
        let cache = TrainingCache(folder: dir, fresh: false)
        let curve: [Float] = [1, 0.1, 1.0 / 3, .ulpOfOne]
        cache.store(a, key: "run/1", series: ["loss": curve, "other": []])
        let back = cache.restore(b, key: "run/1")
        #expect(back?["loss"] == curve && back?["other"] == [])
        #expect(a.weight.values == b.weight.values && a.bias!.values == b.bias!.values)
        // A different key that maps to the same file name is not taken for this run.
        #expect(cache.restore(b, key: "run_1") == nil)
        #expect(TrainingCache(folder: dir, fresh: true).restore(b, key: "run/1") == nil)
        #expect(TrainingCache(folder: nil, fresh: false).restore(b, key: "run/1") == nil)
    }

    @Test func damagedFileIsRetrained() throws {
        let dir = folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var rng = RNG(seed: 2)
        let a = Linear(2, 2, rng: &rng)
        let cache = TrainingCache(folder: dir, fresh: false)
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try Data("not a safetensors file".utf8).write(to: URL(fileURLWithPath: cache.path("k")!))
        var runs = 0
        let first = cache.trained(a, key: "k") { runs += 1; return [2, 1] }
        let second = cache.trained(a, key: "k") { runs += 1; return [] }
        #expect(!first.cached && second.cached && runs == 1 && second.losses == [2, 1])
    }

    /// A file from an engine with other arithmetic is not reused, and rejecting it (like a key
    /// mismatch) leaves the model's own weights untouched.
    @Test func otherEngineRevisionIsRetrainedWithoutTouchingTheModel() throws {
        let dir = folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var rng = RNG(seed: 3)
        let a = Linear(3, 2, rng: &rng), b = Linear(3, 2, rng: &rng)
        let cache = TrainingCache(folder: dir, fresh: false)
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try a.save(to: cache.path("k")!, metadata: ["key": "k", "engine": String(EngineRevision.arithmetic - 1), "series.loss": "1"])
        let before = b.weight.values
        #expect(cache.restore(b, key: "k") == nil)
        #expect(b.weight.values == before)
        cache.store(a, key: "k", series: ["loss": [1]])
        #expect(cache.restore(b, key: "k")?["loss"] == [1])
        #expect(b.weight.values == a.weight.values)
    }
}
