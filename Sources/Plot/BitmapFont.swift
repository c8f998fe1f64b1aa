/// Horizontal placement of text relative to its anchor point.
public enum HAlign: Sendable {
    /// The anchor is the left edge.
    case left
    /// The anchor is the horizontal centre.
    case center
    /// The anchor is the right edge.
    case right
}

/// Vertical placement of text relative to its anchor point.
public enum VAlign: Sendable {
    /// The anchor is the top of the text box (top of capitals).
    case top
    /// The anchor is the middle of the capitals (what centres a label on a tick).
    case middle
    /// The anchor is the baseline.
    case baseline
    /// The anchor is the bottom of the text box (below descenders).
    case bottom
}

/// The built-in bitmap font (glyphs in FontGlyphs.swift), drawn smoothly at any size.
///
/// Glyphs are 7 units tall to the baseline (plus 2 for descenders). To draw at a scale, each output
/// pixel takes 4x4 samples; a sample is inked when the bilinear interpolation of the glyph's cells
/// is at least a threshold below one half. Bilinear interpolation turns pixel stairs into straight
/// diagonals and rounds corners, and the sample average anti-aliases the edge, so scaled text is
/// smooth rather than blocky. At size 14 (scale 2) vertical and horizontal strokes are exactly two
/// pixels wide and crisp.
public enum BitmapFont {
    /// One glyph: `rows` of `width` cells, true for ink.
    struct Glyph {
        let width: Int
        let ink: [[Bool]]
    }

    /// Cell rows in every glyph box (7 above the baseline, 2 below).
    static let rows = 9
    /// Rows from the top of the box to the baseline.
    static let ascent = 7.0

    /// Character (one Unicode scalar) to glyph, parsed once from the sources.
    static let glyphs: [Unicode.Scalar: Glyph] = {
        var table: [Unicode.Scalar: Glyph] = [:]
        for source in [asciiSource, extraSource] {
            var current: Unicode.Scalar?
            var lines: [Substring] = []
            func flush() {
                guard let c = current else { return }
                let width = lines.first?.count ?? 0
                var ink = lines.map { $0.map { $0 == "#" } }
                while ink.count < rows { ink.append([Bool](repeating: false, count: width)) }
                table[c] = Glyph(width: width, ink: ink)
            }
            for line in source.split(separator: "\n", omittingEmptySubsequences: true) {
                let scalars = Array(line.unicodeScalars)
                if scalars.count == 3, scalars[0] == "[", scalars[2] == "]", !(line.allSatisfy { $0 == "." || $0 == "#" }) {
                    flush()
                    current = scalars[1]
                    lines = []
                } else {
                    lines.append(line)
                }
            }
            flush()
        }
        return table
    }()

    /// True when the font has a real glyph (not the replacement box) for every character of `text`.
    public static func covers(_ text: String) -> Bool {
        text.unicodeScalars.allSatisfy { glyphs[$0] != nil }
    }

    static func glyph(_ scalar: Unicode.Scalar) -> Glyph {
        glyphs[scalar] ?? glyphs["\u{FFFD}"]!
    }

    /// Pixels per font unit for a text size; `size` is the height of capitals in pixels.
    static func scale(for size: Double) -> Double { max(size, 3) / ascent }

    /// Width of `text` in font units (glyph widths plus one unit between neighbours).
    static func units(_ text: String) -> Int {
        var total = 0, count = 0
        for s in text.unicodeScalars {
            total += glyph(s).width
            count += 1
        }
        return total + max(count - 1, 0)
    }

    /// The size of `text` in pixels at `size` (capital height in pixels): width, and the height of
    /// the full box including descenders (9/7 of `size`).
    public static func measure(_ text: String, size: Double) -> (width: Double, height: Double) {
        let s = scale(for: size)
        return (Double(units(text)) * s, Double(rows) * s)
    }

    /// Renders `text` to a coverage mask with a one-pixel border; returns its width and values.
    static func mask(_ text: String, size: Double, bold: Bool) -> (width: Int, height: Int, values: [Float]) {
        let s = scale(for: size)
        let w = Int((Double(units(text)) * s).rounded(.up)) + 2
        let h = Int((Double(rows) * s).rounded(.up)) + 2
        var values = [Float](repeating: 0, count: w * h)
        var penUnits = 0
        let samples = 4
        let threshold = 0.42
        for scalar in text.unicodeScalars {
            let g = glyph(scalar)
            defer { penUnits += g.width + 1 }
            guard g.ink.contains(where: { $0.contains(true) }) else { continue }
            let left = Double(penUnits) * s
            let px0 = max(Int((left - s).rounded(.down)), 0)
            let px1 = min(Int((left + Double(g.width + 1) * s).rounded(.up)) + 2, w)
            for py in 0..<h {
                for px in px0..<px1 {
                    var hits = 0
                    for sy in 0..<samples {
                        let v = (Double(py - 1) + (Double(sy) + 0.5) / Double(samples)) / s
                        for sx in 0..<samples {
                            let u = (Double(px - 1) + (Double(sx) + 0.5) / Double(samples) - left) / s
                            var ink = sample(g, u, v)
                            if bold && ink < threshold { ink = max(ink, sample(g, u - 0.55, v)) }
                            if ink >= threshold { hits += 1 }
                        }
                    }
                    if hits > 0 {
                        let k = py * w + px
                        values[k] = min(values[k] + Float(hits) / Float(samples * samples), 1)
                    }
                }
            }
        }
        return (w, h, values)
    }

    /// Bilinear interpolation of the glyph's ink, with cell centres at (column + 0.5, row + 0.5).
    @inline(__always)
    private static func sample(_ g: Glyph, _ u: Double, _ v: Double) -> Double {
        let fx = u - 0.5, fy = v - 0.5
        let c0 = Int(fx.rounded(.down)), r0 = Int(fy.rounded(.down))
        let tx = fx - Double(c0), ty = fy - Double(r0)
        func at(_ c: Int, _ r: Int) -> Double {
            (c >= 0 && r >= 0 && c < g.width && r < rows && g.ink[r][c]) ? 1 : 0
        }
        let top = at(c0, r0) * (1 - tx) + at(c0 + 1, r0) * tx
        let bottom = at(c0, r0 + 1) * (1 - tx) + at(c0 + 1, r0 + 1) * tx
        return top * (1 - ty) + bottom * ty
    }
}

extension Canvas {
    /// Draws `text` anchored at `point`. `size` is the capital height in pixels (14 suits tick
    /// labels at 1200x800). With `vertical`, the text is turned 90° anticlockwise and reads bottom
    /// to top (y-axis labels); the alignments then apply to the turned box as it appears on the page.
    public mutating func drawText(_ text: String, at point: Point, size: Double = 14, color: Color = .ink,
                                  align: HAlign = .left, valign: VAlign = .baseline,
                                  vertical: Bool = false, bold: Bool = false) {
        guard !text.isEmpty else { return }
        let s = BitmapFont.scale(for: size)
        let m = BitmapFont.mask(text, size: size, bold: bold)
        let textW = Double(m.width - 2), textH = Double(m.height - 2)
        let boxW = vertical ? textH : textW, boxH = vertical ? textW : textH
        var left: Double
        switch align {
        case .left: left = point.x
        case .center: left = point.x - boxW / 2
        case .right: left = point.x - boxW
        }
        var top: Double
        switch valign {
        case .top: top = point.y
        case .middle: top = vertical ? point.y - boxH / 2 : point.y - BitmapFont.ascent * s / 2
        case .baseline: top = vertical ? point.y - boxH : point.y - BitmapFont.ascent * s
        case .bottom: top = point.y - boxH
        }
        if vertical && align == .center { left = point.x - BitmapFont.ascent * s / 2 }
        let x = Int(left.rounded()) - 1, y = Int(top.rounded()) - 1
        if !vertical {
            blendMask(m.values, maskWidth: m.width, x: x, y: y, color: color)
            return
        }
        // Turn anticlockwise: the text's top edge becomes the left edge, its start the bottom.
        var turned = [Float](repeating: 0, count: m.width * m.height)
        let tw = m.height
        for ty in 0..<m.width {
            for tx in 0..<m.height {
                turned[ty * tw + tx] = m.values[tx * m.width + (m.width - 1 - ty)]
            }
        }
        blendMask(turned, maskWidth: tw, x: x, y: y, color: color)
    }
}
