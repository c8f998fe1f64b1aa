import Audio
import Engine
import Testing

/// Run-length tokens: a hand-made case, the exact round trip, and the count of tokens.
struct RunLengthTests {
    /// Codes 3 3 3 1 2 2 2 2 2 with runs of at most 4: the run of five 2s is split 4 + 1.
    @Test func foldsAHandMadeSequence() {
        let f = RunLengthTokens(codes: 5, maxRun: 4)
        let tokens = f.fold([3, 3, 3, 1, 2, 2, 2, 2, 2])
        #expect(tokens == [f.token(code: 3, run: 3), f.token(code: 1, run: 1), f.token(code: 2, run: 4), f.token(code: 2, run: 1)])
        #expect(tokens == [3 * 4 + 2, 1 * 4 + 0, 2 * 4 + 3, 2 * 4 + 0])
        #expect(f.split(2 * 4 + 3) == (2, 4))
        #expect(f.vocabulary == 20)
        #expect(f.fold([]) == [])
    }

    /// expand(fold(c)) == c for random sequences with long runs, and the token count is the
    /// number of runs after splitting each run of length L into ⌈L / maxRun⌉ pieces.
    @Test(arguments: [1, 3, 8]) func roundTripIsExact(maxRun: Int) {
        var rng = RNG(seed: UInt64(maxRun))
        let f = RunLengthTokens(codes: 6, maxRun: maxRun)
        for _ in 0..<50 {
            var codes: [Int] = [], pieces = 0
            for _ in 0..<rng.int(12) {
                let c = rng.int(6), length = 1 + rng.int(20)
                if let last = codes.last, last == c { continue }   // keep runs maximal so the count below holds
                codes += [Int](repeating: c, count: length)
                pieces += (length + maxRun - 1) / maxRun
            }
            let tokens = f.fold(codes)
            #expect(f.expand(tokens) == codes)
            #expect(tokens.count == pieces)
            #expect(f.frames(tokens) == codes.count)
            #expect(tokens.allSatisfy { (0..<f.vocabulary).contains($0) })
        }
    }

    /// With maxRun 1 the fold is the identity: one token per frame, as before run-length tokens.
    @Test func maxRunOneIsTheIdentity() {
        let f = RunLengthTokens(codes: 4, maxRun: 1)
        let codes = [0, 0, 3, 1, 1, 1, 2]
        #expect(f.fold(codes) == codes)
    }
}
