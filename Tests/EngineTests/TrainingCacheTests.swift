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

    /// A loss history with a value that does not parse is not a cached run: dropping the value
    /// would hand back a shorter curve than training gives.
    @Test(arguments: [("1,x,2", nil), ("1,,2", nil), ("1,2,", nil), ("1,0.5,nan", 3)] as [(String, Int?)])
    func historyIsReturnedOnlyWhenEveryValueParses(text: String, count: Int?) throws {
        let dir = folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var rng = RNG(seed: 4)
        let model = Linear(2, 2, rng: &rng)
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let cache = TrainingCache(folder: dir, fresh: false)
        try model.save(to: cache.path("k")!, metadata: ["key": "k", "engine": String(EngineRevision.arithmetic), "series.loss": text])
        #expect(cache.restore(model, key: "k")?["loss"]?.count == count, "history '\(text)'")
    }

    /// A run killed while storing leaves `.<name>.tmp-<pid>-<n>`; opening the cache removes those
    /// of processes that are gone and keeps those of live ones (pid 1 always runs).
    @Test func temporariesOfKilledRunsAreRemoved() throws {
        let dir = folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let names = [".run-a.safetensors.tmp-2147483647-3", ".run-b.safetensors.tmp-1-1", "run-c.safetensors", ".notes.tmp-x-1"]
        for name in names { try Data("x".utf8).write(to: URL(fileURLWithPath: dir + "/" + name)) }
        _ = TrainingCache(folder: dir, fresh: false)
        let left = try FileManager.default.contentsOfDirectory(atPath: dir).sorted()
        #expect(left == [".notes.tmp-x-1", ".run-b.safetensors.tmp-1-1", "run-c.safetensors"])
    }
}
