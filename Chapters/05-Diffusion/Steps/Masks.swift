/// The masks the inpainting section uses: 1 marks a known pixel, 0 a pixel to fill.
public enum InpaintingMask: String, CaseIterable, Sendable {
    /// The centre 8×8 block of a 16×16 image hidden.
    case centre
    /// The right half hidden.
    case rightHalf
    /// The bottom half hidden.
    case bottomHalf

    /// The mask for a `size`×`size` single-channel image, row-major.
    public func values(size: Int) -> [Float] {
        (0..<(size * size)).map { k in
            let r = k / size, c = k % size
            switch self {
            case .centre:
                let lo = size / 4, hi = size - size / 4
                return (lo..<hi).contains(r) && (lo..<hi).contains(c) ? 0 : 1
            case .rightHalf: return c >= size / 2 ? 0 : 1
            case .bottomHalf: return r >= size / 2 ? 0 : 1
            }
        }
    }

    /// A readable name for tables and captions.
    public var label: String {
        switch self {
        case .centre: return "centre hidden"
        case .rightHalf: return "right half hidden"
        case .bottomHalf: return "bottom half hidden"
        }
    }
}
