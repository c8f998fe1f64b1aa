/// The engine's own seeded random number generator (xoshiro256**, seeded through SplitMix64).
///
/// Nothing in the course uses the system generator: the same seed gives the same bits on every
/// run and machine, which is what makes figures reproducible byte for byte.
public struct RNG: RandomNumberGenerator, Sendable {
    @usableFromInline var s0, s1, s2, s3: UInt64

    /// A generator whose whole stream is fixed by `seed`.
    public init(seed: UInt64) {
        var x = seed
        func splitmix() -> UInt64 {
            x &+= 0x9E37_79B9_7F4A_7C15
            var z = x
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        s0 = splitmix(); s1 = splitmix(); s2 = splitmix(); s3 = splitmix()
    }

    /// The next 64 random bits.
    @inlinable
    public mutating func next() -> UInt64 {
        let result = ((s1 &* 5) << 7 | (s1 &* 5) >> 57) &* 9
        let t = s1 << 17
        s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3
        s2 ^= t
        s3 = (s3 << 45) | (s3 >> 19)
        return result
    }

    /// A new generator derived from this one, for handing an independent stream to a sub-task.
    public mutating func fork() -> RNG { RNG(seed: next()) }

    /// Uniform in [0, 1) with 24 random bits (every float32 step in the interval is reachable).
    @inlinable
    public mutating func uniform() -> Float { Float(next() >> 40) * (1.0 / 16_777_216.0) }

    /// Uniform in [lo, hi).
    @inlinable
    public mutating func uniform(_ lo: Float, _ hi: Float) -> Float { lo + (hi - lo) * uniform() }

    /// Standard normal by the Box–Muller transform, computed in Double for accuracy.
    public mutating func normal() -> Float {
        let u1 = (Double(next() >> 11) + 1) * (1.0 / 9_007_199_254_740_992.0)  // (0, 1]
        let u2 = Double(next() >> 11) * (1.0 / 9_007_199_254_740_992.0)
        return Float(sqrt(-2 * log(u1)) * cos(2 * Double.pi * u2))
    }

    /// Normal with the given mean and standard deviation.
    public mutating func normal(mean: Float, std: Float) -> Float { mean + std * normal() }

    /// Uniform integer in `0..<n` without modulo bias (Lemire's multiply-shift with rejection).
    public mutating func int(_ n: Int) -> Int {
        precondition(n > 0, "RNG.int needs a positive bound, got \(n)")
        let bound = UInt64(n)
        var m = next().multipliedFullWidth(by: bound)
        if m.low < bound {
            let threshold = (0 &- bound) % bound
            while m.low < threshold { m = next().multipliedFullWidth(by: bound) }
        }
        return Int(m.high)
    }

    /// Index drawn with probability proportional to `weights` (all ≥ 0, not all zero).
    public mutating func categorical(_ weights: [Float]) -> Int {
        var total: Double = 0
        for w in weights { total += Double(w) }
        precondition(total > 0, "RNG.categorical needs a positive total weight")
        let u = Double(uniform()) * total
        var acc: Double = 0
        for (i, w) in weights.enumerated() {
            acc += Double(w)
            if u < acc { return i }
        }
        return weights.lastIndex(where: { $0 > 0 }) ?? 0
    }

    /// Fisher–Yates shuffle in place.
    public mutating func shuffle<T>(_ a: inout [T]) {
        guard a.count > 1 else { return }
        for i in stride(from: a.count - 1, to: 0, by: -1) { a.swapAt(i, int(i + 1)) }
    }

    /// A random permutation of `0..<n`.
    public mutating func permutation(_ n: Int) -> [Int] {
        var p = Array(0..<n)
        shuffle(&p)
        return p
    }
}
