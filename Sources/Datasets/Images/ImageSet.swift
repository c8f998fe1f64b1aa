import Engine

/// A labelled set of small images, stored as one flat float buffer in [-1, 1].
///
/// Diffusion models and autoencoders work on pixels centred on zero, so every generator in the
/// course writes images in [-1, 1] (−1 black, +1 full intensity) in channel-first order, the layout
/// the engine's convolutions expect. `GridImage`s for figures come from `pixels01(_:)`.
public struct ImageSet: Sendable {
    /// Channels per image (1 grey, 3 RGB).
    public var channels: Int
    /// Image height in pixels.
    public var height: Int
    /// Image width in pixels.
    public var width: Int
    /// All images, [count][channels][height][width] flattened, values in [-1, 1].
    public var pixels: [Float]
    /// The class of each image.
    public var labels: [Int]
    /// A readable name for every class (index = label).
    public var classNames: [String]

    /// An image set from its parts; `pixels.count` must be `labels.count × channels × height × width`.
    public init(channels: Int, height: Int, width: Int, pixels: [Float], labels: [Int], classNames: [String]) {
        precondition(pixels.count == labels.count * channels * height * width, "ImageSet: pixel count does not match labels × C×H×W")
        self.channels = channels
        self.height = height
        self.width = width
        self.pixels = pixels
        self.labels = labels
        self.classNames = classNames
    }

    /// Number of images.
    public var count: Int { labels.count }
    /// Floats per image (C·H·W).
    public var imageSize: Int { channels * height * width }
    /// Number of classes.
    public var classCount: Int { classNames.count }

    /// Image `i` as its C·H·W floats in [-1, 1].
    public func image(_ i: Int) -> ArraySlice<Float> { pixels[(i * imageSize)..<((i + 1) * imageSize)] }

    /// Image `i` mapped to [0, 1] in the order figures draw it: row-major with the channels of each
    /// pixel side by side (RGB RGB …), where the set itself keeps each channel as a whole plane.
    public func pixels01(_ i: Int) -> [Float] {
        let plane = height * width
        let planar = image(i)
        let start = planar.startIndex
        var out = [Float](repeating: 0, count: imageSize)
        for p in 0..<plane {
            for c in 0..<channels {
                out[p * channels + c] = min(max((planar[start + c * plane + p] + 1) / 2, 0), 1)
            }
        }
        return out
    }

    /// The images at `indices` as a [n, C, H, W] tensor.
    public func tensor(indices: [Int]) -> Tensor {
        var values = [Float]()
        values.reserveCapacity(indices.count * imageSize)
        for i in indices { values += image(i) }
        return Tensor(shape: [indices.count, channels, height, width], values: values)
    }

    /// The images in `range` as a [n, C, H, W] tensor.
    public func tensor(_ range: Range<Int>) -> Tensor { tensor(indices: Array(range)) }

    /// The images at `indices` as a new set (labels and class names kept).
    public func subset(_ indices: [Int]) -> ImageSet {
        var values = [Float]()
        values.reserveCapacity(indices.count * imageSize)
        for i in indices { values += image(i) }
        return ImageSet(channels: channels, height: height, width: width, pixels: values,
                        labels: indices.map { labels[$0] }, classNames: classNames)
    }
}
