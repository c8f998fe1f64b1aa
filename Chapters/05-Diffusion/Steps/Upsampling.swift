import Engine

/// The baselines an upscaling model has to beat, and the score it is judged by.
///
/// Images are [N, C, H, W] tensors in [-1, 1]. Low-resolution versions are made by 2×2 averaging
/// (what a camera sensor with bigger pixels would record); upsampling goes back by a factor of 2.

/// Halves the resolution by averaging each 2×2 block.
public func downsample2x(_ images: Tensor) -> Tensor {
    Tensor.noGrad { images.avgPool2d(kernel: 2) }
}

/// Doubles the resolution by repeating every pixel into a 2×2 block.
public func upsampleNearest2x(_ images: Tensor) -> Tensor {
    Tensor.noGrad { images.upsampleNearest(factor: 2) }
}

/// Doubles the resolution by bilinear interpolation with pixel centres aligned as in
/// image resizing (output pixel centre (i + ½)/2 − ½ in input pixels; edges clamp).
///
/// For a factor of 2 every output pixel mixes its two nearest input rows with weights ¾ and ¼,
/// and the same across columns: the smooth estimate that treats the image as sampled from a
/// continuous surface.
public func upsampleBilinear2x(_ images: Tensor) -> Tensor {
    precondition(images.rank == 4, "upsampleBilinear2x needs [N, C, H, W], got \(images.shape)")
    let planes = images.shape[0] * images.shape[1], h = images.shape[2], w = images.shape[3]
    let ho = 2 * h, wo = 2 * w
    let src = images.values
    var out = [Float](repeating: 0, count: planes * ho * wo)
    // Source coordinate of output index o: (o + 0.5)/2 − 0.5, split into a lower index and a weight.
    func taps(_ o: Int, _ size: Int) -> (Int, Int, Float) {
        let c = (Float(o) + 0.5) / 2 - 0.5
        let lo = Int(floorf(c)), frac = c - floorf(c)
        return (min(max(lo, 0), size - 1), min(max(lo + 1, 0), size - 1), frac)
    }
    let rowTaps = (0..<ho).map { taps($0, h) }, colTaps = (0..<wo).map { taps($0, w) }
    for p in 0..<planes {
        let base = p * h * w
        for oy in 0..<ho {
            let (r0, r1, fy) = rowTaps[oy]
            for ox in 0..<wo {
                let (c0, c1, fx) = colTaps[ox]
                let top = src[base + r0 * w + c0] * (1 - fx) + src[base + r0 * w + c1] * fx
                let bottom = src[base + r1 * w + c0] * (1 - fx) + src[base + r1 * w + c1] * fx
                out[p * ho * wo + oy * wo + ox] = top * (1 - fy) + bottom * fy
            }
        }
    }
    return Tensor(shape: [images.shape[0], images.shape[1], ho, wo], values: out)
}

/// Peak signal-to-noise ratio of one image against its reference, in dB:
/// 10·log10(range² / MSE), with `range` the span of pixel values (2 for [-1, 1]).
/// Identical images give +∞.
public func psnr(_ image: ArraySlice<Float>, reference: ArraySlice<Float>, range: Double = 2) -> Double {
    precondition(image.count == reference.count && !image.isEmpty, "psnr: images must have the same, non-zero size")
    var se = 0.0
    for (a, b) in zip(image, reference) { se += Double(a - b) * Double(a - b) }
    let mse = se / Double(image.count)
    return mse == 0 ? .infinity : 10 * log10(range * range / mse)
}

/// Mean PSNR over the images of two [N, ...] tensors, each image scored against its own reference
/// (averaging dB per image, the usual way super-resolution results are reported).
public func meanPSNR(_ images: Tensor, reference: Tensor, range: Double = 2) -> Double {
    precondition(images.shape == reference.shape, "meanPSNR: shapes \(images.shape) and \(reference.shape) differ")
    let n = images.shape[0], per = images.count / n
    let a = images.values, b = reference.values
    var total = 0.0
    for i in 0..<n { total += psnr(a[(i * per)..<((i + 1) * per)], reference: b[(i * per)..<((i + 1) * per)], range: range) }
    return total / Double(n)
}
