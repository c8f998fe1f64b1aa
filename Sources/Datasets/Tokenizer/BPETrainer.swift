extension BPETokenizer {
    /// Learns merges from `text` until the vocabulary has `vocabSize` tokens (or no pair is left).
    ///
    /// Starts from the 256 single bytes (id = byte value). Each step merges the adjacent pair that
    /// occurs most often inside pre-tokenizer pieces, each distinct piece weighted by how often it
    /// occurs. Ties go to the pair with the smallest left id, then the smallest right id, so older
    /// tokens (and, among bytes, smaller byte values) win. Hugging Face's trainer breaks ties the
    /// same way but numbers its initial alphabet differently, so its merges can differ on ties;
    /// that does not matter, because encoding only depends on the merge list we write.
    ///
    /// Pair counts are kept up to date incrementally: a merge only revisits the pieces that
    /// contain the pair, and a max-heap with lazy deletion finds the next best pair.
    public static func train(text: String, vocabSize: Int) -> BPETokenizer {
        train(bytes: Array(text.utf8), vocabSize: vocabSize)
    }

    /// Learns merges from raw bytes; see `train(text:vocabSize:)`.
    public static func train(bytes: [UInt8], vocabSize: Int) -> BPETokenizer {
        precondition(vocabSize >= 256, "a byte-level vocabulary has at least 256 tokens")
        var pieceCounts: [[UInt8]: Int] = [:]
        for p in PreTokenizer.split(bytes: bytes) { pieceCounts[p, default: 0] += 1 }
        // Sorted so that nothing depends on the process's random hash seed.
        let pieces = pieceCounts.sorted { $0.key.lexicographicallyPrecedes($1.key) }
        var words = pieces.map { $0.key.map(Int.init) }
        let counts = pieces.map(\.value)

        var tokenBytes = (0..<256).map { [UInt8($0)] }
        var ids: [[UInt8]: Int] = [:]
        for (i, t) in tokenBytes.enumerated() { ids[t] = i }
        var merges: [(Int, Int)] = []
        var merged = Set<UInt64>()

        var pairCount: [UInt64: Int] = [:]
        var pairWords: [UInt64: [Int]] = [:]
        for (w, word) in words.enumerated() where word.count > 1 {
            for k in 0..<(word.count - 1) {
                let key = pairKey(word[k], word[k + 1])
                pairCount[key, default: 0] += counts[w]
                pairWords[key, default: []].append(w)
            }
        }
        var heap = PairHeap()
        for (key, c) in pairCount { heap.push(c, key) }
        var lastVisit = [Int](repeating: -1, count: words.count)

        while tokenBytes.count < vocabSize, let top = heap.pop() {
            let current = pairCount[top.key] ?? 0
            if current != top.count {
                if current > 0 { heap.push(current, top.key) }
                continue
            }
            if current == 0 || merged.contains(top.key) { continue }
            let a = Int(top.key >> 32), b = Int(top.key & 0xFFFF_FFFF)
            let newBytes = tokenBytes[a] + tokenBytes[b]
            let newID: Int
            if let existing = ids[newBytes] {
                newID = existing  // a second route to a known string: reuse its id, as HF does
            } else {
                newID = tokenBytes.count
                tokenBytes.append(newBytes)
                ids[newBytes] = newID
            }
            merges.append((a, b))
            merged.insert(top.key)

            var delta: [UInt64: Int] = [:]
            for w in pairWords[top.key] ?? [] where lastVisit[w] != merges.count {
                lastVisit[w] = merges.count
                let old = words[w]
                var new: [Int] = []
                new.reserveCapacity(old.count)
                var k = 0
                while k < old.count {
                    if k + 1 < old.count && old[k] == a && old[k + 1] == b {
                        new.append(newID); k += 2
                    } else {
                        new.append(old[k]); k += 1
                    }
                }
                if new.count == old.count { continue }
                let c = counts[w]
                for k in 0..<(old.count - 1) { delta[pairKey(old[k], old[k + 1]), default: 0] -= c }
                for k in 0..<max(0, new.count - 1) {
                    let key = pairKey(new[k], new[k + 1])
                    delta[key, default: 0] += c
                    pairWords[key, default: []].append(w)
                }
                words[w] = new
            }
            for (key, d) in delta where d != 0 {
                let c = (pairCount[key] ?? 0) + d
                pairCount[key] = c
                if d > 0 { heap.push(c, key) }
            }
            pairWords[top.key] = nil
        }
        return BPETokenizer(tokenBytes: tokenBytes, merges: merges)
    }
}

/// A binary max-heap of (count, pair) ordered by count, then by the smaller pair key.
struct PairHeap {
    private var items: [(count: Int, key: UInt64)] = []

    private static func above(_ x: (count: Int, key: UInt64), _ y: (count: Int, key: UInt64)) -> Bool {
        x.count != y.count ? x.count > y.count : x.key < y.key
    }

    mutating func push(_ count: Int, _ key: UInt64) {
        items.append((count, key))
        var i = items.count - 1
        while i > 0 {
            let parent = (i - 1) / 2
            if !Self.above(items[i], items[parent]) { break }
            items.swapAt(i, parent)
            i = parent
        }
    }

    mutating func pop() -> (count: Int, key: UInt64)? {
        guard let top = items.first else { return nil }
        let last = items.removeLast()
        if !items.isEmpty {
            items[0] = last
            var i = 0
            while true {
                let l = 2 * i + 1, r = l + 1
                var best = i
                if l < items.count && Self.above(items[l], items[best]) { best = l }
                if r < items.count && Self.above(items[r], items[best]) { best = r }
                if best == i { break }
                items.swapAt(i, best)
                i = best
            }
        }
        return top
    }
}
