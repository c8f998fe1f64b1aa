import Testing
@testable import Engine

/// `withUnsafeValues`, the scoped way to hold a tensor's pointer (a raw `data` pointer kept past
/// a temporary's last use read freed memory in chapter 04; see `Tensor.data`).
@Suite struct TensorAccessTests {
    private struct Refused: Error {}

    @Test func scopedPointerReadsATemporarysValues() {
        let a = randomTensor([3, 5], seed: 41, requiresGrad: false), b = randomTensor([3, 5], seed: 42, requiresGrad: false)
        let want = zip(a.values, b.values).map { ($0 * $1 + 1).bitPattern }
        // The product is a temporary: nothing else refers to it while the closure copies it.
        let read = (a * b + 1).withUnsafeValues { Array(UnsafeBufferPointer(start: $0, count: 15)).map(\.bitPattern) }
        #expect(read == want)
    }

    @Test func scopedPointerOfAReshapeSeesTheSharedStorage() {
        let a = randomTensor([2, 6], seed: 43, requiresGrad: false)
        let third = a.reshape([3, 4]).withUnsafeValues { $0[7] }
        #expect(third.bitPattern == a.values[7].bitPattern)
    }

    @Test func bodyErrorsPassThrough() {
        #expect(throws: Refused.self) { try Tensor([1, 2]).withUnsafeValues { _ in throw Refused() } }
    }
}
