import Foundation

/// Where the chapter executables are and how to build them.
enum Products {
    /// The package root, found from this source file's location (Sources/Walkthrough/ → root).
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The build products folder this walkthrough binary sits in; the chapters sit beside it.
    static func binaryFolder() -> URL {
        #if os(Linux)
        if let path = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            return URL(fileURLWithPath: path).deletingLastPathComponent()
        }
        #endif
        if let url = Bundle.main.executableURL { return url.resolvingSymlinksInPath().deletingLastPathComponent() }
        return URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
    }

    /// A failed `swift build`.
    struct BuildFailed: Error, CustomStringConvertible {
        var command: String
        var status: Int32
        var description: String {
            "`\(command)` failed (exit \(status)); fix the build, or pass --no-build to run the chapters already built"
        }
    }

    /// Builds every product with the configuration this binary was built with (release unless it
    /// sits in a `debug` folder), into the same build folder, so the chapters land beside it.
    static func build(binDir: URL) throws {
        let config = binDir.lastPathComponent == "debug" ? "debug" : "release"
        var args = ["swift", "build", "-c", config, "--package-path", packageRoot.path]
        // <scratch>/<triple>/<config>/walkthrough: pass the scratch folder when it is a SwiftPM one,
        // so a custom --scratch-path build keeps using its own folder.
        let scratch = binDir.deletingLastPathComponent().deletingLastPathComponent()
        if FileManager.default.fileExists(atPath: scratch.appendingPathComponent("workspace-state.json").path) {
            args += ["--scratch-path", scratch.path]
        }
        let command = args.joined(separator: " ")
        print(">>> \(command)")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = args
        do { try process.run() } catch { throw BuildFailed(command: command, status: -1) }
        process.waitUntilExit()
        guard process.terminationReason == .exit, process.terminationStatus == 0 else {
            throw BuildFailed(command: command, status: process.terminationStatus)
        }
    }
}
