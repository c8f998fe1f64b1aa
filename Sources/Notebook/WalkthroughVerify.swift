import Foundation

/// One way a regenerated chapter folder differs from the committed one.
public enum FolderDifference: Equatable, CustomStringConvertible, Sendable {
    /// The file is in both folders but its compared bytes differ.
    case changed(String)
    /// The committed folder has the file; the regenerated one does not.
    case missing(String)
    /// The regenerated folder has a file the committed one does not.
    case extra(String)

    /// The file's path relative to the folder.
    public var path: String {
        switch self {
        case let .changed(p), let .missing(p), let .extra(p): return p
        }
    }

    /// `changed: loss.png` and the like.
    public var description: String {
        switch self {
        case let .changed(p): return "changed: \(p)"
        case let .missing(p): return "missing: \(p) (committed, not regenerated)"
        case let .extra(p): return "extra: \(p) (regenerated, not committed)"
        }
    }
}

/// Byte-for-byte comparison of a committed chapter folder with a regenerated one.
public enum FolderComparison {
    /// File kinds that must reproduce exactly. Reports are compared only above `timingsHeading`.
    public static let comparedExtensions: Set<String> = ["png", "csv", "json", "md", "txt"]

    /// Every difference between `expected` (committed) and `actual` (regenerated), sorted by path.
    /// Only files whose extension is in `comparedExtensions` count; subfolders are compared too.
    public static func compare(expected: URL, actual: URL) throws -> [FolderDifference] {
        let want = try files(in: expected)
        let got = try files(in: actual)
        var differences: [FolderDifference] = []
        for path in want.union(got).sorted() {
            switch (want.contains(path), got.contains(path)) {
            case (true, false): differences.append(.missing(path))
            case (false, true): differences.append(.extra(path))
            default:
                let a = try comparable(expected.appendingPathComponent(path))
                let b = try comparable(actual.appendingPathComponent(path))
                if a != b { differences.append(.changed(path)) }
            }
        }
        return differences
    }

    /// Relative paths of the compared files under `root` (empty if `root` does not exist).
    static func files(in root: URL) throws -> Set<String> {
        let fm = FileManager.default
        var isDir: ObjCBool = false
        guard fm.fileExists(atPath: root.path, isDirectory: &isDir), isDir.boolValue else { return [] }
        var result: Set<String> = []
        var stack = [""]
        while let rel = stack.popLast() {
            let dir = rel.isEmpty ? root : root.appendingPathComponent(rel)
            for name in try fm.contentsOfDirectory(atPath: dir.path) {
                let relPath = rel.isEmpty ? name : rel + "/" + name
                var sub: ObjCBool = false
                _ = fm.fileExists(atPath: dir.appendingPathComponent(name).path, isDirectory: &sub)
                if sub.boolValue {
                    stack.append(relPath)
                } else if comparedExtensions.contains((name as NSString).pathExtension.lowercased()) {
                    result.insert(relPath)
                }
            }
        }
        return result
    }

    /// The bytes that must match: the whole file, or a report up to its timings heading.
    static func comparable(_ url: URL) throws -> Data {
        let data = try Data(contentsOf: url)
        guard url.lastPathComponent == "README.md" else { return data }
        return deterministicPart(ofReport: data)
    }

    /// A report's bytes before the line `## Timings (machine-dependent)` (all of it if absent).
    public static func deterministicPart(ofReport data: Data) -> Data {
        let marker = Data(("\n" + timingsHeading).utf8)
        if data.starts(with: Data(timingsHeading.utf8)) { return Data() }
        guard let range = data.range(of: marker) else { return data }
        return data.subdata(in: data.startIndex..<range.lowerBound)
    }
}
