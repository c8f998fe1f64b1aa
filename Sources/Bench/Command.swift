import ArgumentParser
import Engine
import Foundation

/// The benchmark command line, mirroring torch_reference.py's flags.
///
/// Peak memory is a process-wide high-water mark, so with more than one workload selected the
/// command runs each one in a fresh child process of itself (`--only NAME --json`) and relays
/// the rows; `--in-process` runs them all here instead (faster, but the peaks then accumulate).
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench", abstract: "Time the engine on the benchmark workloads.")

    @Option(help: "Threads for the engine's kernels.")
    var threads: Int = 2

    @Flag(help: "Print one JSON object per line instead of a table.")
    var json = false

    @Option(parsing: .upToNextOption, help: "Workload names to run (default: all).")
    var only: [String] = []

    @Flag(help: "Time the gemm workloads with the readable reference kernel instead (for comparison).")
    var reference = false

    @Flag(help: "Also time each workload with every accelerated op on its plain-loop twin (Engine.useReference), where that takes seconds.")
    var referenceColumn = false

    @Flag(help: "Run every workload in this process instead of one child process each.")
    var inProcess = false

    func validate() throws {
        guard threads >= 1 else { throw ValidationError("--threads must be at least 1, got \(threads)") }
        let known = Set(Workload.all.map(\.name))
        for name in only where !known.contains(name) {
            throw ValidationError("unknown workload '\(name)'; known: \(Workload.all.map(\.name).joined(separator: " "))")
        }
    }

    func run() throws {
        let selected = Workload.all.filter { only.isEmpty || only.contains($0.name) }
        if selected.count == 1 || inProcess {
            Parallel.threads = threads
            Workload.useReference = reference
            for w in selected { print(w.run(threads: threads, referenceColumn: referenceColumn).line(json: json)) }
            fflush(stdout)
        } else {
            for w in selected { try print(runChild(w.name).line(json: json)) }
        }
    }

    /// Runs one workload in a child process of this executable and reads its JSON row back.
    func runChild(_ name: String) throws -> Row {
        let child = Process()
        child.executableURL = URL(fileURLWithPath: "/proc/self/exe")
        #if !os(Linux)
        child.executableURL = URL(fileURLWithPath: CommandLine.arguments[0])
        #endif
        child.arguments = ["--threads", String(threads), "--json", "--only", name] + (reference ? ["--reference"] : [])
            + (referenceColumn ? ["--reference-column"] : [])
        let pipe = Pipe()
        child.standardOutput = pipe
        try child.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        child.waitUntilExit()
        guard child.terminationStatus == 0,
              let text = String(data: data, encoding: .utf8),
              let line = text.split(separator: "\n").last,
              let row = Row(json: String(line))
        else {
            throw ValidationError("child run of '\(name)' failed (status \(child.terminationStatus))")
        }
        return row
    }
}
