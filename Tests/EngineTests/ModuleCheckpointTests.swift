import Foundation
import Testing
@testable import Engine

/// Saving and loading a model's parameters through safetensors, and what a bad file does.
@Suite struct ModuleCheckpointTests {
    /// A two-layer model with nested names ("0.weight", "1.bias", …).
    func makeModel(seed: UInt64, hidden: Int = 8) -> Sequential {
        var rng = RNG(seed: seed)
        return Sequential([Linear(3, hidden, rng: &rng), ActivationLayer(.gelu), Linear(hidden, 2, rng: &rng)])
    }

    func tempPath(_ name: String) -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ckpt-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir.appendingPathComponent(name).path
    }

    @Test func roundTripRestoresExactParameters() throws {
        let a = makeModel(seed: 1), b = makeModel(seed: 2)
        #expect(a.parameters[0].values != b.parameters[0].values)
        let path = tempPath("model.safetensors")
        try a.save(to: path, metadata: ["note": "test"])
        let meta = try b.load(from: path)
        #expect(meta["note"] == "test")
        for (p, q) in zip(a.namedParameters(), b.namedParameters()) {
            #expect(p.name == q.name)
            #expect(p.tensor.values == q.tensor.values)
        }
        let x = Tensor(shape: [2, 3], values: [0.1, -0.2, 0.3, 1, 2, -1])
        #expect(a(x).values == b(x).values)
    }

    @Test func shapeMismatchThrowsAndLeavesModelUntouched() throws {
        let saved = makeModel(seed: 1, hidden: 8), target = makeModel(seed: 2, hidden: 4)
        let path = tempPath("model.safetensors")
        try saved.save(to: path)
        let before = target.parameters.map(\.values)
        #expect(throws: CheckpointError.self) { try target.load(from: path) }
        #expect(target.parameters.map(\.values) == before)
    }

    @Test func missingAndUnexpectedNamesAreNamed() throws {
        var rng = RNG(seed: 3)
        let small = Sequential([Linear(3, 2, rng: &rng)])
        let path = tempPath("small.safetensors")
        try small.save(to: path)
        let big = makeModel(seed: 4)
        do {
            try big.load(from: path)
            Issue.record("loading a checkpoint with missing parameters must throw")
        } catch let error as CheckpointError {
            let text = error.description
            #expect(text.contains("2.weight"))  // a missing parameter is named
        }
    }

    @Test func truncatedFileThrowsTypedError() throws {
        let model = makeModel(seed: 5)
        let path = tempPath("model.safetensors")
        try model.save(to: path)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        try bytes.prefix(bytes.count - 10).write(to: URL(fileURLWithPath: path))
        #expect(throws: CheckpointError.self) { try model.load(from: path) }
    }

    @Test func nonFiniteValuesAreReportedByName() {
        let t = Tensor([1, .nan, 3])
        t.name = "blocks.0.attn.qkv.weight"
        do {
            try t.checkFinite(step: 17)
            Issue.record("NaN must be detected")
        } catch let e as NonFiniteError {
            #expect(e.tensor == "blocks.0.attn.qkv.weight" && e.step == 17 && e.index == 1)
            #expect(e.description.contains("step 17"))
        } catch { Issue.record("unexpected error \(error)") }
        #expect(throws: Never.self) { try Tensor([1, 2]).checkFinite("loss") }
        #expect(throws: NonFiniteError.self) { try Tensor([.infinity]).checkFinite("loss") }
    }
}
