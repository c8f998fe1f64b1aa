import Datasets
import Engine
import Models

/// Moving around in a trained latent space: encoding to the code (the VAE's mean), straight lines
/// between codes, attribute directions, and draws from the prior.

/// The codes of `images` at `indices` (the encoder's mean for a VAE): [n, C, h, w].
public func encodeMeans(_ model: Autoencoder, _ images: ImageSet, indices: [Int]) -> Tensor {
    Tensor.noGrad { model.encode(images.tensor(indices: indices)).mean }
}

/// The codes of every image in `images`, in batches of `batch`, as one [N, C, h, w] tensor.
public func encodeAll(_ model: Autoencoder, _ images: ImageSet, batch: Int = 100) -> Tensor {
    var parts: [Tensor] = []
    var start = 0
    while start < images.count {
        let end = min(images.count, start + batch)
        parts.append(encodeMeans(model, images, indices: Array(start..<end)))
        start = end
    }
    return Tensor.concat(parts, axis: 0)
}

/// Decodes latents [n, C, h, w] without a graph, clipped to the pixel range [-1, 1].
public func decodeImages(_ model: Autoencoder, _ z: Tensor) -> Tensor {
    let x = Tensor.noGrad { model.decode(z) }
    let p = x.storage.pointer
    for i in 0..<x.count { p[i] = min(1, max(-1, p[i])) }
    return x
}

/// The straight line from code `a` to code `b` ([1, C, h, w] each) in `frames` evenly spaced
/// points, both ends included: [frames, C, h, w].
public func interpolate(_ a: Tensor, _ b: Tensor, frames: Int) -> Tensor {
    precondition(a.shape == b.shape && a.shape[0] == 1, "interpolate: needs two [1, …] codes of one shape, got \(a.shape) and \(b.shape)")
    precondition(frames >= 2, "interpolate: needs at least 2 frames, got \(frames)")
    let n = a.count
    var values = [Float](repeating: 0, count: frames * n)
    for f in 0..<frames {
        let t = Float(f) / Float(frames - 1)
        for i in 0..<n { values[f * n + i] = (1 - t) * a.data[i] + t * b.data[i] }
    }
    return Tensor(shape: [frames] + Array(a.shape.dropFirst()), values: values)
}

/// The mean code of the images whose label is `positive` minus the mean code of those whose label
/// is `negative`: the direction that, on average, turns one attribute into the other.
public func attributeVector(codes: Tensor, labels: [Int], positive: Int, negative: Int) -> Tensor {
    precondition(codes.shape[0] == labels.count, "attributeVector: \(codes.shape[0]) codes but \(labels.count) labels")
    let n = codes.count / codes.shape[0]
    var pos = [Double](repeating: 0, count: n), neg = pos
    var np = 0, nn = 0
    for (row, label) in labels.enumerated() where label == positive || label == negative {
        let base = codes.data + row * n
        if label == positive {
            np += 1
            for i in 0..<n { pos[i] += Double(base[i]) }
        } else {
            nn += 1
            for i in 0..<n { neg[i] += Double(base[i]) }
        }
    }
    precondition(np > 0 && nn > 0, "attributeVector: no images with label \(positive) or \(negative)")
    return Tensor(shape: [1] + Array(codes.shape.dropFirst()),
                  values: (0..<n).map { Float(pos[$0] / Double(np) - neg[$0] / Double(nn)) })
}

/// Adds `scale`·`direction` ([1, …]) to every code in `codes` ([n, …]).
public func shifted(_ codes: Tensor, by direction: Tensor, scale: Float) -> Tensor {
    Tensor.noGrad { codes + direction * scale }
}

/// Per-coordinate mean and standard deviation of a set of codes, pooled over every coordinate:
/// how far the codes sit from the prior's mean 0 and spread 1.
public func codeStatistics(_ codes: Tensor) -> (mean: Double, std: Double) {
    let p = codes.data, n = codes.count
    var s = 0.0, ss = 0.0
    for i in 0..<n { s += Double(p[i]); ss += Double(p[i]) * Double(p[i]) }
    let mean = s / Double(n)
    return (mean, (ss / Double(n) - mean * mean).squareRoot())
}

/// Multiply-accumulates of the encoder alone for one side×side image (the decoder's share is
/// `forwardMACs` minus this).
public func aeEncoderMACs(_ model: Autoencoder, side: Int) -> Int {
    var h = side, total = 0
    for layer in model.encoder.layers {
        if let conv = layer as? Conv2d {
            let k = conv.weight.shape[2]
            h = (h + 2 * conv.padding - k) / conv.stride + 1
            total += conv.weight.count * h * h
        }
    }
    return total
}
