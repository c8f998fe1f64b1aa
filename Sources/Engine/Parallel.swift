import Dispatch

/// Splits work over cores so that the result never depends on how many threads ran it.
///
/// The rule every kernel follows: each output element is computed by exactly one closure call,
/// with the same sequence of floating-point operations whatever the chunking. Work is therefore
/// split over *outputs* (rows, channels, blocks), never over a reduction.
public enum Parallel {
    /// How many threads kernels may use: the process-wide setting, made once at start-up (chapters
    /// take `--threads`), unless a `withThreads` scope on the calling task or thread says otherwise.
    public static var threads: Int {
        get { scopedThreads ?? configuredThreads }
        set { configuredThreads = newValue }
    }

    /// The process-wide thread count. Written only at start-up, before any kernel runs.
    nonisolated(unsafe) private static var configuredThreads: Int = max(1, min(8, ProcessInfoCores.count))

    /// The thread count of the innermost `withThreads` scope of this task or thread, if any.
    @TaskLocal private static var scopedThreads: Int?

    /// Runs `body` with kernels limited to `n` threads for the calls it makes. The setting is local
    /// to the calling task or thread, so code running concurrently (tests that compare 1 and 2
    /// threads side by side) neither sees nor races with it; setting `threads` from there would be
    /// a data race (ThreadSanitizer reported it). Results are the same for every n.
    public static func withThreads<T>(_ n: Int, _ body: () throws -> T) rethrows -> T {
        try $scopedThreads.withValue(max(1, n), operation: body)
    }

    /// Calls `body` on disjoint, contiguous sub-ranges that together cover `0..<count`.
    ///
    /// `minChunk` keeps tiny jobs on one thread, where dispatch would cost more than it saves.
    /// `body` must write only to outputs indexed by its own range. Calls made from inside a
    /// running `body`, or while another thread's call runs, execute serially on their caller.
    public static func forRanges(_ count: Int, minChunk: Int = 1, _ body: (Range<Int>) -> Void) {
        guard count > 0 else { return }
        let workers = min(threads, max(1, count / max(1, minChunk)))
        if workers <= 1 {
            body(0..<count)
            return
        }
        // A few more chunks than workers balances uneven rows without changing any result.
        let chunks = min(count, workers * 4)
        withoutActuallyEscaping(body) { body in
            // Item c of the pool's job is chunk c of the rows.
            let chunkRanges: (Range<Int>) -> Void = { claimed in
                for c in claimed {
                    let lo = count * c / chunks, hi = count * (c + 1) / chunks
                    if lo < hi { body(lo..<hi) }
                }
            }
            if #available(macOS 15.0, *) {
                // The persistent pool; when it is busy (a call from inside a running body, or from
                // another thread) this call runs serially, which gives the same result.
                if !WorkerPool.shared.run(items: chunks, workers: workers, chunkRanges) { body(0..<count) }
            } else {
                DispatchQueue.concurrentPerform(iterations: chunks) { c in chunkRanges(c..<c + 1) }
            }
        }
    }
}

extension Parallel {
    /// Calls `body` on disjoint, contiguous sub-ranges covering `0..<count`, sized as they are
    /// claimed: large while much work remains, down to `grain` items at the end. A thread that a
    /// busy host slows down then holds back at most a small last range. Same contract as
    /// `forRanges`; results must not depend on the ranges.
    public static func forRangesGuided(_ count: Int, grain: Int, _ body: (Range<Int>) -> Void) {
        guard count > 0 else { return }
        let workers = min(threads, max(1, count / max(1, grain)))
        if workers <= 1 || count > 0xFFFF {
            forRanges(count, minChunk: grain, body)
            return
        }
        if #available(macOS 15.0, *) {
            if !WorkerPool.shared.run(items: count, workers: workers, grain: grain, body) { body(0..<count) }
        } else {
            forRanges(count, minChunk: grain, body)
        }
    }
}

/// The number of cores the process may use.
public enum ProcessInfoCores {
    /// Online processor count, at least 1.
    public static var count: Int {
        #if canImport(Glibc)
        return max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
        #else
        return max(1, Int(sysconf(_SC_NPROCESSORS_ONLN)))
        #endif
    }
}

