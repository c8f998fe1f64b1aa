import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Persistent worker threads for `Parallel.forRanges`.
///
/// A training step makes thousands of small parallel calls; waking threads for each one (as
/// `DispatchQueue.concurrentPerform` does) costs tens of microseconds, which is as long as many of
/// the calls themselves. Here the workers stay alive, spin for a short while after each job so
/// the next one starts at once, and only then sleep on a condition variable.
///
/// Which thread runs which chunk varies from call to call, but the chunks themselves are fixed by
/// the caller, so results never depend on the scheduling.
///
/// Protocol: `generation` is odd while the caller sets a job up and even once it is published.
/// A worker announces itself in `inFlight` before reading the job and re-checks the generation,
/// so the caller can wait for stragglers (`inFlight == 0`) before reusing the job fields.
@available(macOS 15.0, *)
final class WorkerPool: @unchecked Sendable {
    /// The pool every `forRanges` call shares.
    static let shared = WorkerPool()

    private let generation = Atomic<Int>(0)
    private let inFlight = Atomic<Int>(0)
    private let nextChunk = Atomic<Int>(0)
    private let doneChunks = Atomic<Int>(0)
    /// Held by the one caller whose job is running; other callers (nested or concurrent) run serially.
    private let busy = Atomic<Bool>(false)
    /// Set once the job fields below are written; read by workers after the generation check.
    nonisolated(unsafe) private var job: ((Int) -> Void)?
    nonisolated(unsafe) private var totalChunks = 0
    /// Background workers that may join the current job (the caller's `workers` − 1).
    nonisolated(unsafe) private var helpers = 0

    private var mutex = pthread_mutex_t()
    private var wake = pthread_cond_t()
    nonisolated(unsafe) private var sleepers = 0
    nonisolated(unsafe) private var started = 0

    /// Spin iterations a worker waits for the next job before sleeping (tens of microseconds).
    private static let spinLimit = 20_000

    private init() {
        pthread_mutex_init(&mutex, nil)
        pthread_cond_init(&wake, nil)
    }

    /// Runs `body(chunk)` for every chunk in `0..<chunks` with up to `workers` threads (this one
    /// included). Returns false, having done nothing, when the pool is already in use.
    func run(chunks: Int, workers: Int, _ body: (Int) -> Void) -> Bool {
        guard busy.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged else {
            return false
        }
        defer { busy.store(false, ordering: .releasing) }
        ensureStarted(workers - 1)
        withoutActuallyEscaping(body) { body in
            // Close the previous job to stragglers, then publish this one.
            generation.wrappingAdd(1, ordering: .sequentiallyConsistent)
            waitFor { inFlight.load(ordering: .sequentiallyConsistent) == 0 }
            job = body
            totalChunks = chunks
            helpers = workers - 1
            nextChunk.store(0, ordering: .relaxed)
            doneChunks.store(0, ordering: .relaxed)
            generation.wrappingAdd(1, ordering: .sequentiallyConsistent)
            pthread_mutex_lock(&mutex)
            if sleepers > 0 { pthread_cond_broadcast(&wake) }
            pthread_mutex_unlock(&mutex)
            work(body, chunks)
            waitFor { doneChunks.load(ordering: .acquiring) == chunks }
            // Workers drop their copy of the closure before leaving `inFlight`; wait for that,
            // so none outlives this call.
            waitFor { inFlight.load(ordering: .sequentiallyConsistent) == 0 }
            job = nil
        }
        return true
    }

    /// Claims and runs chunks until none are left.
    private func work(_ body: (Int) -> Void, _ chunks: Int) {
        while true {
            let c = nextChunk.wrappingAdd(1, ordering: .relaxed).oldValue
            if c >= chunks { return }
            body(c)
            doneChunks.wrappingAdd(1, ordering: .releasing)
        }
    }

    /// Spins on `condition`, yielding the core now and then in case the thread it waits for was
    /// descheduled (the machine may be shared).
    private func waitFor(_ condition: () -> Bool) {
        var spins = 0
        while !condition() {
            spins += 1
            if spins > 1000 { sched_yield() }
        }
    }

    private func ensureStarted(_ count: Int) {
        while started < count {
            started += 1
            var thread = pthread_t()
            let context = Unmanaged.passRetained(WorkerStart(pool: self, index: started - 1)).toOpaque()
            let status = pthread_create(&thread, nil, { context in
                let start = Unmanaged<WorkerStart>.fromOpaque(context!).takeRetainedValue()
                start.pool.workerLoop(index: start.index)
                return nil
            }, context)
            precondition(status == 0, "could not start a worker thread (error \(status))")
            pthread_detach(thread)
        }
    }

    private func workerLoop(index: Int) {
        var seen = generation.load(ordering: .acquiring) & ~1
        while true {
            // Wait for a published generation newer than the last one handled.
            var g = generation.load(ordering: .acquiring)
            var spins = 0
            while g == seen || g & 1 == 1 {
                spins += 1
                if spins > Self.spinLimit {
                    pthread_mutex_lock(&mutex)
                    sleepers += 1
                    while true {
                        g = generation.load(ordering: .acquiring)
                        if g != seen && g & 1 == 0 { break }
                        pthread_cond_wait(&wake, &mutex)
                    }
                    sleepers -= 1
                    pthread_mutex_unlock(&mutex)
                    break
                }
                g = generation.load(ordering: .acquiring)
            }
            inFlight.wrappingAdd(1, ordering: .sequentiallyConsistent)
            if generation.load(ordering: .sequentiallyConsistent) == g, index < helpers, let body = job {
                work(body, totalChunks)
            }
            inFlight.wrappingSubtract(1, ordering: .sequentiallyConsistent)
            seen = g
        }
    }
}

/// What a new worker thread needs: its pool and its index among the workers.
@available(macOS 15.0, *)
private final class WorkerStart {
    let pool: WorkerPool
    let index: Int
    init(pool: WorkerPool, index: Int) { self.pool = pool; self.index = index }
}
