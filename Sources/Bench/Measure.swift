import Dispatch
import Engine
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Median wall time in seconds of `steps` calls of `step`, after `warmup` untimed calls
/// (torch_reference.py's `time_steps`). On the reference path, 1 warm-up and at most 3 steps:
/// its steps take seconds, and their times vary little.
func medianSeconds(warmup: Int, steps: Int, _ step: () -> Void) -> Double {
    let (warmup, steps) = Engine.useReference ? (min(warmup, 1), min(steps, 3)) : (warmup, steps)
    for _ in 0..<warmup { step() }
    var times: [Double] = []
    times.reserveCapacity(steps)
    for _ in 0..<steps {
        let start = DispatchTime.now().uptimeNanoseconds
        step()
        times.append(Double(DispatchTime.now().uptimeNanoseconds - start) * 1e-9)
    }
    times.sort()
    let mid = times.count / 2
    // Python's statistics.median: the mean of the middle two for an even count.
    return times.count % 2 == 1 ? times[mid] : (times[mid - 1] + times[mid]) / 2
}

/// The process's peak resident set so far, in MiB (getrusage's ru_maxrss: KiB on Linux, bytes on macOS).
func peakResidentMiB() -> Double {
    var usage = rusage()
    #if os(Linux)
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_maxrss) / 1024
    #else
    getrusage(RUSAGE_SELF, &usage)
    return Double(usage.ru_maxrss) / (1024 * 1024)
    #endif
}
