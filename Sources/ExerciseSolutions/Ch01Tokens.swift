/// Reference solutions to chapter 01's exercises.
public enum Ch01 {
    /// Counts pairs in order of first appearance, so a tie goes to the earliest pair.
    public static func mostFrequentPair(_ ids: [Int]) throws -> (Int, Int)? {
        guard ids.count >= 2 else { return nil }
        var order: [[Int]] = []
        var counts: [[Int]: Int] = [:]
        for i in 0..<(ids.count - 1) {
            let pair = [ids[i], ids[i + 1]]
            if counts[pair] == nil { order.append(pair) }
            counts[pair, default: 0] += 1
        }
        var best = order[0]
        for pair in order where counts[pair]! > counts[best]! { best = pair }
        return (best[0], best[1])
    }

    /// Left-to-right, non-overlapping replacement.
    public static func merge(_ ids: [Int], pair: (Int, Int), newID: Int) throws -> [Int] {
        var out: [Int] = []
        var i = 0
        while i < ids.count {
            if i + 1 < ids.count && ids[i] == pair.0 && ids[i + 1] == pair.1 {
                out.append(newID)
                i += 2
            } else {
                out.append(ids[i])
                i += 1
            }
        }
        return out
    }

    /// UTF-8 bytes, then each merge in training order.
    public static func encode(_ text: String, merges: [(Int, Int)]) throws -> [Int] {
        var ids = text.utf8.map(Int.init)
        for (k, pair) in merges.enumerated() { ids = try merge(ids, pair: pair, newID: 256 + k) }
        return ids
    }
}
