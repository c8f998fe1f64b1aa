import Datasets
import Engine
import Plot

/// Images of a [n, C, H, W] tensor in [-1, 1] as grid cells (mapped to [0, 1]), with optional captions.
/// The engine stores channels as planes; a `GridImage` wants them interleaved per pixel.
public func gridImages(_ x: Tensor, captions: [String] = []) -> [GridImage] {
    let n = x.shape[0], c = x.shape[1], h = x.shape[2], w = x.shape[3]
    let size = c * h * w, plane = h * w
    return (0..<n).map { i in
        let px = (0..<size).map { j -> Float in
            let pixel = j / c, channel = j % c
            return min(max((x.data[i * size + channel * plane + pixel] + 1) / 2, 0), 1)
        }
        return GridImage(width: w, height: h, channels: c, pixels: px, caption: i < captions.count ? captions[i] : "")
    }
}

/// A short caption for an image's attributes, e.g. "red circle".
public func caption(_ a: ShapeAttributes) -> String { "\(a.color.name) \(a.kind.name)" }
