import Engine
import Exercises

/// The `--use-exercise NAME` option a chapter checks before it runs: when present, the chapter
/// runs the named exercise's demo with the student's code instead of its usual narration, so the
/// chapter's default output is untouched.
public enum UseExercise {
    /// The exercises a chapter can run with the student's code, by option value.
    public static let available = ["causal-mask"]

    /// nil when `arguments` has no `--use-exercise`; otherwise runs the demo and returns the exit
    /// status (2 for a bad option, with a one-line `error:`). Reads `--quick`, `--seed N` and
    /// `--threads N` from the same arguments.
    public static func run(_ arguments: [String]) -> Int32? {
        guard let flag = arguments.firstIndex(of: "--use-exercise") else { return nil }
        func value(after option: String) -> String? {
            arguments.firstIndex(of: option).flatMap { $0 + 1 < arguments.count ? arguments[$0 + 1] : nil }
        }
        guard flag + 1 < arguments.count, available.contains(arguments[flag + 1]) else {
            print("error: --use-exercise takes one of: \(available.joined(separator: ", "))")
            return 2
        }
        var seed: UInt64 = 0
        if let s = value(after: "--seed") {
            guard let parsed = UInt64(s) else { print("error: --seed expects a non-negative integer, got '\(s)'"); return 2 }
            seed = parsed
        }
        var threads = Parallel.threads
        if let s = value(after: "--threads") {
            guard let parsed = Int(s), parsed >= 1 else { print("error: --threads expects a positive integer, got '\(s)'"); return 2 }
            threads = parsed
        }
        return Parallel.withThreads(threads) {
            CausalMaskDemo.run(studentMask: Exercises.Ch02.causalMask, quick: arguments.contains("--quick"), seed: seed)
        }
    }
}
