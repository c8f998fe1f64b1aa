import Foundation

/// One result line, in torch_reference.py's two formats plus the peak-memory field.
struct Row: Codable {
    var workload: String
    var ms: Double?
    var gflops: Double?
    var params: Int?
    var engine = "swift-engine"
    var threads: Int
    var device = "cpu"
    /// Process peak resident set (VmHWM / ru_maxrss) after the workload, in MiB.
    var peak_rss_mib: Double?
    /// Set when the workload is not implemented yet.
    var note: String?
    /// With `--reference-column`: the median step on the reference path (`Engine.useReference`), in ms,
    /// or why it was not run.
    var reference_ms: Double?
    var reference_note: String?

    init(workload: String, threads: Int) {
        self.workload = workload
        self.threads = threads
    }

    /// Parses a row printed with `--json` by a child run.
    init?(json: String) {
        guard let row = try? JSONDecoder().decode(Row.self, from: Data(json.utf8)) else { return nil }
        self = row
    }

    /// The table line (same columns as the PyTorch script) or the JSON object.
    func line(json: Bool) -> String {
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            return String(decoding: (try? encoder.encode(self)) ?? Data(), as: UTF8.self)
        }
        let name = workload.padding(toLength: max(10, workload.count), withPad: " ", startingAt: 0)
        guard let ms else { return "\(name) \(note ?? "no result")" }
        let extra = gflops.map { "  " + String(format: "%.1f GFLOP/s", $0) }
            ?? params.map { "  params=\($0)" } ?? ""
        let memory = peak_rss_mib.map { "  peak " + String(format: "%.1f", $0) + " MiB" } ?? ""
        let reference = reference_ms.map { "  reference " + String(format: "%.1f", $0) + " ms ("
            + String(format: "%.0f", $0 / ms) + "× the fast path)" } ?? reference_note.map { "  " + $0 } ?? ""
        return name + " " + String(format: "%9.2f", ms) + " ms" + extra + memory + reference
    }
}
