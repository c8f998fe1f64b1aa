/// A raster image to draw on: 8 bits per channel, RGB or RGBA, with optional clipping.
///
/// Every drawing call ends in `blend(x:y:color:coverage:)`: shapes compute how much of each pixel
/// they cover (0–1) and the colour is mixed in by coverage × alpha. That one rule gives
/// anti-aliasing, transparency and clipping everywhere.
public struct Canvas {
    /// Width in pixels.
    public let width: Int
    /// Height in pixels.
    public let height: Int
    /// `.rgb` or `.rgba` (a `.grey` request is stored as RGB).
    public let format: PixelFormat
    /// Interleaved pixel bytes, rows top to bottom.
    public private(set) var pixels: [UInt8]
    /// When set, drawing only changes pixels whose centre lies inside this rectangle.
    public var clip: Rect?

    /// A canvas filled with `background` (white by default).
    public init(width: Int, height: Int, format: PixelFormat = .rgb, background: Color = .white) {
        self.width = max(width, 1)
        self.height = max(height, 1)
        self.format = format == .grey ? .rgb : format
        let n = self.format.channels
        var px = [UInt8](repeating: 0, count: self.width * self.height * n)
        let fill: [UInt8] = n == 4 ? [background.r, background.g, background.b, background.a] : [background.r, background.g, background.b]
        for i in 0..<(self.width * self.height) {
            for c in 0..<n { px[i * n + c] = fill[c] }
        }
        self.pixels = px
    }

    /// The colour stored at a pixel (opaque for RGB canvases); clear outside the canvas.
    public func pixel(x: Int, y: Int) -> Color {
        guard x >= 0, y >= 0, x < width, y < height else { return .clear }
        let n = format.channels, i = (y * width + x) * n
        return Color(pixels[i], pixels[i + 1], pixels[i + 2], n == 4 ? pixels[i + 3] : 255)
    }

    /// Mixes `color` into one pixel, weighted by `coverage` (0–1) and the colour's alpha.
    /// RGBA canvases composite "source over" with straight alpha.
    @inline(__always)
    public mutating func blend(x: Int, y: Int, color: Color, coverage: Double) {
        guard x >= 0, y >= 0, x < width, y < height, coverage > 0 else { return }
        if let clip {
            let cx = Double(x) + 0.5, cy = Double(y) + 0.5
            guard cx >= clip.x, cx <= clip.maxX, cy >= clip.y, cy <= clip.maxY else { return }
        }
        let a = min(coverage, 1) * Double(color.a) / 255
        guard a > 0 else { return }
        let n = format.channels, i = (y * width + x) * n
        if n == 3 || a >= 1 {
            pixels[i] = mix(pixels[i], color.r, a)
            pixels[i + 1] = mix(pixels[i + 1], color.g, a)
            pixels[i + 2] = mix(pixels[i + 2], color.b, a)
            if n == 4 { pixels[i + 3] = a >= 1 ? 255 : UInt8((Double(pixels[i + 3]) * (1 - a) + 255 * a).rounded()) }
        } else {
            let da = Double(pixels[i + 3]) / 255
            let outA = a + da * (1 - a)
            for c in 0..<3 {
                let s = Double([color.r, color.g, color.b][c]), d = Double(pixels[i + c])
                pixels[i + c] = UInt8(((s * a + d * da * (1 - a)) / outA).rounded())
            }
            pixels[i + 3] = UInt8((outA * 255).rounded())
        }
    }

    @inline(__always)
    private func mix(_ d: UInt8, _ s: UInt8, _ a: Double) -> UInt8 {
        UInt8((Double(d) * (1 - a) + Double(s) * a).rounded())
    }

    /// Fills a rectangle; fractional edges get partial coverage so thin bars stay crisp but exact.
    public mutating func fillRect(_ rect: Rect, color: Color) {
        let x0 = max(Int(rect.x.rounded(.down)), 0), x1 = min(Int(rect.maxX.rounded(.up)), width)
        let y0 = max(Int(rect.y.rounded(.down)), 0), y1 = min(Int(rect.maxY.rounded(.up)), height)
        guard x0 < x1, y0 < y1 else { return }
        for y in y0..<y1 {
            let cy = min(Double(y + 1), rect.maxY) - max(Double(y), rect.y)
            guard cy > 0 else { continue }
            for x in x0..<x1 {
                let cx = min(Double(x + 1), rect.maxX) - max(Double(x), rect.x)
                if cx > 0 { blend(x: x, y: y, color: color, coverage: cx * cy) }
            }
        }
    }

    /// Outlines a rectangle with a border of `lineWidth` pixels drawn inside its edges.
    public mutating func strokeRect(_ rect: Rect, color: Color, lineWidth: Double = 1) {
        let w = min(lineWidth, rect.width / 2, rect.height / 2)
        fillRect(Rect(x: rect.x, y: rect.y, width: rect.width, height: w), color: color)
        fillRect(Rect(x: rect.x, y: rect.maxY - w, width: rect.width, height: w), color: color)
        fillRect(Rect(x: rect.x, y: rect.y + w, width: w, height: rect.height - 2 * w), color: color)
        fillRect(Rect(x: rect.maxX - w, y: rect.y + w, width: w, height: rect.height - 2 * w), color: color)
    }

    /// Draws an image scaled into `rect` with nearest-neighbour sampling, so small images (16x16
    /// digits) stay sharp-edged when enlarged. Grey images are drawn as grey RGB.
    public mutating func drawImage(_ image: PNGImage, in rect: Rect) {
        let x0 = max(Int(rect.x.rounded()), 0), x1 = min(Int(rect.maxX.rounded()), width)
        let y0 = max(Int(rect.y.rounded()), 0), y1 = min(Int(rect.maxY.rounded()), height)
        guard x0 < x1, y0 < y1 else { return }
        let n = image.format.channels
        for y in y0..<y1 {
            let sy = min(Int((Double(y) + 0.5 - rect.y) / rect.height * Double(image.height)), image.height - 1)
            for x in x0..<x1 {
                let sx = min(Int((Double(x) + 0.5 - rect.x) / rect.width * Double(image.width)), image.width - 1)
                let i = (max(sy, 0) * image.width + max(sx, 0)) * n
                let c: Color
                switch image.format {
                case .grey: c = Color(image.pixels[i], image.pixels[i], image.pixels[i])
                case .rgb: c = Color(image.pixels[i], image.pixels[i + 1], image.pixels[i + 2])
                case .rgba: c = Color(image.pixels[i], image.pixels[i + 1], image.pixels[i + 2], image.pixels[i + 3])
                }
                blend(x: x, y: y, color: c, coverage: 1)
            }
        }
    }

    /// Blends a coverage mask (row-major, `maskWidth` wide) with its top-left at pixel (x, y).
    mutating func blendMask(_ mask: [Float], maskWidth: Int, x: Int, y: Int, color: Color) {
        guard maskWidth > 0 else { return }
        let maskHeight = mask.count / maskWidth
        for my in 0..<maskHeight {
            for mx in 0..<maskWidth {
                let c = mask[my * maskWidth + mx]
                if c > 0.002 { blend(x: x + mx, y: y + my, color: color, coverage: Double(c)) }
            }
        }
    }

    /// The pixels as an image value (for encoding or comparing).
    public var image: PNGImage {
        PNGImage(width: width, height: height, format: format, storage: pixels)
    }

    /// Writes the canvas as a PNG, atomically.
    public func write(to path: String) throws {
        try PNG.write(image, to: path)
    }
}

extension PNGImage {
    /// Internal init for buffers whose size is correct by construction.
    init(width: Int, height: Int, format: PixelFormat, storage: [UInt8]) {
        self.width = width
        self.height = height
        self.format = format
        self.pixels = storage
    }
}
