/// A small image given as floats in [0, 1] (values outside are clamped), grey or RGB.
public struct GridImage: Sendable {
    /// Width in pixels.
    public var width: Int
    /// Height in pixels.
    public var height: Int
    /// 1 (grey) or 3 (RGB, interleaved).
    public var channels: Int
    /// `width * height * channels` values, row-major from the top row.
    public var pixels: [Double]
    /// Text under the image (may be empty).
    public var caption: String

    /// Creates an image from [Float] or [Double] values in [0, 1].
    public init<T: BinaryFloatingPoint>(width: Int, height: Int, channels: Int = 1, pixels: [T], caption: String = "") {
        self.width = width
        self.height = height
        self.channels = channels
        self.pixels = doubles(pixels)
        self.caption = caption
    }

    /// The image as 8-bit pixels (NaN shows as mid grey).
    public var pngImage: PNGImage {
        let format: PixelFormat = channels == 3 ? .rgb : .grey
        let n = max(width, 1) * max(height, 1) * format.channels
        let bytes = (0..<n).map { i -> UInt8 in
            let v = i < pixels.count ? pixels[i] : 0.5
            return UInt8((min(max(v.isNaN ? 0.5 : v, 0), 1) * 255).rounded())
        }
        return PNGImage(width: max(width, 1), height: max(height, 1), format: format, storage: bytes)
    }
}

/// A grid of small images enlarged with nearest-neighbour sampling (pixels stay visible squares),
/// with optional captions under each image and labels for rows and columns.
public struct ImageGrid: Chart {
    /// Title above the grid.
    public var title: String
    /// The images, filled row by row.
    public var images: [GridImage]
    /// Images per row.
    public var columns: Int
    /// Labels left of each row (e.g. "step 0", "step 500"), or empty.
    public var rowLabels: [String]
    /// Labels above each column (e.g. "t = 0", "t = 250"), or empty.
    public var columnLabels: [String]
    /// Canvas width for a standalone render.
    public var width: Int
    /// Canvas height for a standalone render.
    public var height: Int
    /// Text sizes.
    public var style: ChartStyle

    /// Creates an image grid.
    public init(title: String, images: [GridImage], columns: Int, rowLabels: [String] = [], columnLabels: [String] = [],
                width: Int = 1200, height: Int = 800) {
        self.title = title
        self.images = images
        self.columns = max(columns, 1)
        self.rowLabels = rowLabels
        self.columnLabels = columnLabels
        self.width = width
        self.height = height
        self.style = ChartStyle()
    }

    /// Creates an image grid whose canvas is just large enough to draw every source pixel as a
    /// `pixelScale` × `pixelScale` block, so the figure has no empty margin around small thumbnails.
    public init(title: String, images: [GridImage], columns: Int, rowLabels: [String] = [], columnLabels: [String] = [],
                pixelScale: Int) {
        self.init(title: title, images: images, columns: columns, rowLabels: rowLabels, columnLabels: columnLabels)
        let (chromeW, chromeH, cellExtraH) = layoutChrome()
        let gap = Self.gap, s = Double(max(pixelScale, 1))
        let maxW = Double(images.map(\.width).max() ?? 1), maxH = Double(images.map(\.height).max() ?? 1)
        width = Int((chromeW + Double(self.columns) * (maxW * s + gap)).rounded(.up))
        height = Int((chromeH + Double(max(rowCount, 1)) * (maxH * s + gap + cellExtraH)).rounded(.up))
        // The title must fit too.
        width = max(width, Int(BitmapFont.measure(title, size: style.titleSize).width + 2 * style.padding + 1))
    }

    /// Space between neighbouring images, in canvas pixels.
    static let gap = 10.0

    /// The canvas space taken by everything but the images: (width, height) outside the image
    /// area, and the extra height per row for captions.
    private func layoutChrome() -> (width: Double, height: Double, captionH: Double) {
        let p = style.padding
        let tickH = BitmapFont.measure("0", size: style.tickSize).height
        let titleH = title.isEmpty ? 0 : BitmapFont.measure(title, size: style.titleSize).height + p
        let colLabelH = columnLabels.isEmpty ? 0 : tickH + 8
        let rowLabelW = (rowLabels.map { BitmapFont.measure($0, size: style.tickSize).width }.max() ?? 0) + (rowLabels.isEmpty ? 0 : 12)
        let captionH = images.contains { !$0.caption.isEmpty } ? tickH + 6 : 0
        return (2 * p + rowLabelW, 2 * p + titleH + colLabelH, captionH)
    }

    /// Number of rows the images fill.
    public var rowCount: Int { (images.count + columns - 1) / max(columns, 1) }

    /// Checks that each image has width × height × channels values and 1 or 3 channels.
    public func validate() throws {
        for (i, im) in images.enumerated() {
            guard im.channels == 1 || im.channels == 3 else {
                throw PlotError("ImageGrid \"\(title)\" image \(i): \(im.channels) channels, expected 1 or 3")
            }
            guard im.width > 0, im.height > 0, im.pixels.count == im.width * im.height * im.channels else {
                throw PlotError("ImageGrid \"\(title)\" image \(i): \(im.pixels.count) values for \(im.width)x\(im.height)x\(im.channels)")
            }
        }
    }

    /// The rectangle each image is drawn in when rendered into `frame` (whole canvas by default).
    public func imageRects(in frame: Rect? = nil) -> [Rect] {
        geometry(in: frame ?? Rect(x: 0, y: 0, width: Double(width), height: Double(height))).rects
    }

    private func geometry(in frame: Rect) -> (rects: [Rect], captionH: Double) {
        let p = style.padding
        let (chromeW, chromeH, captionH) = layoutChrome()
        let area = Rect(x: frame.x + chromeW - p, y: frame.y + chromeH - p,
                        width: frame.width - chromeW, height: frame.height - chromeH)
        let rows = max(rowCount, 1)
        let gap = Self.gap
        let cellW = area.width / Double(columns), cellH = area.height / Double(rows)
        let maxW = Double(images.map(\.width).max() ?? 1), maxH = Double(images.map(\.height).max() ?? 1)
        var s = min((cellW - gap) / maxW, (cellH - gap - captionH) / maxH)
        if s >= 1 { s = s.rounded(.down) }  // whole-pixel blocks keep every source pixel the same size
        s = max(s, 0.1)
        let usedW = Double(columns) * (maxW * s + gap), usedH = Double(rows) * (maxH * s + gap + captionH)
        let x0 = area.x + (area.width - usedW) / 2, y0 = area.y + max((area.height - usedH) / 2, 0)
        var rects: [Rect] = []
        for (i, im) in images.enumerated() {
            let r = i / columns, c = i % columns
            let cx = x0 + (Double(c) + 0.5) * (maxW * s + gap)
            let top = y0 + Double(r) * (maxH * s + gap + captionH) + gap / 2
            let w = Double(im.width) * s, h = Double(im.height) * s
            rects.append(Rect(x: (cx - w / 2).rounded(), y: (top + (maxH * s - h) / 2).rounded(), width: w.rounded(), height: h.rounded()))
        }
        return (rects, captionH)
    }

    /// Draws the grid into `frame` of `canvas`.
    public func draw(on canvas: inout Canvas, in frame: Rect) {
        let (rects, captionH) = geometry(in: frame)
        for (im, rect) in zip(images, rects) {
            canvas.drawImage(im.pngImage, in: rect)
            canvas.strokeRect(rect.inset(by: -1), color: Color(190, 190, 190), lineWidth: 1)
            if captionH > 0, !im.caption.isEmpty {
                var size = style.tickSize
                while size > 9, BitmapFont.measure(im.caption, size: size).width > rect.width + 8 { size -= 1 }
                canvas.drawText(im.caption, at: Point(rect.midX, rect.maxY + 6), size: size, color: .ink, align: .center, valign: .top)
            }
        }
        for (c, label) in columnLabels.enumerated() where c < min(columns, rects.count) {
            canvas.drawText(label, at: Point(rects[c].midX, rects[c].y - 10), size: style.tickSize, color: .ink,
                            align: .center, valign: .bottom)
        }
        for (r, label) in rowLabels.enumerated() where r * columns < rects.count {
            let rect = rects[r * columns]
            canvas.drawText(label, at: Point(rect.x - 12, rect.midY), size: style.tickSize, color: .ink, align: .right, valign: .middle)
        }
        drawTitle(title, in: frame, style: style, on: &canvas)
    }

    /// One row per image: index, caption, size, channels and the 8-bit pixel values the PNG shows
    /// (0–255, space-separated, row-major, channels interleaved), so the CSV alone reconstructs the
    /// figure. Full float precision would make the CSV of a grid of colour images megabytes long
    /// while adding nothing the figure can show.
    public func csv() -> CSVTable {
        var t = CSVTable(header: ["image", "caption", "width", "height", "channels", "pixels_0_255"])
        for (i, im) in images.enumerated() {
            t.rows.append([String(i), im.caption, String(im.width), String(im.height), String(im.channels),
                           im.pngImage.pixels.map { String($0) }.joined(separator: " ")])
        }
        return t
    }
}
