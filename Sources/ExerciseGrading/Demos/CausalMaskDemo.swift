import Datasets
import Engine
import Exercises
import Foundation

/// What training the small model with one mask measured.
public struct MaskDemoResult: Equatable {
    /// Mean training loss over the last tenth of the steps, bits per byte.
    public var trainBits: Double
    /// Validation loss with every position scored in one pass, as in training (bits per byte).
    public var teacherForcedBits: Double
    /// Validation loss when position i is scored from the first i + 1 bytes only, as when the
    /// model generates text and the future does not exist yet (bits per byte).
    public var prefixOnlyBits: Double
    /// Largest change in the logits at earlier positions when only the last byte of a sequence
    /// changes: exactly 0 for a causal mask.
    public var leak: Double
}

/// Why the demo cannot use a mask.
public struct MaskDemoError: Error, CustomStringConvertible {
    /// One line naming the problem.
    public let description: String
}

/// Trains the one-block model with masks from `mask` and measures it (see `MaskDemoResult`).
///
/// `mask(t)` must give t·t booleans (true = hidden) for every t up to `context`, and must leave
/// each query at least one key; otherwise this throws before training. Deterministic for a seed.
public func trainWithMask(_ mask: (Int) throws -> [Bool], context: Int, steps: Int, seed: UInt64) throws -> MaskDemoResult {
    var masks: [Tensor] = []
    for t in 1...context {
        let m = try mask(t)
        guard m.count == t * t else { throw MaskDemoError(description: "causalMask(\(t)) returned \(m.count) values; expected \(t)·\(t) = \(t * t)") }
        for i in 0..<t where (0..<t).allSatisfy({ m[i * t + $0] }) {
            throw MaskDemoError(description: "causalMask(\(t)) hides every key from query \(i): its softmax would have nothing to weigh")
        }
        masks.append(Tensor(shape: [t, t], values: m.map { $0 ? 1 : 0 }))
    }
    var rng = RNG(seed: seed)
    let corpus = ByteCorpus(corpus: StoryCorpus(seed: seed), trainDocuments: 400, validationDocuments: 40)
    let model = MaskedLanguageModel(width: 32, context: context, rng: &rng)
    let optimizer = Adam(model.parameters, lr: 3e-3)
    var dataRNG = rng.fork()
    var recent: [Double] = []
    for step in 0..<steps {
        let batch = corpus.trainingBatch(batch: 16, length: context, rng: &dataRNG)
        optimizer.zeroGrad()
        let loss = crossEntropy(model(batch.inputs, mask: masks[context - 1]), batch.targets.flatMap { $0 })
        loss.backward()
        optimizer.step()
        if step >= steps - max(1, steps / 10) { recent.append(Double(loss.item())) }
    }
    let bits = 1 / log(2.0)
    return Tensor.noGrad {
        let validation = corpus.validationBatches(count: 1, batch: 8, length: context)[0]
        let teacherForced = Double(crossEntropy(model(validation.inputs, mask: masks[context - 1]), validation.targets.flatMap { $0 }).item())
        // Position i scored from a sequence that ends at i: nothing later exists to look at.
        var prefixTotal = 0.0
        for i in 0..<context {
            let logits = model(validation.inputs.map { Array($0[0...i]) }, mask: masks[i])
            let last = logits.slice(axis: 1, i..<(i + 1)).reshape([validation.inputs.count, 256])
            prefixTotal += Double(crossEntropy(last, validation.targets.map { $0[i] }).item())
        }
        var changed = validation.inputs[0]
        changed[context - 1] = (changed[context - 1] + 1) % 256
        let before = model([validation.inputs[0]], mask: masks[context - 1]).values
        let after = model([changed], mask: masks[context - 1]).values
        let earlier = 0..<((context - 1) * 256)
        let leak = earlier.map { Double(abs(before[$0] - after[$0])) }.max() ?? 0
        return MaskDemoResult(trainBits: recent.reduce(0, +) / Double(recent.count) * bits, teacherForcedBits: teacherForced * bits,
                              prefixOnlyBits: prefixTotal / Double(context) * bits, leak: leak)
    }
}

/// The demo `ch02-attention --use-exercise causal-mask` runs: the student's mask and the
/// library's, trained on the same bytes with the same seed, side by side.
public enum CausalMaskDemo {
    /// Runs both trainings and prints the comparison; returns the process exit status (0 when
    /// the student's mask behaves causally, 1 otherwise).
    public static func run(studentMask: (Int) throws -> [Bool], quick: Bool, seed: UInt64) -> Int32 {
        let context = 32, steps = quick ? 300 : 1500
        print("Training a one-block byte-level transformer (width 32, context \(context), \(steps) steps, seed \(seed)) twice:")
        print("once with your causalMask from Sources/Exercises/Ch02Attention.swift, once with the library's.\n")
        let library: (Int) -> [Bool] = { t in (0..<(t * t)).map { $0 % t > $0 / t } }
        let yours: MaskDemoResult
        do {
            yours = try trainWithMask(studentMask, context: context, steps: steps, seed: seed)
        } catch let e as ExerciseError {
            print("Your causalMask is not written yet (\(e)). Fill it in, check it with `swift run -c release grade 2`, and run this again.")
            return 1
        } catch {
            print("Cannot train with your mask: \(error)")
            return 1
        }
        // The library's mask cannot fail the checks above.
        let reference = try! trainWithMask(library, context: context, steps: steps, seed: seed)
        func cells(_ c: [String]) -> String {
            zip(c, [10, 10, 14, 14, 12]).map { $0.padding(toLength: $1, withPad: " ", startingAt: 0) }.joined(separator: " ")
        }
        func row(_ name: String, _ r: MaskDemoResult) -> String {
            cells([name] + [r.trainBits, r.teacherForcedBits, r.prefixOnlyBits].map { String(format: "%.3f", $0) } + [String(format: "%.3g", r.leak)])
        }
        print(cells(["mask", "train", "validation", "as generated", "future leak"]))
        print(row("yours", yours))
        print(row("library", reference))
        print(String(format: "\nUnits: bits per byte on held-out stories. For scale: guessing uniformly scores log₂ 256 = 8 bits, "
            + "and the library's causal run is what this small model reaches in %d steps.", steps))
        print("'validation' scores all positions in one pass, as in training; 'as generated' scores each position from")
        print("the bytes before it only, as when the model writes text; 'future leak' is the largest change in earlier")
        print("positions' logits when only the last byte changes (0 for a causal mask).")
        if yours == reference {
            print("\nYour mask trains exactly the library's model: the same losses to the last bit, and no future leak.")
            return 0
        }
        if yours.leak > 0 {
            print(String(format: """

                Your mask lets earlier positions see later bytes: changing only the last byte moved earlier logits by up to %.3g.
                The validation loss in one pass (%.3f bits) looks better than it is, because the model copies the next byte
                it can see; scored as when generating (%.3f bits) it is worse than the causal model (%.3f). Check the diagonal
                and the direction of the comparison in causalMask.
                """, yours.leak, yours.teacherForcedBits, yours.prefixOnlyBits, reference.prefixOnlyBits))
            return 1
        }
        print(String(format: """

            Your mask does not leak the future but differs from the causal mask: it also hides some earlier bytes, and the
            model scores %.3f bits as generated against %.3f for the causal mask.
            """, yours.prefixOnlyBits, reference.prefixOnlyBits))
        return 1
    }
}
