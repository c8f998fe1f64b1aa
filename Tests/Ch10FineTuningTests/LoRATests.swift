import Datasets
import Engine
import Foundation
import Models
import Testing

/// A tiny GPT whose adapters carry random, non-zero B (so a missing or misplaced term shows).
func tinyLoRAModel(rank: Int = 2, alpha: Float = 4) -> GPT {
    let model = GPT(GPTConfig(vocab: 17, context: 8, width: 12, heads: 3, layers: 2), seed: 3)
    model.attachLoRA(rank: rank, alpha: alpha, seed: 4)
    var rng = RNG(seed: 5)
    for layer in model.loraTargets { for i in 0..<layer.adapter!.up.count { layer.adapter!.up.storage.pointer[i] = 0.3 * rng.normal() } }
    return model
}

let tinyIDs = [[1, 5, 9, 2, 16, 0, 3], [4, 4, 8, 11, 7, 12, 15]]

@Suite struct LoRATests {
    /// B = 0 at attachment, so the adapted model computes exactly the base model's logits, bit for
    /// bit: the adapter adds (x·Aᵀ)·0 = +0.0 to every output.
    @Test func zeroBGivesTheBaseModelExactly() {
        let model = GPT(GPTConfig(vocab: 17, context: 8, width: 12, heads: 3, layers: 2), seed: 3)
        let before = Tensor.noGrad { model(tinyIDs).values }
        model.attachLoRA(rank: 3, alpha: 8, seed: 1)
        let after = Tensor.noGrad { model(tinyIDs).values }
        #expect(before == after)
        #expect(model.loraTargets.allSatisfy { $0.adapter != nil })
    }

    /// One adapted layer against the formula written out in Double: y = x·Wᵀ + b + (α/r)·(x·Aᵀ)·Bᵀ.
    /// Float32 dot products of at most 12 terms: agreement to 1e-5 of the output scale.
    @Test func adaptedLinearMatchesTheFormula() {
        var rng = RNG(seed: 9)
        let layer = Linear(5, 4, rng: &rng)
        let a = layer.attachAdapter(rank: 2, alpha: 3, rng: &rng)
        for i in 0..<a.up.count { a.up.storage.pointer[i] = rng.normal() }
        let x = Tensor.randn([3, 5], rng: &rng)
        let y = Tensor.noGrad { layer(x) }
        for r in 0..<3 {
            for o in 0..<4 {
                var want = Double(layer.bias!.data[o])
                for i in 0..<5 { want += Double(x.data[r * 5 + i]) * Double(layer.weight.data[o * 5 + i]) }
                var low = 0.0
                for k in 0..<2 {
                    var h = 0.0
                    for i in 0..<5 { h += Double(x.data[r * 5 + i]) * Double(a.down.data[k * 5 + i]) }
                    low += h * Double(a.up.data[o * 2 + k])
                }
                want += 1.5 * low
                #expect(abs(Double(y.data[r * 4 + o]) - want) < 1e-5 * max(1, abs(want)))
            }
        }
    }

    /// Gradients of A and B by finite differences (the engine's checker, tolerance argued there).
    @Test func adapterGradientsMatchFiniteDifferences() {
        var rng = RNG(seed: 11)
        let layer = Linear(6, 5, rng: &rng)
        let a = layer.attachAdapter(rank: 3, alpha: 6, rng: &rng)
        for i in 0..<a.up.count { a.up.storage.pointer[i] = rng.normal() }
        let x = Tensor.randn([4, 6], rng: &rng)
        let reports = gradientCheck([a.down, a.up], depth: 24) { _ in layer(x).gelu() }
        for r in reports { #expect(r.passed, "\(r)") }
    }

    /// Merged weights compute the adapter model's function. The two differ only in rounding: the
    /// merged weight rounds W + ΔW once (relative 2⁻²⁴ per weight) and the products are summed in
    /// another order, so logits of magnitude ~1 through two blocks agree to ~1e-5; a merge that
    /// forgot the α/r scale or transposed B·A would be off by the adapter's size (~0.1–1).
    @Test func mergedWeightsGiveTheUnmergedOutputs() {
        let model = tinyLoRAModel()
        let adapted = Tensor.noGrad { model(tinyIDs).values }
        let merged = model.copy(merging: true)
        #expect(merged.loraSettings == nil)
        let plain = Tensor.noGrad { merged(tinyIDs).values }
        let gap = zip(adapted, plain).map { abs($0 - $1) }.max()!
        #expect(gap < 1e-4, "largest gap \(gap)")
        let base = Tensor.noGrad { model.copy()(tinyIDs).values }
        let effect = zip(adapted, base).map { abs($0 - $1) }.max()!
        #expect(effect > 0.05, "the adapters must change the outputs for the test to mean anything (largest change \(effect))")
        // In place, the same.
        model.mergeLoRA()
        let inPlace = Tensor.noGrad { model(tinyIDs).values }
        #expect(zip(adapted, inPlace).map { abs($0 - $1) }.max()! < 1e-4)
    }

    /// 16·r·d per block, counted against the tensors actually attached.
    @Test func parameterCountFormula() {
        let model = tinyLoRAModel(rank: 3)
        let counted = model.namedParameters().filter { $0.name.contains("lora_") }.reduce(0) { $0 + $1.tensor.count }
        #expect(counted == GPT.loraParameterCount(model.config, rank: 3))
        #expect(counted == 2 * 3 * 16 * 12)
    }
}

@Suite struct GPTCheckpointTests {
    func temporaryPath(_ name: String) -> String {
        NSTemporaryDirectory() + "ch10-\(ProcessInfo.processInfo.processIdentifier)-\(name).safetensors"
    }

    /// An unmerged LoRA checkpoint rebuilds the same model: same configuration, adapters, logits.
    @Test func roundTripWithAdapters() throws {
        let model = tinyLoRAModel(rank: 2, alpha: 4)
        let path = temporaryPath("roundtrip")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try model.saveCheckpoint(to: path)
        let loaded = try GPT.loadCheckpoint(from: path)
        #expect(loaded.config == model.config)
        #expect(loaded.loraSettings?.rank == 2 && loaded.loraSettings?.alpha == 4)
        #expect(Tensor.noGrad { loaded(tinyIDs).values } == Tensor.noGrad { model(tinyIDs).values })
    }

    /// Bad files are refused with errors naming the file and the problem.
    @Test func badCheckpointsNameTheProblem() throws {
        let missing = temporaryPath("does-not-exist")
        #expect(throws: CheckpointError.fileNotFound(file: missing)) { try GPT.loadCheckpoint(from: missing) }

        let model = GPT(GPTConfig(vocab: 17, context: 8, width: 12, heads: 3, layers: 1), seed: 1)
        let plain = temporaryPath("plain")
        defer { try? FileManager.default.removeItem(atPath: plain) }
        try model.save(to: plain)
        #expect(throws: GPTCheckpointError.notAGPT(file: plain, format: nil)) { try GPT.loadCheckpoint(from: plain) }

        let badHeads = temporaryPath("heads")
        defer { try? FileManager.default.removeItem(atPath: badHeads) }
        try model.saveCheckpoint(to: badHeads, extra: [:])
        var file = try SafetensorsFile.read(from: badHeads)
        var meta = file.metadata
        meta["heads"] = "5"
        file = try SafetensorsFile(arrays: file.arrays, metadata: meta)
        try file.write(to: badHeads)
        #expect(throws: GPTCheckpointError.invalidField(file: badHeads, field: "heads", value: "5", expected: "a divisor of the width 12")) {
            try GPT.loadCheckpoint(from: badHeads)
        }

        // A checkpoint whose layers field disagrees with its tensors: the loader names the tensors.
        meta["heads"] = "3"
        meta["layers"] = "2"
        try SafetensorsFile(arrays: file.arrays, metadata: meta).write(to: badHeads)
        do {
            _ = try GPT.loadCheckpoint(from: badHeads)
            Issue.record("a checkpoint with one block loaded as two")
        } catch let error as CheckpointError {
            #expect(error.description.contains("blocks.1"), "\(error)")
        }

        // A truncated file.
        let bytes = try Data(contentsOf: URL(fileURLWithPath: plain))
        try bytes.prefix(bytes.count / 2).write(to: URL(fileURLWithPath: badHeads))
        #expect(throws: CheckpointError.self) { try GPT.loadCheckpoint(from: badHeads) }
    }
}
