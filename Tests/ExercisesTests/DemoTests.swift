import Engine
import Testing
@testable import ExerciseGrading

/// The `--use-exercise causal-mask` demo measures what it claims, on a tiny run.
@Suite struct CausalMaskDemoTests {
    let causal: (Int) -> [Bool] = { t in (0..<(t * t)).map { $0 % t > $0 / t } }

    /// With the causal mask no earlier logit moves when the last byte changes, and scoring each
    /// position from its prefix alone gives the one-pass loss (equal up to float rounding, as the
    /// shapes of the products differ).
    @Test func causalMaskDoesNotLeak() throws {
        let r = try Parallel.withThreads(1) { try trainWithMask(causal, context: 8, steps: 20, seed: 1) }
        #expect(r.leak == 0)
        #expect(abs(r.prefixOnlyBits - r.teacherForcedBits) < 1e-4)
        #expect(r.trainBits < 8)  // below the uniform 8 bits per byte after 20 steps
    }

    /// With no mask the model sees the future: earlier logits move with the last byte, and the
    /// one-pass loss no longer equals the loss as generated.
    @Test func openMaskLeaks() throws {
        let open: (Int) -> [Bool] = { t in [Bool](repeating: false, count: t * t) }
        let r = try Parallel.withThreads(1) { try trainWithMask(open, context: 8, steps: 20, seed: 1) }
        #expect(r.leak > 1e-3)
        #expect(abs(r.prefixOnlyBits - r.teacherForcedBits) > 1e-3)
    }

    /// Same seed, same numbers; and a thread count does not change them.
    @Test func deterministic() throws {
        let a = try Parallel.withThreads(1) { try trainWithMask(causal, context: 8, steps: 10, seed: 3) }
        let b = try Parallel.withThreads(2) { try trainWithMask(causal, context: 8, steps: 10, seed: 3) }
        #expect(a == b)
    }

    /// A mask of the wrong size, or one that hides a query's every key, is refused with a message.
    @Test func badMasksAreRefused() {
        #expect(throws: MaskDemoError.self) { try trainWithMask({ _ in [false] }, context: 4, steps: 1, seed: 0) }
        let all: (Int) -> [Bool] = { t in (0..<(t * t)).map { $0 % t >= $0 / t } }
        #expect(throws: MaskDemoError.self) { try trainWithMask(all, context: 4, steps: 1, seed: 0) }
    }
}
