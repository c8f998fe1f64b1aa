/// Point markers for scatter points and line-series vertices.
public enum Marker: String, Sendable, CaseIterable {
    /// Filled disc.
    case circle
    /// Filled square.
    case square
    /// Filled upward triangle.
    case triangle
    /// Filled square rotated 45°.
    case diamond
    /// An "×" of two strokes.
    case cross
}

extension Canvas {
    /// Draws a straight line of `width` pixels with round ends, anti-aliased by pixel-centre
    /// distance to the segment; `dash` (pixels on, pixels off, ...) makes it dashed.
    public mutating func drawLine(from a: Point, to b: Point, color: Color, width: Double = 2, dash: [Double]? = nil) {
        drawPolyline([a, b], color: color, width: width, dash: dash)
    }

    /// Draws connected segments as one stroke. Coverage is accumulated with `max` before blending,
    /// so joints of a translucent line are not darker than its middle. Non-finite points split the
    /// line into separate pieces (that is how missing data shows).
    public mutating func drawPolyline(_ points: [Point], color: Color, width: Double = 2, dash: [Double]? = nil) {
        var pieces: [[Point]] = [[]]
        for p in points {
            if p.x.isFinite && p.y.isFinite { pieces[pieces.count - 1].append(p) } else if !pieces[pieces.count - 1].isEmpty { pieces.append([]) }
        }
        var segments: [(Point, Point)] = []
        for piece in pieces where !piece.isEmpty {
            if piece.count == 1 { segments.append((piece[0], piece[0])); continue }
            if let dash, dash.count >= 2, dash.allSatisfy({ $0 > 0 }) {
                segments += dashedSegments(piece, pattern: dash)
            } else {
                for i in 1..<piece.count { segments.append((piece[i - 1], piece[i])) }
            }
        }
        strokeSegments(segments, color: color, width: width)
    }

    /// Splits a polyline into the "on" pieces of a dash pattern; the phase carries across corners.
    private func dashedSegments(_ pts: [Point], pattern: [Double]) -> [(Point, Point)] {
        var out: [(Point, Point)] = []
        var index = 0, left = pattern[0]
        for i in 1..<pts.count {
            let a = pts[i - 1], b = pts[i]
            let length = ((b.x - a.x) * (b.x - a.x) + (b.y - a.y) * (b.y - a.y)).squareRoot()
            var t = 0.0
            while t < length {
                let step = min(left, length - t)
                if index % 2 == 0 {
                    let p = Point(a.x + (b.x - a.x) * t / length, a.y + (b.y - a.y) * t / length)
                    let q = Point(a.x + (b.x - a.x) * (t + step) / length, a.y + (b.y - a.y) * (t + step) / length)
                    out.append((p, q))
                }
                t += step
                left -= step
                if left <= 1e-9 {
                    index = (index + 1) % pattern.count
                    left = pattern[index]
                }
            }
        }
        return out
    }

    /// Rasterises round-capped segments into one coverage mask and blends it once.
    private mutating func strokeSegments(_ segments: [(Point, Point)], color: Color, width: Double) {
        guard !segments.isEmpty else { return }
        let half = max(width, 0.5) / 2
        var minX = Double.infinity, minY = Double.infinity, maxX = -Double.infinity, maxY = -Double.infinity
        for (a, b) in segments {
            minX = min(minX, a.x, b.x); maxX = max(maxX, a.x, b.x)
            minY = min(minY, a.y, b.y); maxY = max(maxY, a.y, b.y)
        }
        var bounds = Rect(x: 0, y: 0, width: Double(self.width), height: Double(self.height))
        if let clip { bounds = bounds.intersection(clip.inset(by: -1)) }
        let x0 = max(Int((minX - half - 1).rounded(.down)), Int(bounds.x.rounded(.down)))
        let x1 = min(Int((maxX + half + 1).rounded(.up)), Int(bounds.maxX.rounded(.up)))
        let y0 = max(Int((minY - half - 1).rounded(.down)), Int(bounds.y.rounded(.down)))
        let y1 = min(Int((maxY + half + 1).rounded(.up)), Int(bounds.maxY.rounded(.up)))
        guard x0 < x1, y0 < y1 else { return }
        let mw = x1 - x0
        var mask = [Float](repeating: 0, count: mw * (y1 - y0))
        // Thin lines keep full-strength centres but fade by width, so 1 px reads lighter than 2 px.
        let strength = min(width, 1)
        for (a, b) in segments {
            let sx0 = max(Int((min(a.x, b.x) - half - 1).rounded(.down)), x0)
            let sx1 = min(Int((max(a.x, b.x) + half + 1).rounded(.up)), x1)
            let sy0 = max(Int((min(a.y, b.y) - half - 1).rounded(.down)), y0)
            let sy1 = min(Int((max(a.y, b.y) + half + 1).rounded(.up)), y1)
            guard sx0 < sx1, sy0 < sy1 else { continue }
            let dx = b.x - a.x, dy = b.y - a.y
            let len2 = dx * dx + dy * dy
            for py in sy0..<sy1 {
                let cy = Double(py) + 0.5
                for px in sx0..<sx1 {
                    let cx = Double(px) + 0.5
                    var t = len2 > 0 ? ((cx - a.x) * dx + (cy - a.y) * dy) / len2 : 0
                    t = min(max(t, 0), 1)
                    let ex = a.x + t * dx - cx, ey = a.y + t * dy - cy
                    let d = (ex * ex + ey * ey).squareRoot()
                    let c = min(max(half + 0.5 - d, 0), 1) * strength
                    let k = (py - y0) * mw + (px - x0)
                    if Float(c) > mask[k] { mask[k] = Float(c) }
                }
            }
        }
        blendMask(mask, maskWidth: mw, x: x0, y: y0, color: color)
    }

    /// Fills a disc; the edge is anti-aliased by distance from the centre.
    public mutating func fillCircle(center: Point, radius: Double, color: Color) {
        let r = max(radius, 0.5)
        let x0 = Int((center.x - r - 1).rounded(.down)), x1 = Int((center.x + r + 1).rounded(.up))
        let y0 = Int((center.y - r - 1).rounded(.down)), y1 = Int((center.y + r + 1).rounded(.up))
        for y in y0...y1 {
            for x in x0...x1 {
                let dx = Double(x) + 0.5 - center.x, dy = Double(y) + 0.5 - center.y
                let d = (dx * dx + dy * dy).squareRoot()
                blend(x: x, y: y, color: color, coverage: min(max(r + 0.5 - d, 0), 1))
            }
        }
    }

    /// Draws a circle outline of `lineWidth` pixels centred on the radius.
    public mutating func strokeCircle(center: Point, radius: Double, color: Color, lineWidth: Double = 2) {
        let half = lineWidth / 2, r = radius + half
        let x0 = Int((center.x - r - 1).rounded(.down)), x1 = Int((center.x + r + 1).rounded(.up))
        let y0 = Int((center.y - r - 1).rounded(.down)), y1 = Int((center.y + r + 1).rounded(.up))
        for y in y0...y1 {
            for x in x0...x1 {
                let dx = Double(x) + 0.5 - center.x, dy = Double(y) + 0.5 - center.y
                let d = abs((dx * dx + dy * dy).squareRoot() - radius)
                blend(x: x, y: y, color: color, coverage: min(max(half + 0.5 - d, 0), 1))
            }
        }
    }

    /// Fills a polygon (even-odd rule), anti-aliased by 4x4 supersampling per pixel.
    public mutating func fillPolygon(_ points: [Point], color: Color) {
        guard points.count >= 3 else { return }
        let xs = points.map(\.x), ys = points.map(\.y)
        let x0 = Int(xs.min()!.rounded(.down)), x1 = Int(xs.max()!.rounded(.up))
        let y0 = Int(ys.min()!.rounded(.down)), y1 = Int(ys.max()!.rounded(.up))
        for y in y0..<max(y1, y0 + 1) {
            for x in x0..<max(x1, x0 + 1) {
                var hits = 0
                for sy in 0..<4 {
                    for sx in 0..<4 {
                        let p = Point(Double(x) + (Double(sx) + 0.5) / 4, Double(y) + (Double(sy) + 0.5) / 4)
                        if Canvas.inside(p, points) { hits += 1 }
                    }
                }
                if hits > 0 { blend(x: x, y: y, color: color, coverage: Double(hits) / 16) }
            }
        }
    }

    private static func inside(_ p: Point, _ poly: [Point]) -> Bool {
        var inside = false
        var j = poly.count - 1
        for i in 0..<poly.count {
            let a = poly[i], b = poly[j]
            if (a.y > p.y) != (b.y > p.y), p.x < (b.x - a.x) * (p.y - a.y) / (b.y - a.y) + a.x { inside.toggle() }
            j = i
        }
        return inside
    }

    /// Draws a marker centred at `center`; `size` is its overall width in pixels. Filled markers get
    /// a thin white rim so overlapping points stay distinguishable.
    public mutating func drawMarker(_ marker: Marker, at center: Point, size: Double, color: Color, outline: Bool = false) {
        let r = size / 2
        let rim = Color.white.withAlpha(Double(color.a) / 255)
        switch marker {
        case .circle:
            if outline { fillCircle(center: center, radius: r + 1, color: rim) }
            fillCircle(center: center, radius: r, color: color)
        case .square:
            let pts = [Point(center.x - r, center.y - r), Point(center.x + r, center.y - r),
                       Point(center.x + r, center.y + r), Point(center.x - r, center.y + r)]
            if outline { fillPolygon(grow(pts, around: center, by: 1.2), color: rim) }
            fillPolygon(pts, color: color)
        case .triangle:
            let h = r * 1.15
            let pts = [Point(center.x, center.y - h), Point(center.x + h * 0.95, center.y + h * 0.65),
                       Point(center.x - h * 0.95, center.y + h * 0.65)]
            if outline { fillPolygon(grow(pts, around: center, by: 1.6), color: rim) }
            fillPolygon(pts, color: color)
        case .diamond:
            let d = r * 1.25
            let pts = [Point(center.x, center.y - d), Point(center.x + d, center.y),
                       Point(center.x, center.y + d), Point(center.x - d, center.y)]
            if outline { fillPolygon(grow(pts, around: center, by: 1.4), color: rim) }
            fillPolygon(pts, color: color)
        case .cross:
            let w = max(size / 4, 1.5)
            drawLine(from: Point(center.x - r, center.y - r), to: Point(center.x + r, center.y + r), color: color, width: w)
            drawLine(from: Point(center.x - r, center.y + r), to: Point(center.x + r, center.y - r), color: color, width: w)
        }
    }

    private func grow(_ pts: [Point], around c: Point, by d: Double) -> [Point] {
        pts.map { p in
            let dx = p.x - c.x, dy = p.y - c.y
            let l = max((dx * dx + dy * dy).squareRoot(), 1e-9)
            return Point(p.x + dx / l * d, p.y + dy / l * d)
        }
    }
}
