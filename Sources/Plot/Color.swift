/// An 8-bit sRGB colour with straight (not premultiplied) alpha.
public struct Color: Equatable, Hashable, Sendable {
    /// Red.
    public var r: UInt8
    /// Green.
    public var g: UInt8
    /// Blue.
    public var b: UInt8
    /// Opacity: 255 is opaque.
    public var a: UInt8

    /// Creates a colour from 0–255 channels.
    public init(_ r: UInt8, _ g: UInt8, _ b: UInt8, _ a: UInt8 = 255) {
        self.r = r
        self.g = g
        self.b = b
        self.a = a
    }

    /// Creates a colour from 0–1 channels (clamped).
    public init(red: Double, green: Double, blue: Double, alpha: Double = 1) {
        func byte(_ v: Double) -> UInt8 { UInt8((min(max(v.isNaN ? 0 : v, 0), 1) * 255).rounded()) }
        self.init(byte(red), byte(green), byte(blue), byte(alpha))
    }

    /// The same colour with opacity `alpha` in 0–1.
    public func withAlpha(_ alpha: Double) -> Color {
        var c = self
        c.a = UInt8((min(max(alpha, 0), 1) * 255).rounded())
        return c
    }

    /// This colour mixed toward white by `amount` in 0–1 (1 gives white); used for light fills.
    public func lightened(_ amount: Double) -> Color {
        func mix(_ v: UInt8) -> UInt8 { UInt8((Double(v) + (255 - Double(v)) * min(max(amount, 0), 1)).rounded()) }
        return Color(mix(r), mix(g), mix(b), a)
    }

    /// Perceived brightness in 0–1 (Rec. 709 weights on the 8-bit values); picks black or white text.
    public var luminance: Double { (0.2126 * Double(r) + 0.7152 * Double(g) + 0.0722 * Double(b)) / 255 }

    /// Opaque white.
    public static let white = Color(255, 255, 255)
    /// Opaque black.
    public static let black = Color(0, 0, 0)
    /// Text and axis colour: near-black reads softer than pure black on slides.
    public static let ink = Color(34, 34, 34)
    /// Mid grey for secondary text.
    public static let grey = Color(110, 110, 110)
    /// Grid line grey.
    public static let lightGrey = Color(225, 225, 225)
    /// Fully transparent.
    public static let clear = Color(0, 0, 0, 0)
}

/// Colour sets for series and categories.
public enum Palette {
    /// The Okabe–Ito colours, distinguishable under the common colour-vision deficiencies. Ordered
    /// so the first few are the most distinct on white (yellow, faint on white, comes last).
    public static let okabeIto: [Color] = [
        Color(0, 114, 178),    // blue
        Color(213, 94, 0),     // vermillion
        Color(0, 158, 115),    // bluish green
        Color(204, 121, 167),  // reddish purple
        Color(86, 180, 233),   // sky blue
        Color(230, 159, 0),    // orange
        Color(0, 0, 0),        // black
        Color(240, 228, 66),   // yellow
    ]

    /// The palette colour for series `index`, cycling when there are more series than colours.
    public static func color(_ index: Int) -> Color {
        okabeIto[((index % okabeIto.count) + okabeIto.count) % okabeIto.count]
    }
}

/// A map from a value in [0, 1] to a colour, interpolated linearly between anchor colours.
public struct Colormap: Sendable {
    /// Anchor colours spaced evenly over [0, 1].
    public let anchors: [Color]
    /// True when the middle of the range means "zero" (the colour bar is centred on 0).
    public let isDiverging: Bool

    /// Creates a colormap from at least two evenly spaced anchors.
    public init(anchors: [Color], diverging: Bool = false) {
        self.anchors = anchors.count >= 2 ? anchors : [.white, .black]
        self.isDiverging = diverging
    }

    /// The colour at `t` (clamped to [0, 1]; NaN gives light grey).
    public func color(at t: Double) -> Color {
        guard !t.isNaN else { return Color(200, 200, 200) }
        let u = min(max(t, 0), 1) * Double(anchors.count - 1)
        let i = min(Int(u), anchors.count - 2)
        let f = u - Double(i)
        let a = anchors[i], b = anchors[i + 1]
        func mix(_ p: UInt8, _ q: UInt8) -> UInt8 { UInt8((Double(p) * (1 - f) + Double(q) * f).rounded()) }
        return Color(mix(a.r, b.r), mix(a.g, b.g), mix(a.b, b.b))
    }

    /// A sequential dark-purple → blue → green → yellow map that approximates viridis from five of
    /// its published colours; lightness rises monotonically, so it also reads in greyscale.
    public static let viridis = Colormap(anchors: [
        Color(68, 1, 84), Color(59, 82, 139), Color(33, 145, 140), Color(94, 201, 98), Color(253, 231, 37),
    ])

    /// A diverging blue → white → red map for signed values (similarities, weights, differences).
    public static let blueRed = Colormap(anchors: [
        Color(33, 102, 172), Color(103, 169, 207), Color(247, 247, 247), Color(239, 138, 98), Color(178, 24, 43),
    ], diverging: true)

    /// White → near-black, for images and counts.
    public static let greys = Colormap(anchors: [Color(255, 255, 255), Color(20, 20, 20)])
}
