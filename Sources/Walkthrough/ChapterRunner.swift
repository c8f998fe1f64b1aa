import Foundation
import Notebook

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How one chapter went, for the summary table.
struct ChapterResult {
    var entry: ChapterEntry
    var seconds: Double
    var figures: Int?
    var status: String
    var ok: Bool
}

extension WalkthroughCommand {
    /// Builds (unless `--no-build`), runs every selected chapter, prints the summary; returns the exit status.
    func runChapters(_ selected: [ChapterEntry]) -> Int32 {
        let binDir = Products.binaryFolder()
        if !noBuild {
            do { try Products.build(binDir: binDir) } catch {
                FileHandle.standardError.write(Data("error: \(error)\n".utf8))
                return 1
            }
        }
        var verifyRoot: URL?
        if verify {
            let tmp = FileManager.default.temporaryDirectory.appendingPathComponent("walkthrough-verify-\(getpid())")
            do {
                try? FileManager.default.removeItem(at: tmp)
                try FileManager.default.createDirectory(at: tmp, withIntermediateDirectories: true)
            } catch {
                FileHandle.standardError.write(Data("error: cannot create temporary folder \(tmp.path): \(error)\n".utf8))
                return 1
            }
            verifyRoot = tmp
            TempCleanup.watch(tmp.path)
        }
        defer { if let verifyRoot { try? FileManager.default.removeItem(at: verifyRoot) } }

        var results: [ChapterResult] = []
        for (i, entry) in selected.enumerated() {
            let committed = URL(fileURLWithPath: outRoot).appendingPathComponent(entry.folder)
            let out = (verifyRoot ?? URL(fileURLWithPath: outRoot)).appendingPathComponent(entry.folder)
            var args = ["--out", out.path]
            var useSeed = seed, useQuick = quick
            if verify, let recorded = try? Manifest.read(from: committed.appendingPathComponent("manifest.json")) {
                // Regenerate with the flags the committed outputs were made with.
                useSeed = recorded.seed
                useQuick = recorded.quick
            }
            if let useSeed { args += ["--seed", String(useSeed)] }
            if useQuick { args.append("--quick") }
            if fresh { args.append("--fresh") }
            if let threads { args += ["--threads", String(threads)] }

            print("\n>>> [\(i + 1)/\(selected.count)] \(entry.executable) \(args.joined(separator: " "))")
            var result = runOne(entry, binDir: binDir, arguments: args, out: out)
            if verify && result.ok && !FileManager.default.fileExists(atPath: committed.path) {
                result.status = "nothing committed at \(committed.path)"
                result.ok = false
            } else if verify && result.ok {
                do {
                    let differences = try FolderComparison.compare(expected: committed, actual: out)
                    for d in differences { print("    \(Self.inFolder(d, entry.folder))") }
                    if differences.isEmpty {
                        result.status = "verified"
                    } else {
                        result.status = "\(differences.count) difference\(differences.count == 1 ? "" : "s")"
                        result.ok = false
                    }
                } catch {
                    result.status = "compare failed: \(error)"
                    result.ok = false
                }
            }
            results.append(result)
        }

        print("")
        printTable(
            headers: ["chapter", "seconds", "figures", "status"],
            rows: results.map { r in
                ["\(ChapterName.twoDigits(r.entry.number)) \(r.entry.slug)", String(format: "%.1f", r.seconds),
                 r.figures.map(String.init) ?? "-", r.status]
            })
        let failed = results.filter { !$0.ok }.count
        if failed == 0 {
            print(verify ? "\nAll \(results.count) chapter(s) reproduce the committed outputs byte for byte."
                         : "\nAll \(results.count) chapter(s) ran; outputs are in \(outRoot)/.")
            return 0
        }
        print("\n\(failed) of \(results.count) chapter(s) \(verify ? "failed or differ" : "failed").")
        return 1
    }

    /// The difference with its path shown from the output root, e.g. `changed: 00-engine/loss.png`.
    static func inFolder(_ d: FolderDifference, _ folder: String) -> FolderDifference {
        switch d {
        case let .changed(p): return .changed("\(folder)/\(p)")
        case let .missing(p): return .missing("\(folder)/\(p)")
        case let .extra(p): return .extra("\(folder)/\(p)")
        }
    }

    private func runOne(_ entry: ChapterEntry, binDir: URL, arguments: [String], out: URL) -> ChapterResult {
        let exe = binDir.appendingPathComponent(entry.executable)
        guard FileManager.default.isExecutableFile(atPath: exe.path) else {
            return ChapterResult(entry: entry, seconds: 0, figures: nil,
                                 status: "not built (\(exe.path) missing)", ok: false)
        }
        let process = Process()
        process.executableURL = exe
        process.arguments = arguments
        let start = ContinuousClock.now
        do {
            try process.run()
        } catch {
            return ChapterResult(entry: entry, seconds: 0, figures: nil, status: "could not start: \(error)", ok: false)
        }
        process.waitUntilExit()
        let d = ContinuousClock.now - start
        let seconds = Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
        let ok = process.terminationReason == .exit && process.terminationStatus == 0
        let figures = ok ? (try? Manifest.read(from: out.appendingPathComponent("manifest.json")))?.figures.count : nil
        let status: String
        if ok { status = "ok" }
        else if process.terminationReason == .uncaughtSignal { status = "killed by signal \(process.terminationStatus)" }
        else { status = "failed (exit \(process.terminationStatus))" }
        return ChapterResult(entry: entry, seconds: seconds, figures: figures, status: status, ok: ok)
    }
}

/// Prints an aligned text table.
func printTable(headers: [String], rows: [[String]]) {
    let widths = headers.indices.map { c in ([headers[c]] + rows.map { $0[c] }).map(\.count).max() ?? 0 }
    func line(_ cells: [String]) -> String {
        cells.indices.map { cells[$0] + String(repeating: " ", count: widths[$0] - cells[$0].count) }
            .joined(separator: "  ").trimmingCharacters(in: .whitespaces)
    }
    print(line(headers))
    print(widths.map { String(repeating: "-", count: $0) }.joined(separator: "  "))
    for row in rows { print(line(row)) }
}

/// Removes the verify folder if the walkthrough is interrupted.
enum TempCleanup {
    nonisolated(unsafe) static var sources: [DispatchSourceSignal] = []

    static func watch(_ path: String) {
        for sig in [SIGINT, SIGTERM] {
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            source.setEventHandler {
                try? FileManager.default.removeItem(atPath: path)
                exit(128 + sig)
            }
            source.resume()
            sources.append(source)
        }
    }
}
