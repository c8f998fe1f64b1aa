import Foundation

/// The numbers behind a figure, written as CSV beside its PNG.
public struct CSVTable: Equatable, Sendable {
    /// Column names (the header row).
    public var header: [String]
    /// Data rows, already formatted as text.
    public var rows: [[String]]

    /// Creates a table.
    public init(header: [String], rows: [[String]] = []) {
        self.header = header
        self.rows = rows
    }

    /// A number as Swift's shortest round-trip text ("0.1", "1e-05", "nan"), so reading the CSV
    /// gives back exactly the plotted value and the same value always prints the same way.
    public static func number(_ v: Double) -> String { "\(v)" }

    /// A Float as its shortest round-trip text.
    public static func number(_ v: Float) -> String { "\(v)" }

    /// The CSV text: RFC 4180 quoting for fields with commas, quotes or line breaks; "\n" endings.
    public var text: String {
        func field(_ s: String) -> String {
            guard s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return s }
            return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        var out = header.map(field).joined(separator: ",") + "\n"
        for row in rows { out += row.map(field).joined(separator: ",") + "\n" }
        return out
    }
}
