import Testing
@testable import Engine

/// The throwing entry points for outside input: a bad argument throws `InvalidArgument` naming
/// it (expected against found) where the op itself would stop the program; a good one gives the
/// op's result bit for bit.
@Suite struct ValidatedEntryPointTests {
    @Test func tensorFromShapeAndValues() throws {
        #expect(throws: InvalidArgument(operation: "Tensor(shape:values:)", argument: "values",
                                        expected: "6 values for shape [2, 3]", found: "5")) {
            try Tensor(validatingShape: [2, 3], values: [1, 2, 3, 4, 5])
        }
        #expect(throws: InvalidArgument(operation: "Tensor(shape:values:)", argument: "shape[1]",
                                        expected: "a size ≥ 0", found: "-2 in [3, -2]")) {
            try Tensor(validatingShape: [3, -2], values: [])
        }
        // 2^62 · 4 overflows Int: an error, not a trap in the multiplication.
        #expect(throws: InvalidArgument.self) { try Tensor(validatingShape: [1 << 62, 4], values: []) }
        let t = try Tensor(validatingShape: [2, 2], values: [1, -2, 3, -4])
        #expect(t.shape == [2, 2] && t.values == [1, -2, 3, -4])
        #expect(try Tensor(validatingShape: [], values: [7]).values == [7])
        #expect(try Tensor(validatingShape: [0, 5], values: []).count == 0)
    }

    @Test func reshapeCounts() throws {
        let x = Tensor(shape: [2, 6], values: (0..<12).map(Float.init))
        #expect(throws: InvalidArgument(operation: "reshape", argument: "shape", expected: "12 values (from [2, 6])",
                                        found: "[5, 2], which holds 10")) { try x.validatedReshape([5, 2]) }
        #expect(throws: InvalidArgument(operation: "reshape", argument: "shape", expected: "at most one -1",
                                        found: "[-1, -1]")) { try x.validatedReshape([-1, -1]) }
        #expect(throws: InvalidArgument(operation: "reshape", argument: "shape", expected: "sizes that divide 12 (from [2, 6])",
                                        found: "[5, -1]")) { try x.validatedReshape([5, -1]) }
        #expect(throws: InvalidArgument.self) { try x.validatedReshape([-3, -4]) }
        let y = try x.validatedReshape([3, -1])
        #expect(y.shape == [3, 4] && y.values == x.reshape([3, 4]).values)
    }

    @Test func embeddingIDs() throws {
        let table = Tensor(shape: [4, 3], values: (0..<12).map { Float($0) * 0.5 }, requiresGrad: true)
        #expect(throws: InvalidArgument(operation: "embedding", argument: "ids[2]", expected: "a token id in 0..<4", found: "4")) {
            try checkedEmbedding(table, ids: [0, 3, 4, 1], shape: [4])
        }
        #expect(throws: InvalidArgument(operation: "embedding", argument: "ids[0]", expected: "a token id in 0..<4", found: "-1")) {
            try checkedEmbedding(table, ids: [-1], shape: [1])
        }
        #expect(throws: InvalidArgument(operation: "embedding", argument: "ids", expected: "6 ids for shape [2, 3]", found: "4")) {
            try checkedEmbedding(table, ids: [0, 1, 2, 3], shape: [2, 3])
        }
        let ids = [3, 0, 3, 1, 2, 2]
        let checked = try checkedEmbedding(table, ids: ids, shape: [2, 3])
        let plain = embedding(table, ids: ids, shape: [2, 3])
        #expect(checked.shape == [2, 3, 3] && checked.values == plain.values)
        // The gradient flows as through the op: each repeated id's row gets the sum of its uses.
        checked.sum().backward()
        #expect(table.grad?.values == [1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2])

        var rng = RNG(seed: 1)
        let layer = Embedding(5, 2, rng: &rng)
        #expect(throws: InvalidArgument(operation: "embedding", argument: "ids[1]", expected: "a token id in 0..<5", found: "9")) {
            try layer.checked(ids: [1, 9])
        }
        #expect(try layer.checked(ids: [4, 0]).values == layer(ids: [4, 0]).values)
        #expect(throws: InvalidArgument(operation: "prompt", argument: "ids[0]", expected: "a token id in 0..<256", found: "300")) {
            try validateTokenIDs([300], vocabulary: 256, operation: "prompt")
        }
    }

    @Test func crossEntropyTargets() throws {
        let logits = Tensor(shape: [3, 4], values: [0.5, -1, 2, 0, 1, 1, -3, 0.25, 0, 0, 0, 4])
        #expect(throws: InvalidArgument(operation: "crossEntropy", argument: "targets[1]", expected: "a class in 0..<4", found: "4")) {
            try checkedCrossEntropy(logits, [0, 4, 2])
        }
        #expect(throws: InvalidArgument(operation: "crossEntropy", argument: "targets",
                                        expected: "3 targets, one per row of [3, 4]", found: "2")) {
            try checkedCrossEntropy(logits, [0, 1])
        }
        // The ignore index is allowed although it lies outside 0..<C; other negatives are not.
        #expect(throws: InvalidArgument(operation: "crossEntropy", argument: "targets[2]", expected: "a class in 0..<4", found: "-1")) {
            try checkedCrossEntropy(logits, [0, -100, -1], ignoreIndex: -100)
        }
        let masked = try checkedCrossEntropy(logits, [0, -100, 3], ignoreIndex: -100).item()
        #expect(masked.bitPattern == crossEntropy(logits, [0, -100, 3], ignoreIndex: -100).item().bitPattern)
        #expect(try checkedCrossEntropy(logits, [2, 1, 3]).item().bitPattern == crossEntropy(logits, [2, 1, 3]).item().bitPattern)
    }

    @Test func conv2dArguments() throws {
        func error(_ argument: String, _ expected: String, _ found: String) -> InvalidArgument {
            InvalidArgument(operation: "conv2d", argument: argument, expected: expected, found: found)
        }
        #expect(throws: error("x", "of rank 4, [N, Cin, H, W]", "[1, 4, 4]")) {
            try validateConv2d(x: [1, 4, 4], w: [2, 1, 3, 3], bias: nil, stride: 1, padding: 0)
        }
        #expect(throws: error("w", "2 input channels (from x [1, 2, 5, 5]) on axis 1", "[4, 3, 3, 3]")) {
            try validateConv2d(x: [1, 2, 5, 5], w: [4, 3, 3, 3], bias: nil, stride: 1, padding: 0)
        }
        #expect(throws: error("stride", "≥ 1", "0")) {
            try validateConv2d(x: [1, 2, 5, 5], w: [4, 2, 3, 3], bias: nil, stride: 0, padding: 0)
        }
        #expect(throws: error("padding", "≥ 0", "-1")) {
            try validateConv2d(x: [1, 2, 5, 5], w: [4, 2, 3, 3], bias: nil, stride: 1, padding: -1)
        }
        // A 5×5 kernel on a 2×2 image padded by 1 (4×4): too large.
        #expect(throws: error("w", "a kernel no larger than the padded input 4×4", "5×5")) {
            try validateConv2d(x: [1, 2, 2, 2], w: [4, 2, 5, 5], bias: nil, stride: 1, padding: 1)
        }
        #expect(throws: error("bias", "[4]", "[3]")) {
            try validateConv2d(x: [1, 2, 5, 5], w: [4, 2, 3, 3], bias: [3], stride: 1, padding: 0)
        }
        #expect(throws: InvalidArgument.self) {
            try validateConv2d(x: [1, 2, -5, 5], w: [4, 2, 3, 3], bias: nil, stride: 1, padding: 0)
        }
        // Good arguments: the same bits as conv2d, including the legal edge where the kernel
        // equals the padded input (issue 27's crash was at such edges).
        var rng = RNG(seed: 3)
        let x = Tensor.randn([2, 2, 3, 3], rng: &rng), w = Tensor.randn([4, 2, 5, 5], rng: &rng), b = Tensor.randn([4], rng: &rng)
        let checked = try checkedConv2d(x, w, b, stride: 2, padding: 1)
        let plain = conv2d(x, w, b, stride: 2, padding: 1)
        #expect(checked.shape == [2, 4, 1, 1])
        #expect(checked.values.map(\.bitPattern) == plain.values.map(\.bitPattern))
    }

    @Test func categoricalWeights() throws {
        var rng = RNG(seed: 9)
        #expect(throws: InvalidArgument(operation: "RNG.categorical", argument: "weights", expected: "a positive total",
                                        found: "3 weights summing to 0.0")) { try rng.checkedCategorical([0, 0, 0]) }
        #expect(throws: InvalidArgument(operation: "RNG.categorical", argument: "weights[1]", expected: "a finite weight ≥ 0",
                                        found: "nan")) { try rng.checkedCategorical([1, .nan, 2]) }
        #expect(throws: InvalidArgument(operation: "RNG.categorical", argument: "weights[0]", expected: "a finite weight ≥ 0",
                                        found: "-1.0")) { try rng.checkedCategorical([-1, 2]) }
        #expect(throws: InvalidArgument.self) { try rng.checkedCategorical([]) }
        // Valid weights: the same draws and the same generator state as `categorical`.
        var a = RNG(seed: 4), b = RNG(seed: 4)
        let weights: [Float] = [0.1, 0, 2, 0.7, 1.2]
        for _ in 0..<200 { #expect(try a.checkedCategorical(weights) == b.categorical(weights)) }
        #expect(a.next() == b.next())
        // The message names the argument.
        let e = InvalidArgument(operation: "embedding", argument: "ids[2]", expected: "a token id in 0..<4", found: "4")
        #expect(e.description == "embedding: ids[2] must be a token id in 0..<4, found 4")
    }
}
