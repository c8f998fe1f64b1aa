import Foundation

/// Prints a chapter to the terminal: headers that stand out, narration wrapped to a readable width.
struct Console {
    /// Whether anything is printed (tests run notebooks silently).
    var enabled: Bool
    /// Whether stdout takes ANSI styling (a terminal, and `NO_COLOR` unset).
    var styled: Bool
    /// Column to wrap narration at.
    var width = 100

    init(enabled: Bool) {
        self.enabled = enabled
        let env = ProcessInfo.processInfo.environment
        styled = enabled && isatty(STDOUT_FILENO) == 1 && env["NO_COLOR"] == nil && env["TERM"] != "dumb"
    }

    func print(_ text: String) {
        guard enabled else { return }
        Swift.print(text)
    }

    func bold(_ s: String) -> String { styled ? "\u{1B}[1m\(s)\u{1B}[0m" : s }
    func dim(_ s: String) -> String { styled ? "\u{1B}[2m\(s)\u{1B}[0m" : s }

    func title(_ text: String, subtitle: String) {
        print(bold(text))
        print(dim(subtitle))
    }

    func section(_ title: String) {
        let rule = String(repeating: "=", count: max(3, width - title.count - 4))
        print("")
        print(bold("== \(title) \(rule)"))
    }

    func say(_ text: String) {
        print("")
        print(wrap(text, width: width))
    }

    func number(_ label: String, _ value: String) {
        let dots = String(repeating: ".", count: max(2, 40 - label.count))
        print("  \(label) \(dim(dots)) \(bold(value))")
    }

    func table(_ table: Table) {
        print("")
        for line in alignedTable(table) { print("  " + line) }
    }

    func code(_ text: String) {
        print("")
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) { print(dim("    │ ") + line) }
    }

    func note(_ text: String) { print(dim("  \(text)")) }
}

extension Notebook {
    /// Narration as the terminal shows it: wrapped at `width` columns (see `wrap`).
    public static func wrapped(_ text: String, width: Int = 100) -> String { wrap(text, width: width) }
}

/// Wraps prose at `width` columns. Paragraphs (split at blank lines) are re-flowed; lines that look
/// like list items or indented blocks keep their breaks and get a hanging indent when too long.
func wrap(_ text: String, width: Int) -> String {
    let paragraphs = text.trimmingCharacters(in: .newlines).components(separatedBy: "\n\n")
    return paragraphs.map { paragraph -> String in
        let lines = paragraph.components(separatedBy: "\n")
        let structured = lines.contains { line in
            line.hasPrefix(" ") || line.hasPrefix("- ") || line.hasPrefix("* ") || line.hasPrefix("|")
                || line.range(of: #"^\d+\. "#, options: .regularExpression) != nil
        }
        if structured {
            return lines.map { line in
                let indent = line.prefix { $0 == " " }.count + (line.range(of: #"^ *([-*]|\d+\.) "#, options: .regularExpression).map {
                    line.distance(from: line.startIndex, to: $0.upperBound) - line.prefix { $0 == " " }.count } ?? 0)
                return flow(line, width: width, hanging: indent)
            }.joined(separator: "\n")
        }
        return flow(lines.joined(separator: " "), width: width, hanging: 0)
    }.joined(separator: "\n\n")
}

/// Greedy word wrap; continuation lines are indented by `hanging` spaces.
private func flow(_ line: String, width: Int, hanging: Int) -> String {
    let lead = String(line.prefix { $0 == " " })
    let words = line.split(separator: " ", omittingEmptySubsequences: true)
    var out: [String] = []
    var current = lead
    for word in words {
        let sep = current.trimmingCharacters(in: .whitespaces).isEmpty ? "" : " "
        if current.count + sep.count + word.count > width, !current.trimmingCharacters(in: .whitespaces).isEmpty {
            out.append(current)
            current = String(repeating: " ", count: hanging) + word
        } else {
            current += sep + word
        }
    }
    out.append(current)
    return out.joined(separator: "\n")
}

/// A table as aligned text lines: a header, a rule, the rows; numeric columns right-aligned.
func alignedTable(_ table: Table) -> [String] {
    let rows = table.squaredRows
    let widths = table.headers.indices.map { c in
        ([table.headers[c]] + rows.map { $0[c] }).map(\.count).max() ?? 0
    }
    let numeric = table.headers.indices.map { table.isNumeric(column: $0) }
    func line(_ cells: [String]) -> String {
        cells.indices.map { c in
            let pad = String(repeating: " ", count: widths[c] - cells[c].count)
            return numeric[c] ? pad + cells[c] : cells[c] + pad
        }.joined(separator: "  ")
    }
    return [line(table.headers), widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")] + rows.map(line)
}
