import Foundation

/// One cell of an executed notebook, in the order the chapter produced it.
enum Cell: Equatable {
    case section(String)
    case say(String)
    case number(NumberRecord)
    case table(Table)
    case code(String, language: String)
    case output(String)
    case figure(FigureRecord)
}

/// A table as the chapter gave it; numeric columns are right-aligned in both renderings.
struct Table: Equatable {
    var headers: [String]
    var rows: [[String]]

    /// Whether every non-empty cell of column `c` reads as a number.
    func isNumeric(column c: Int) -> Bool {
        var any = false
        for row in rows where c < row.count && !row[c].isEmpty {
            let cell = row[c].trimmingCharacters(in: .whitespaces)
            guard Double(cell.replacingOccurrences(of: "%", with: "").replacingOccurrences(of: ",", with: "")) != nil
            else { return false }
            any = true
        }
        return any
    }

    /// Rows padded or cut to the header width, so ragged input still renders as a table.
    var squaredRows: [[String]] {
        rows.map { row in Array((row + Array(repeating: "", count: max(0, headers.count - row.count))).prefix(headers.count)) }
    }
}

/// A figure written by the chapter, as the report and the manifest list it.
public struct FigureRecord: Codable, Equatable, Sendable {
    /// The file name without extension, e.g. `loss-curve`.
    public var name: String
    /// The caption shown under the figure.
    public var caption: String
    /// The PNG file name, relative to the output folder.
    public var png: String
    /// The CSV file name beside it, when the figure has one.
    public var csv: String?

    /// A figure record as the notebook writes it.
    public init(name: String, caption: String, png: String, csv: String?) {
        self.name = name
        self.caption = caption
        self.png = png
        self.csv = csv
    }
}

/// A key number, as the report and the manifest list it.
///
/// `key` is stable snake_case (`ch02_val_bits_per_char`) so that a grading script or a CI check
/// can find the number whatever its label says; `value` is the number itself (never a string) in
/// `unit`; `text` is how the report shows it (`0.712`, `97.4 %`, `12 of 16`).
public struct NumberRecord: Codable, Equatable, Sendable {
    /// Stable snake_case identifier, unique within the chapter.
    public var key: String
    /// What the number is, e.g. `final loss`.
    public var label: String
    /// The number, in `unit`.
    public var value: Double
    /// The unit of `value`, e.g. `bits/char`, `share` (0 to 1), `s`, `count`, or `` for a pure number.
    public var unit: String
    /// The number as formatted for the report.
    public var text: String

    /// A key number as the notebook writes it.
    public init(key: String, label: String, value: Double, unit: String, text: String) {
        self.key = key
        self.label = label
        self.value = value
        self.unit = unit
        self.text = text
    }

    /// Whether `key` is snake_case: a lower-case letter, then lower-case letters, digits and `_`.
    public static func isValidKey(_ key: String) -> Bool {
        guard let first = key.unicodeScalars.first, ("a"..."z").contains(first) else { return false }
        return key.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" }
    }
}

/// `manifest.json`: what a chapter run wrote, in a deterministic form the walkthrough reads.
public struct Manifest: Codable, Equatable, Sendable {
    /// Chapter number.
    public var chapter: Int
    /// Chapter slug, e.g. `engine`.
    public var slug: String
    /// Chapter title.
    public var title: String
    /// The seed the outputs were made with.
    public var seed: UInt64
    /// Whether they come from a `--quick` run.
    public var quick: Bool
    /// The figures, in order.
    public var figures: [FigureRecord]
    /// The key numbers, in order.
    public var numbers: [NumberRecord]

    /// The JSON bytes: sorted keys and pretty printing, so the same run gives the same bytes.
    public func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        var data = try encoder.encode(self)
        data.append(0x0A)
        return data
    }

    /// Reads a manifest written by `encoded()`.
    public static func read(from url: URL) throws -> Manifest {
        try decode(Data(contentsOf: url))
    }

    /// Parses the bytes of a `manifest.json`. The walkthrough reads committed manifests that may
    /// have been edited by hand, so bad bytes must give a thrown `DecodingError`, never a trap
    /// (fuzzed: Tests/Fuzz).
    public static func decode(_ data: Data) throws -> Manifest {
        try JSONDecoder().decode(Manifest.self, from: data)
    }
}

/// The heading that starts the machine-dependent part of every report; `--verify` stops there.
public let timingsHeading = "## Timings (machine-dependent)"

/// Writes the markdown of an executed notebook from its cells.
struct ReportWriter {
    var number: Int
    var slug: String
    var title: String
    var flags: [String]
    var cells: [Cell]
    var timings: [(label: String, seconds: Double)]
    var threads: Int
    /// Machine-dependent measurements other than durations, shown after the timings.
    var machineNumbers: [(label: String, text: String)] = []

    /// The whole `README.md`: everything above `timingsHeading` depends only on the chapter's cells.
    func markdown() -> String {
        let exe = ChapterName.executable(number: number, slug: slug)
        var blocks: [String] = []
        blocks.append("# Chapter \(ChapterName.twoDigits(number)): \(title)")
        blocks.append("An executed notebook: this page and the files beside it were written by the chapter "
            + "executable `\(exe)`. Running it again with the same flags rewrites them with the same bytes.")
        blocks.append("## How to reproduce")
        blocks.append("```sh\nswift run -c release \(exe) -- \(flags.joined(separator: " "))\n```")
        var previousWasNumber = false
        for cell in cells {
            if case let .number(n) = cell {
                let line = "- **\(escapeInline(n.label))**: \(n.text)"
                if previousWasNumber, let last = blocks.popLast() {
                    blocks.append(last + "\n" + line)
                } else {
                    blocks.append(line)
                }
                previousWasNumber = true
                continue
            }
            previousWasNumber = false
            blocks.append(render(cell))
        }
        let numbers = cells.compactMap { cell -> NumberRecord? in
            if case let .number(n) = cell { return n } else { return nil }
        }
        if !numbers.isEmpty {
            blocks.append("## Key numbers")
            blocks.append("Each number is also in `manifest.json` under its key, as a plain value in the unit shown.")
            blocks.append(markdownTable(Table(headers: ["quantity", "value", "key", "unit"],
                                              rows: numbers.map { [$0.label, $0.text, "`\($0.key)`", $0.unit] })))
        }
        blocks.append(timingsHeading)
        var timing = "Measured on the machine that wrote this page, with \(threads) thread\(threads == 1 ? "" : "s"). "
            + "These numbers change between machines and runs, so `walkthrough --verify` ignores this section."
        if !timings.isEmpty {
            let rows = timings.map { [$0.label, formatSeconds($0.seconds)] }
            timing += "\n\n" + markdownTable(Table(headers: ["step", "seconds"], rows: rows))
        }
        if !machineNumbers.isEmpty {
            timing += "\n\n" + markdownTable(Table(headers: ["measured on this machine", "value"],
                                                    rows: machineNumbers.map { [$0.label, $0.text] }))
        }
        blocks.append(timing)
        return blocks.joined(separator: "\n\n") + "\n"
    }

    private func render(_ cell: Cell) -> String {
        switch cell {
        case let .section(title): return "## \(title)"
        case let .say(text): return text.trimmingCharacters(in: .newlines)
        case .number: return ""
        case let .table(table): return markdownTable(table)
        case let .code(source, language): return fenced(source, language: language)
        case let .output(text): return fenced(text, language: "text")
        case let .figure(fig):
            var caption = "*\(escapeInline(fig.caption))*"
            if let csv = fig.csv { caption += " ([data](\(csv)))" }
            return "![\(escapeAlt(fig.caption))](\(fig.png))\n\n" + caption
        }
    }

    private func fenced(_ text: String, language: String) -> String {
        // A fence longer than any backtick run inside keeps the block closed where it should be.
        var fence = "```"
        while text.contains(fence) { fence += "`" }
        return "\(fence)\(language)\n\(text.trimmingCharacters(in: .newlines))\n\(fence)"
    }
}

/// A markdown table, numeric columns right-aligned.
func markdownTable(_ table: Table) -> String {
    let cell = { (s: String) in s.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ") }
    var lines = ["| " + table.headers.map(cell).joined(separator: " | ") + " |"]
    lines.append("|" + table.headers.indices.map { table.isNumeric(column: $0) ? " ---: " : " --- " }.joined(separator: "|") + "|")
    for row in table.squaredRows { lines.append("| " + row.map(cell).joined(separator: " | ") + " |") }
    return lines.joined(separator: "\n")
}

/// Seconds with a precision that suits their size.
func formatSeconds(_ s: Double) -> String {
    s < 10 ? String(format: "%.2f", s) : String(format: "%.1f", s)
}

private func escapeInline(_ s: String) -> String {
    s.replacingOccurrences(of: "*", with: "\\*").replacingOccurrences(of: "\n", with: " ")
}

private func escapeAlt(_ s: String) -> String {
    s.replacingOccurrences(of: "[", with: "(").replacingOccurrences(of: "]", with: ")")
        .replacingOccurrences(of: "\n", with: " ")
}
