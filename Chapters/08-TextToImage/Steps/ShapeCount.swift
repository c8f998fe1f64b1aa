import Engine

/// How many separate shapes each image of [N, 3, H, W] shows: the groups of lit pixels (any
/// channel above −0.5, as the judge counts them) joined through their four side neighbours,
/// ignoring specks smaller than `minimumPixels` (the decoder leaves a stray lit pixel now and then; the smallest shape
/// the scenes draw covers about 30 pixels).
public func shapeCounts(_ x: Tensor, minimumPixels: Int = 4) -> [Int] {
    precondition(x.shape.count == 4 && x.shape[1] == 3, "shapeCounts: images must be [N, 3, H, W], got \(x.shape)")
    let v = x.values
    return (0..<x.shape[0]).map { shapeCount(v, image: $0, height: x.shape[2], width: x.shape[3], minimumPixels: minimumPixels) }
}

/// The shapes in image `i` of the values `v` of [N, 3, h, w] images.
func shapeCount(_ v: [Float], image i: Int, height h: Int, width w: Int, minimumPixels: Int) -> Int {
    let plane = h * w, base = i * 3 * plane
    var unvisited = (0..<plane).map { p in max(v[base + p], v[base + plane + p], v[base + 2 * plane + p]) > -0.5 }
    var shapes = 0
    for seed in 0..<plane where unvisited[seed] {
        // Flood fill from `seed`, clearing each pixel as it is reached.
        unvisited[seed] = false
        var stack = [seed], size = 0
        while let p = stack.popLast() {
            size += 1
            let y = p / w, x = p % w
            for (ny, nx) in [(y - 1, x), (y + 1, x), (y, x - 1), (y, x + 1)] where ny >= 0 && ny < h && nx >= 0 && nx < w {
                let q = ny * w + nx
                if unvisited[q] { unvisited[q] = false; stack.append(q) }
            }
        }
        if size >= minimumPixels { shapes += 1 }
    }
    return shapes
}

/// Share of the images of [N, 3, H, W] that show exactly one shape.
public func oneShapeShare(_ x: Tensor) -> Double {
    let counts = shapeCounts(x)
    return counts.isEmpty ? 0 : Double(counts.filter { $0 == 1 }.count) / Double(counts.count)
}
