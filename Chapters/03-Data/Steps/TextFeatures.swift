/// Words of a text for the classifiers and rules: lowercased, split on anything that is not a
/// letter, a digit or an apostrophe.
public func wordsOf(_ text: String) -> [Substring] {
    text.lowercased().split(whereSeparator: { !($0.isLetter || $0.isNumber || $0 == "'") })
}

/// FNV-1a, 64 bits, over UTF-8 bytes: a fixed hash (Swift's `Hasher` is seeded per process, so
/// it cannot be used for anything that reaches the output).
public func fnv1a(_ text: some StringProtocol, seed: UInt64 = 0xCBF2_9CE4_8422_2325) -> UInt64 {
    var h = seed
    for b in text.utf8 { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01B3 }
    return h
}

/// SplitMix64's finaliser: a cheap, well-mixed 64-bit hash of a 64-bit value.
public func splitmix(_ x: UInt64) -> UInt64 {
    var z = x &+ 0x9E37_79B9_7F4A_7C15
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
}
