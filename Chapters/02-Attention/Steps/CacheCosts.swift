import Engine
import Foundation
import Models

/// Step 8: where the KV cache's time goes. Wall-clock seconds, so machine-dependent: the chapter
/// lists them under its timings, and no test checks them. Each is the time for the same number of
/// tokens or positions, n = repeats × count, so the four can be compared directly.
public struct CacheCosts: Sendable {
    /// Tokens or positions each timing covers.
    public let n: Int
    /// Generating n tokens, rerunning the prefix every time.
    public let uncached: Double
    /// Generating n tokens with the KV cache.
    public let cached: Double
    /// n forward passes of a single position each.
    public let singlePositions: Double
    /// n positions inside full-context forward passes (measured on whole passes and scaled to n).
    public let batchedPositions: Double
}

/// Times greedy generation of `count` tokens after `prompt` with and without the cache (`repeats`
/// times), as many one-position forward passes, and the same number of positions inside
/// full-context passes.
public func measureCacheCosts(_ model: GPT, prompt: [Int], count: Int, repeats: Int) -> CacheCosts {
    func seconds(_ body: () -> Void) -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        body()
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }
    let n = repeats * count, context = model.config.context
    let uncached = seconds {
        for r in 0..<repeats { var g = RNG(seed: UInt64(r)); _ = model.generate(prompt: prompt, count: count, rule: .greedy, rng: &g) }
    }
    let cached = seconds {
        for r in 0..<repeats { var g = RNG(seed: UInt64(r)); _ = model.generateCached(prompt: prompt, count: count, rule: .greedy, rng: &g) }
    }
    let single = seconds { Tensor.noGrad { for _ in 0..<n { _ = model([[prompt[0]]]) } } }
    let window = (0..<context).map { prompt[$0 % prompt.count] }
    let passes = Swift.max(1, (n + context - 1) / context)
    let batched = seconds { Tensor.noGrad { for _ in 0..<passes { _ = model([window]) } } }
    return CacheCosts(n: n, uncached: uncached, cached: cached, singlePositions: single,
                      batchedPositions: batched * Double(n) / Double(passes * context))
}
