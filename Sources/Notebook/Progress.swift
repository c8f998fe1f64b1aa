import Foundation

/// A collection walked with a progress report on stderr.
///
/// On a terminal it redraws one bar in place (at most ten times a second); otherwise (a log, CI,
/// the walkthrough's pipe) it prints a plain line at a tenth-of-the-way mark, at most every two
/// seconds, plus a last line when the loop ends, so fast loops print one line and slow ones a few. Progress never goes to
/// the report: it is about this run, not about the results.
public struct ProgressSequence<Base: Collection>: Sequence {
    let base: Base
    let label: String
    let enabled: Bool

    /// Walks `base`, reporting progress as each element is handed out.
    public func makeIterator() -> Iterator {
        Iterator(inner: base.makeIterator(), meter: enabled ? ProgressMeter(label: label, total: base.count) : nil)
    }

    /// The iterator that counts elements as they are handed out.
    public struct Iterator: IteratorProtocol {
        var inner: Base.Iterator
        let meter: ProgressMeter?

        /// The next element, after recording that the previous one is done.
        public mutating func next() -> Base.Element? {
            guard let element = inner.next() else {
                meter?.finish()
                return nil
            }
            meter?.advance()
            return element
        }
    }
}

/// Draws progress for one loop; finishing twice (end of loop, then deinit) is harmless.
final class ProgressMeter {
    let label: String
    let total: Int
    private var done = -1  // the first `advance` hands out element 0, so nothing is done yet
    private var finished = false
    private let tty: Bool
    private let start = ContinuousClock.now
    private var lastDraw: ContinuousClock.Instant?
    private var lastTenth = 0
    private var lastLine = ContinuousClock.now

    init(label: String, total: Int) {
        self.label = label
        self.total = total
        tty = isatty(STDERR_FILENO) == 1
    }

    deinit { finish() }

    func advance() {
        done += 1
        report(final: false)
    }

    func finish() {
        guard !finished else { return }
        finished = true
        done = max(done + 1, 0)
        report(final: true)
    }

    private var elapsed: Double {
        let d = ContinuousClock.now - start
        return Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
    }

    private func report(final: Bool) {
        guard total > 0 else { return }
        let seconds = String(format: "%.1fs", elapsed)
        if tty {
            let now = ContinuousClock.now
            if !final, let last = lastDraw, now - last < .milliseconds(100) { return }
            lastDraw = now
            let width = 30
            let filled = min(width, done * width / total)
            let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
            let percent = done * 100 / total
            write("\r\u{1B}[2K  \(label) [\(bar)] \(done)/\(total) \(percent)% \(seconds)" + (final ? "\n" : ""))
        } else {
            let tenth = done * 10 / total
            let now = ContinuousClock.now
            guard final || (tenth > lastTenth && now - lastLine >= .seconds(2)) else { return }
            lastTenth = tenth
            lastLine = now
            write("  \(label): \(done)/\(total) (\(done * 100 / total)%) \(seconds)\n")
        }
    }

    private func write(_ s: String) {
        FileHandle.standardError.write(Data(s.utf8))
    }
}
