/// 2-D convolution, with its backward rule beside it.
///
/// Every output pixel is a dot product of one filter with one Cin×kH×kW patch of the input. im2col
/// copies each patch into a column of a matrix, so the convolution of the whole batch becomes a
/// single matrix product W[Cout, K] · cols[K, N·Ho·Wo] with K = Cin·kH·kW, and the backward rule
/// becomes two more: dW = G·colsᵀ and dcols = Wᵀ·G, followed by col2im (im2col's adjoint) for dx.
/// Fast/ConvDispatch.swift computes these products a group of samples at a time, or by
/// Winograd's algorithm where it applies; Reference/ReferenceConvolution.swift is the six loops.

/// The sizes of one convolution, shared by forward, backward and the reference.
struct ConvGeometry {
    let n: Int, cin: Int, h: Int, w: Int
    let cout: Int, kh: Int, kw: Int
    let stride: Int, padding: Int
    let ho: Int, wo: Int

    /// Validates x [N, Cin, H, W] against w [Cout, Cin, kH, kW] and derives the output size.
    init(x: [Int], w: [Int], stride: Int, padding: Int) {
        precondition(x.count == 4, "conv2d: input must be [N, Cin, H, W], got \(x)")
        precondition(w.count == 4, "conv2d: weight must be [Cout, Cin, kH, kW], got \(w)")
        precondition(x[1] == w[1], "conv2d: input has \(x[1]) channels but weight \(w) expects \(w[1])")
        precondition(stride >= 1, "conv2d: stride must be ≥ 1, got \(stride)")
        precondition(padding >= 0, "conv2d: padding must be ≥ 0, got \(padding)")
        precondition(w[2] >= 1 && w[3] >= 1, "conv2d: empty kernel \(w)")
        precondition(x[2] + 2 * padding >= w[2] && x[3] + 2 * padding >= w[3],
                     "conv2d: kernel \(w[2])×\(w[3]) is larger than the padded input \(x[2])×\(x[3]) (padding \(padding))")
        n = x[0]; cin = x[1]; h = x[2]; self.w = x[3]
        cout = w[0]; kh = w[2]; kw = w[3]
        self.stride = stride; self.padding = padding
        ho = (h + 2 * padding - kh) / stride + 1
        wo = (x[3] + 2 * padding - kw) / stride + 1
    }

    /// Length of each output's dot product: the rows of cols.
    var k: Int { cin * kh * kw }
    /// Output pixels per sample and channel.
    var pixels: Int { ho * wo }
    /// Columns of cols: one per output pixel of the whole batch.
    var columns: Int { n * ho * wo }
}

extension ConvGeometry {
    /// The same sizes as the reference path's shape.
    var referenceShape: Reference.ConvShape {
        Reference.ConvShape(n: n, cin: cin, h: h, w: w, cout: cout, kh: kh, kw: kw, stride: stride, padding: padding)
    }
}

/// 2-D cross-correlation (what deep learning calls convolution), PyTorch's layout and semantics.
///
/// x [N, Cin, H, W], w [Cout, Cin, kH, kW], b [Cout] or nil → [N, Cout, Ho, Wo] with
/// Ho = (H + 2·padding − kH) / stride + 1 (rounded down; rows past the last full window are unused),
/// and zero padding on all four sides. Backward: dx = col2im(Wᵀ·G), dW = G·colsᵀ, db = Σ G per
/// channel. Reference twin: `Reference.conv2dForward`/`conv2dBackward` (six plain loops).
public func conv2d(_ x: Tensor, _ w: Tensor, _ b: Tensor?, stride: Int = 1, padding: Int = 0) -> Tensor {
    let g = ConvGeometry(x: x.shape, w: w.shape, stride: stride, padding: padding)
    if let b { precondition(b.shape == [g.cout], "conv2d: bias \(b.shape), expected [\(g.cout)]") }
    if Engine.useReference { return Reference.conv2dOp(x, w, b, g.referenceShape) }
    let out = conv2dFastForward(g, x: x, w: w, b: b)
    let inputs = b.map { [x, w, $0] } ?? [x, w]
    return Tensor.record(out, inputs) { gr in
        Array(conv2dFastBackward(g, x: x, w: w, b: b, upstream: gr).prefix(inputs.count))
    }
}

/// The convolution as the textbook's six nested loops, accumulated in Double: a near-exact,
/// obviously correct reference for tests (forward only, no graph): `Reference.conv2dForward`
/// wrapped for tensors.
func conv2dReference(_ x: Tensor, _ w: Tensor, _ b: Tensor?, stride: Int = 1, padding: Int = 0) -> Tensor {
    let g = ConvGeometry(x: x.shape, w: w.shape, stride: stride, padding: padding)
    return Tensor(shape: [g.n, g.cout, g.ho, g.wo], values: Reference.conv2dForward(x.values, w.values, b?.values, g.referenceShape))
}
