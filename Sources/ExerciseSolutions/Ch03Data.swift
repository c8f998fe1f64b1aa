import Exercises

/// Reference solutions to chapter 03's exercises.
public enum Ch03 {
    /// Doubles every second digit counted from the right.
    public static func luhnValid(_ number: String) throws -> Bool {
        var digits: [Int] = []
        for c in number where c != " " {
            guard let d = c.wholeNumberValue, c.isASCII else { return false }
            digits.append(d)
        }
        guard digits.count >= 2 else { return false }
        var sum = 0
        for (i, d) in digits.reversed().enumerated() {
            let v = i % 2 == 1 ? d * 2 : d
            sum += v > 9 ? v - 9 : v
        }
        return sum % 10 == 0
    }

    /// The minimum of the seeded hash over the set, per seed.
    public static func minHashSignature(shingles: [UInt64], seeds: [UInt64]) throws -> [UInt64] {
        seeds.map { s in shingles.map { minHashMix($0, seed: s) }.min() ?? UInt64.max }
    }

    /// All pairs that agree on some whole band.
    public static func lshCandidatePairs(signatures: [[UInt64]], bands: Int, rows: Int) throws -> [[Int]] {
        var pairs: [[Int]] = []
        for i in signatures.indices {
            for j in signatures.indices where j > i {
                let match = (0..<bands).contains { b in
                    (b * rows..<(b + 1) * rows).allSatisfy { signatures[i][$0] == signatures[j][$0] }
                }
                if match { pairs.append([i, j]) }
            }
        }
        return pairs
    }
}
