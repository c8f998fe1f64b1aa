/// Whole-file reads and all-or-nothing writes over POSIX calls, so errors carry the system's
/// reason (errno) and a crash mid-write can never leave a half-written checkpoint at the path.
enum AtomicFile {
    /// Distinguishes concurrent temporary files written by one process.
    nonisolated(unsafe) private static var counter = 0

    private static func systemError() -> String { String(cString: strerror(errno)) }

    /// Writes `bytes` to a fresh temporary file beside `path`, flushes it to disk, then renames it
    /// over `path` (atomic on POSIX file systems). On failure the temporary file is removed.
    static func write(_ bytes: [UInt8], to path: String) throws {
        let slash = path.lastIndex(of: "/")
        let folder = slash.map { String(path[..<$0]) } ?? "."
        let base = slash.map { String(path[path.index(after: $0)...]) } ?? path
        counter += 1
        let temp = (folder.isEmpty ? "" : folder + "/") + ".\(base).tmp-\(getpid())-\(counter)"

        let fd = open(temp, O_WRONLY | O_CREAT | O_EXCL, 0o644)
        guard fd >= 0 else {
            throw CheckpointError.writeFailed(file: path, reason: "cannot create temporary file \(temp): \(systemError())")
        }
        var closed = false
        do {
            try bytes.withUnsafeBytes { raw in
                var done = 0
                while done < raw.count {
                    let n = posixWrite(fd, raw.baseAddress! + done, raw.count - done)
                    if n < 0 {
                        if errno == EINTR { continue }
                        throw CheckpointError.writeFailed(file: path, reason: "writing \(temp): \(systemError())")
                    }
                    done += n
                }
            }
            guard fsync(fd) == 0 else {
                throw CheckpointError.writeFailed(file: path, reason: "flushing \(temp): \(systemError())")
            }
            closed = true
            guard close(fd) == 0 else {
                throw CheckpointError.writeFailed(file: path, reason: "closing \(temp): \(systemError())")
            }
            guard rename(temp, path) == 0 else {
                throw CheckpointError.writeFailed(file: path, reason: "renaming \(temp) to \(path): \(systemError())")
            }
        } catch {
            if !closed { close(fd) }
            unlink(temp)
            throw error
        }
        // Make the rename itself durable; a failure here cannot undo the write, so it is ignored.
        let dirFD = open(folder.isEmpty ? "/" : folder, O_RDONLY)
        if dirFD >= 0 { fsync(dirFD); close(dirFD) }
    }
}

extension AtomicFile {
    /// Removes the temporary files (`.<name>.tmp-<pid>-<n>`) that `write` left in `folder` when its
    /// process was killed before the rename; files of processes still running are kept.
    static func removeStaleTemporaries(in folder: String) {
        guard let dir = opendir(folder) else { return }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            names.append(name)
        }
        closedir(dir)
        for name in names where name.hasPrefix(".") {
            // The base name may hold dashes itself; the last three pieces are "….tmp", pid, counter.
            let parts = name.split(separator: "-", omittingEmptySubsequences: false)
            guard parts.count >= 3, parts[parts.count - 3].hasSuffix(".tmp"),
                  let pid = Int32(parts[parts.count - 2]), Int(parts[parts.count - 1]) != nil, pid != getpid() else { continue }
            if kill(pid, 0) != 0 && errno == ESRCH { unlink(folder + "/" + name) }
        }
    }
}

/// POSIX `write`, named apart from the enum's own `write` so the call resolves to the C function.
@inline(__always)
private func posixWrite(_ fd: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
    #if canImport(Glibc)
    return Glibc.write(fd, buffer, count)
    #else
    return Darwin.write(fd, buffer, count)
    #endif
}

/// The whole content of the file at `path`, read with POSIX `read` in 1 MiB chunks.
///
/// The parsers of outside files (safetensors, a text corpus, `tokenizer.json`, WAV) read through
/// this rather than Foundation's `FileManager.contents(atPath:)` or `Data(contentsOf:)`: on Linux
/// (Swift 6.3) those leak a 4 KiB buffer for every empty file, which LeakSanitizer reports.
/// - Throws: `CheckpointError.fileNotFound` or `.unreadable` with the system's reason.
public func readWholeFile(_ path: String) throws -> [UInt8] {
    let fd = open(path, O_RDONLY)
    guard fd >= 0 else {
        if errno == ENOENT { throw CheckpointError.fileNotFound(file: path) }
        throw CheckpointError.unreadable(file: path, reason: String(cString: strerror(errno)))
    }
    defer { close(fd) }
    var out: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 1 << 20)
    while true {
        let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress!, $0.count) }
        if n < 0 {
            if errno == EINTR { continue }
            throw CheckpointError.unreadable(file: path, reason: String(cString: strerror(errno)))
        }
        if n == 0 { return out }
        out.append(contentsOf: chunk[0..<n])
    }
}
