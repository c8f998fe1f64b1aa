import Synchronization
/// Persistent helper threads behind `Parallel.forRanges` and `Parallel.forRangesGuided`.
///
/// A training step of a small model makes thousands of parallel calls of a few microseconds each.
/// Waking sleeping threads for every call (what `DispatchQueue.concurrentPerform` does) costs about
/// as much as the work, so a two-thread step ran no faster than a one-thread step. Here the helpers
/// stay alive and spin for a short while after each job, so the next job starts at once; only
/// after a quiet spell do they sleep on a condition variable.
///
/// A job is `items` items. The protocol rests on one atomic word, `claim`, holding the job's
/// generation, how many helpers may join, the number of items and the next unclaimed item. A
/// thread claims a range of items by compare-and-swap on the whole word, so a helper that arrives
/// late (after the job it saw has been replaced) fails the swap instead of running items of the
/// wrong job. The job's closure is read only after a successful swap, and the caller replaces it
/// only once every claimed item has reported back in `finished`, so a helper never sees a
/// half-written job.
///
/// Which thread runs which items varies from call to call, and so, for guided jobs, does which
/// ranges the items are claimed in; callers compute each output the same way whatever range it
/// falls in, so results never depend on the scheduling.
@available(macOS 15.0, *)
final class WorkerPool: @unchecked Sendable {
    /// The pool every `forRanges` call shares.
    static let shared = WorkerPool()

    // Bit layout of `claim`: generation (24 bits) | helpers allowed (8) | items (16) | next (16).
    private static let generationShift = 40, helpersShift = 32, itemsShift = 16
    private static let field = 0xFFFF

    /// The job's claim word (layout above); generation 0 means "no job yet".
    private let claim = Atomic<Int>(0)
    /// Items of the current job that have finished, counted after their closure call returned.
    private let finished = Atomic<Int>(0)
    /// Held by the one caller whose job is running; other callers (nested or concurrent) run serially.
    private let busy = Atomic<Bool>(false)
    /// The running job's smallest claim, 0 when every claim is one item. Atomic because a late
    /// helper may read it while the next job's is written; its swap then fails and the value is
    /// dropped.
    private let jobGrain = Atomic<Int>(0)
    /// Helpers blocked on `wake`; read by the caller to decide whether a broadcast is needed.
    private let sleepers = Atomic<Int>(0)

    /// The running job's body, called on claimed ranges. Written by the caller before it publishes
    /// `claim`, read by a helper only after it has claimed items of that job.
    nonisolated(unsafe) private var job: ((Range<Int>) -> Void)?
    nonisolated(unsafe) private var generation = 0
    nonisolated(unsafe) private var started = 0

    // Heap-allocated so they never move (a class property passed with & may be copied).
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let wake = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)

    /// How long an idle helper spins before it sleeps. Long enough to bridge the serial code
    /// between two kernels of a training step, short enough not to hog a core for long.
    private static let spinNanoseconds: UInt64 = 200_000

    private init() {
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(wake, nil)
    }

    /// Runs `body` over `0..<items` on this thread and up to `workers − 1` helpers, each call on a
    /// claimed range. With `grain` nil every claim is one item; otherwise a claim takes the larger
    /// of `grain` and the remaining items / (2 × workers) ("guided" scheduling: big claims first,
    /// small ones at the end, so a thread slowed by a busy host holds back little work). Returns
    /// false, having done nothing, when the pool is already running a job (a nested call, or
    /// another thread's): the caller then does the work itself.
    func run(items: Int, workers: Int, grain: Int? = nil, _ body: (Range<Int>) -> Void) -> Bool {
        precondition(items > 0 && items <= Self.field, "a job needs 1...\(Self.field) items, got \(items)")
        guard busy.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged else {
            return false
        }
        defer { busy.store(false, ordering: .releasing) }
        let helpers = min(workers - 1, 255)
        startHelpers(upTo: helpers)
        withoutActuallyEscaping(body) { body in
            job = body
            jobGrain.store(grain.map { max(1, $0) } ?? 0, ordering: .relaxed)
            generation = generation % (1 << 24 - 1) + 1
            finished.store(0, ordering: .relaxed)
            let word = generation << Self.generationShift | helpers << Self.helpersShift | items << Self.itemsShift
            claim.store(word, ordering: .sequentiallyConsistent)
            if sleepers.load(ordering: .sequentiallyConsistent) > 0 {
                pthread_mutex_lock(mutex)
                pthread_cond_broadcast(wake)
                pthread_mutex_unlock(mutex)
            }
            let mine = work(generation: generation)
            // Every claimed item must report back before the job (and the closure) is replaced.
            if mine < items {
                var spins = 0
                while finished.load(ordering: .acquiring) + mine < items {
                    spins += 1
                    // The machine may be shared: let a descheduled helper finish its claim.
                    if spins > 4096 { sched_yield() }
                }
            }
            job = nil
        }
        return true
    }

    /// Claims and runs ranges of the job with this generation until none are left; returns how
    /// many items this thread ran. Helpers add theirs to `finished` claim by claim, the caller
    /// counts its own.
    private func work(generation: Int, isHelper: Bool = false) -> Int {
        var word = claim.load(ordering: .acquiring)
        var ran = 0
        while word >> Self.generationShift == generation {
            let next = word & Self.field, items = (word >> Self.itemsShift) & Self.field
            if next >= items { break }
            let grain = jobGrain.load(ordering: .relaxed)
            let threads = (word >> Self.helpersShift) & 0xFF + 1
            let size = grain == 0 ? 1 : min(items - next, max(grain, (items - next) / (2 * threads)))
            let (exchanged, original) = claim.compareExchange(
                expected: word, desired: word + size, ordering: .acquiringAndReleasing)
            if exchanged {
                runClaim(next..<next + size)
                ran += size
                if isHelper { finished.wrappingAdd(size, ordering: .releasing) }
                word = claim.load(ordering: .acquiring)
            } else {
                word = original
            }
        }
        return ran
    }

    /// Calls the job's body for one claim. Kept out of line so the helper's retained copy of the
    /// closure is released before the claim is reported finished (the caller's
    /// `withoutActuallyEscaping` checks that no copy outlives it).
    @inline(never)
    private func runClaim(_ range: Range<Int>) {
        job!(range)
    }

    private func startHelpers(upTo count: Int) {
        while started < count {
            let index = started
            started += 1
            var thread = pthread_t()
            let context = Unmanaged.passRetained(HelperStart(pool: self, index: index)).toOpaque()
            let status = pthread_create(&thread, nil, { context in
                let start = Unmanaged<HelperStart>.fromOpaque(context!).takeRetainedValue()
                start.pool.helperLoop(index: start.index)
            }, context)
            precondition(status == 0, "could not start a worker thread (pthread_create error \(status))")
            pthread_detach(thread)
        }
    }

    /// A helper's life: wait for a job newer than the last one seen, join it if allowed, repeat.
    private func helperLoop(index: Int) -> Never {
        var seen = 0
        while true {
            var word = claim.load(ordering: .acquiring)
            if word >> Self.generationShift == seen {
                let start = MonotonicClock.now()
                var spins = 0
                while word >> Self.generationShift == seen {
                    spins += 1
                    if spins & 1023 == 0 && MonotonicClock.now() - start > Self.spinNanoseconds {
                        word = sleep(until: seen)
                        break
                    }
                    word = claim.load(ordering: .acquiring)
                }
            }
            seen = word >> Self.generationShift
            if index < (word >> Self.helpersShift) & 0xFF {
                _ = work(generation: seen, isHelper: true)
            }
        }
    }

    /// Blocks until `claim` holds a generation other than `seen`; returns that word.
    private func sleep(until seen: Int) -> Int {
        pthread_mutex_lock(mutex)
        sleepers.wrappingAdd(1, ordering: .sequentiallyConsistent)
        var word = claim.load(ordering: .sequentiallyConsistent)
        while word >> Self.generationShift == seen {
            pthread_cond_wait(wake, mutex)
            word = claim.load(ordering: .sequentiallyConsistent)
        }
        sleepers.wrappingSubtract(1, ordering: .sequentiallyConsistent)
        pthread_mutex_unlock(mutex)
        return word
    }
}

/// What a new helper thread needs: its pool and its index among the helpers.
@available(macOS 15.0, *)
private final class HelperStart {
    let pool: WorkerPool
    let index: Int
    init(pool: WorkerPool, index: Int) { self.pool = pool; self.index = index }
}

/// Monotonic nanoseconds, cheap enough to read inside a spin loop.
enum MonotonicClock {
    static func now() -> UInt64 {
        var t = timespec()
        clock_gettime(CLOCK_MONOTONIC, &t)
        return UInt64(t.tv_sec) &* 1_000_000_000 &+ UInt64(t.tv_nsec)
    }
}
