import Engine

/// The simplest way to fill a hole: every hidden pixel takes the mean value of that pixel over
/// the training images. Known pixels are kept. `known` and `mask` are [N, 1, H, W] (mask 1 =
/// known); `pixelMean` holds H·W values.
public func meanFill(known: Tensor, mask: Tensor, pixelMean: [Float]) -> Tensor {
    precondition(known.shape == mask.shape, "meanFill: mask \(mask.shape) must match the images \(known.shape)")
    let per = pixelMean.count
    precondition(per > 0 && known.count % per == 0, "meanFill: \(per) mean pixels do not divide \(known.count) values")
    let x = known.values, m = mask.values
    return Tensor(shape: known.shape, values: (0..<x.count).map { k in m[k] != 0 ? x[k] : pixelMean[k % per] })
}

/// The mean image of a [N, C, H, W] tensor: C·H·W values, each averaged over the N images.
public func pixelMean(_ images: Tensor) -> [Float] {
    let n = images.shape[0], per = images.count / max(n, 1), v = images.values
    var sum = [Double](repeating: 0, count: per)
    for i in 0..<n { for k in 0..<per { sum[k] += Double(v[i * per + k]) } }
    return sum.map { Float($0 / Double(max(n, 1))) }
}

/// Share of images whose predicted class (the argmax of each probability row) equals `labels`.
public func classAgreement(_ probabilities: [[Float]], labels: [Int]) -> Double {
    precondition(probabilities.count == labels.count, "classAgreement: \(probabilities.count) predictions for \(labels.count) labels")
    guard !labels.isEmpty else { return 0 }
    var hits = 0
    for (p, l) in zip(probabilities, labels) where p.indices.max(by: { p[$0] < p[$1] }) == l { hits += 1 }
    return Double(hits) / Double(labels.count)
}

/// Speckle: the share of background pixels of the reference (value ≤ `background`) that the
/// image paints as visible ink (value > `ink`, a tenth of the way from black to white). Clean upscales score near 0; images that keep
/// sampling noise in the background score high. Both tensors have the same shape.
public func backgroundSpeckle(_ images: Tensor, reference: Tensor, background: Float = -0.9, ink: Float = -0.8) -> Double {
    precondition(images.shape == reference.shape, "backgroundSpeckle: shapes \(images.shape) and \(reference.shape) differ")
    var bg = 0, lit = 0
    for (a, r) in zip(images.values, reference.values) where r <= background {
        bg += 1
        if a > ink { lit += 1 }
    }
    return bg == 0 ? 0 : Double(lit) / Double(bg)
}
