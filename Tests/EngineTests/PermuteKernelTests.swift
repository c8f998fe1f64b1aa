import Testing
@testable import Engine

@Suite("PermuteKernelTests")
struct PermuteKernelTests {
    /// (shape, order) pairs: the attention head split (rank 5), a last-two-axes transpose (strided
    /// inner copy), an inner-contiguous move, and sizes of 1.
    static let cases: [([Int], [Int])] = [([3, 7, 3, 4, 5], [2, 0, 3, 1, 4]), ([2, 33, 7], [0, 2, 1]),
                                          ([5, 4, 127], [1, 0, 2]), ([1, 7, 1], [2, 1, 0]), ([4, 3, 5, 2], [3, 1, 0, 2])]

    @Test("permute puts x[idx] at out[idx permuted], for 1 and 2 threads", arguments: cases)
    func matchesIndexing(c: ([Int], [Int])) {
        let (shape, order) = c
        let x = randomTensor(shape, seed: 3, requiresGrad: false)
        let inStrides = Shape.strides(shape)
        let outShape = order.map { shape[$0] }
        var want = [Float](repeating: 0, count: x.count)
        for flat in 0..<x.count {
            // Output multi-index from the flat output position, then the source element.
            var rem = flat, src = 0
            for d in stride(from: outShape.count - 1, through: 0, by: -1) {
                src += (rem % outShape[d]) * inStrides[order[d]]
                rem /= outShape[d]
            }
            want[flat] = x.data[src]
        }
        for threads in [1, 2] {
            let y = withThreads(threads) { permuteKernel(x, order) }
            #expect(y.shape == outShape)
            #expect(y.values.map(\.bitPattern) == want.map(\.bitPattern), "\(shape) \(order) threads \(threads)")
        }
    }
}
