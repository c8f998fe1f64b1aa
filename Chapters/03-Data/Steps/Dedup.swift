/// Stage 4a: exact deduplication by a content hash. Keeps the first document with each hash
/// (FNV-1a over the extracted text) and returns the indices kept, in order.
public func exactDedup(_ texts: [String]) -> [Int] {
    var seen = Set<UInt64>(), kept: [Int] = []
    for (i, t) in texts.enumerated() where seen.insert(fnv1a(t)).inserted { kept.append(i) }
    return kept
}
