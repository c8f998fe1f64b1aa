import Dispatch

/// Splits work over cores so that the result never depends on how many threads ran it.
///
/// The rule every kernel follows: each output element is computed by exactly one closure call,
/// with the same sequence of floating-point operations whatever the chunking. Work is therefore
/// split over *outputs* (rows, channels, blocks), never over a reduction.
public enum Parallel {
    /// How many threads kernels may use. Set once at start-up (chapters take `--threads`).
    nonisolated(unsafe) public static var threads: Int = max(1, min(8, ProcessInfoCores.count))

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
        let chunk: (Int) -> Void = { c in
            let lo = count * c / chunks, hi = count * (c + 1) / chunks
            if lo < hi { body(lo..<hi) }
        }
        if #available(macOS 15.0, *) {
            // The persistent pool; when it is busy (a call from inside a running body, or from
            // another thread) this call runs serially, which gives the same result.
            if !WorkerPool.shared.run(chunks: chunks, workers: workers, chunk) { body(0..<count) }
        } else {
            withoutActuallyEscaping(chunk) { chunk in
                DispatchQueue.concurrentPerform(iterations: chunks, execute: chunk)
            }
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

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
