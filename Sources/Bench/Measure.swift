import Dispatch
import Engine
/// Median wall time in seconds of `steps` calls of `step`, after `warmup` untimed calls
/// (torch_reference.py's `time_steps`). On the reference path, whose steps take from
/// milliseconds to seconds, one warm-up call is timed and sets the count: as many steps as fit in
/// about 2 s, at least 3 and at most `steps`.
func medianSeconds(warmup: Int, steps: Int, _ step: () -> Void) -> Double {
    var (warmup, steps) = (warmup, steps)
    if Engine.useReference {
        let start = DispatchTime.now().uptimeNanoseconds
        step()
        let once = Double(DispatchTime.now().uptimeNanoseconds - start) * 1e-9
        (warmup, steps) = (0, min(steps, max(3, Int(2 / max(once, 1e-6)))))
    }
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
