import Engine

/// A labelled set of points in the plane.
public struct PointSet: Sendable {
    /// x and y of every point, [n][2] flattened row by row.
    public var coordinates: [Float]
    /// The class (or mode) each point was drawn from.
    public var labels: [Int]
    /// Number of classes or modes.
    public var classes: Int
    /// Centres of the modes, for sets that have them (used to score generated samples).
    public var modes: [(x: Float, y: Float)]
    /// Standard deviation of each mode (0 when the set has no Gaussian modes).
    public var modeStd: Float

    /// Number of points.
    public var count: Int { labels.count }
    /// Point i as (x, y).
    public func point(_ i: Int) -> (x: Float, y: Float) { (coordinates[2 * i], coordinates[2 * i + 1]) }
    /// All points as a [n, 2] tensor.
    public var tensor: Tensor { Tensor(shape: [count, 2], values: coordinates) }
}

/// Classic 2-D distributions, generated from a seed (the course's embedded 2-D data).
public enum Points2D {
    /// Two interleaving half circles with Gaussian noise (the "two moons"), labels 0 and 1.
    public static func twoMoons(_ n: Int, noise: Float = 0.1, rng: inout RNG) -> PointSet {
        var xy: [Float] = [], labels: [Int] = []
        for i in 0..<n {
            let c = i % 2
            let t = Float.pi * rng.uniform()
            let (x, y) = c == 0 ? (cosf(t), sinf(t)) : (1 - cosf(t), 0.5 - sinf(t))
            xy += [x + noise * rng.normal(), y + noise * rng.normal()]
            labels.append(c)
        }
        return PointSet(coordinates: xy, labels: labels, classes: 2, modes: [], modeStd: 0)
    }

    /// A ring of `k` Gaussians of standard deviation `std` on a circle of `radius`.
    public static func ring(_ n: Int, k: Int = 8, radius: Float = 2, std: Float = 0.05, rng: inout RNG) -> PointSet {
        let modes = (0..<k).map { j -> (x: Float, y: Float) in
            let a = 2 * Float.pi * Float(j) / Float(k)
            return (radius * cosf(a), radius * sinf(a))
        }
        return mixture(n, modes: modes, std: std, rng: &rng)
    }

    /// A `side`×`side` grid of Gaussians with spacing `spacing`, centred on the origin.
    public static func grid(_ n: Int, side: Int = 5, spacing: Float = 1, std: Float = 0.05, rng: inout RNG) -> PointSet {
        let off = Float(side - 1) / 2
        var modes: [(x: Float, y: Float)] = []
        for i in 0..<side { for j in 0..<side { modes.append(((Float(i) - off) * spacing, (Float(j) - off) * spacing)) } }
        return mixture(n, modes: modes, std: std, rng: &rng)
    }

    /// A two-armed spiral with Gaussian noise; label is the arm.
    public static func spiral(_ n: Int, turns: Float = 1.5, noise: Float = 0.05, rng: inout RNG) -> PointSet {
        var xy: [Float] = [], labels: [Int] = []
        for i in 0..<n {
            let arm = i % 2
            let t = rng.uniform().squareRoot()  // uniform density along the arm's length
            let angle = 2 * Float.pi * turns * t + Float(arm) * Float.pi
            let r = 2 * t
            xy += [r * cosf(angle) + noise * rng.normal(), r * sinf(angle) + noise * rng.normal()]
            labels.append(arm)
        }
        return PointSet(coordinates: xy, labels: labels, classes: 2, modes: [], modeStd: 0)
    }

    /// Equal-weight Gaussian mixture; each point's label is the mode it came from.
    public static func mixture(_ n: Int, modes: [(x: Float, y: Float)], std: Float, rng: inout RNG) -> PointSet {
        var xy: [Float] = [], labels: [Int] = []
        for _ in 0..<n {
            let m = rng.int(modes.count)
            xy += [modes[m].x + std * rng.normal(), modes[m].y + std * rng.normal()]
            labels.append(m)
        }
        return PointSet(coordinates: xy, labels: labels, classes: modes.count, modes: modes, modeStd: std)
    }
}
