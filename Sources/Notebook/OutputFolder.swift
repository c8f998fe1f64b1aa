import Foundation

/// A chapter's output folder, written atomically.
///
/// Everything goes into a staging folder beside the target (`<out>.partial-<pid>`). Only when the
/// chapter finishes does the staging folder replace the old output by rename, so a reader never sees
/// half a chapter and a failed or interrupted run leaves the previous outputs as they were.
struct OutputFolder {
    /// Where the outputs land when the chapter succeeds.
    let target: URL
    /// Where they are written meanwhile.
    let staging: URL
    /// Ancestors of `target` this run created, deepest first, removed again if the run fails.
    private(set) var createdAncestors: [URL] = []

    private static var fm: FileManager { FileManager.default }

    /// Checks that `path` can become an output folder, without writing anything.
    static func check(_ path: String) throws {
        let url = URL(fileURLWithPath: path)
        var isDir: ObjCBool = false
        if fm.fileExists(atPath: url.path, isDirectory: &isDir) {
            guard isDir.boolValue else { throw NotebookError.badOutput(path: path, reason: "exists and is not a folder") }
        }
        // The staging folder is created beside the target, so the nearest existing ancestor of the
        // target's parent must be a writable folder.
        var ancestor = url.deletingLastPathComponent()
        while !fm.fileExists(atPath: ancestor.path, isDirectory: &isDir) {
            let up = ancestor.deletingLastPathComponent()
            if up.path == ancestor.path { break }
            ancestor = up
        }
        guard isDir.boolValue else {
            throw NotebookError.badOutput(path: path, reason: "'\(ancestor.path)' is a file, not a folder")
        }
        guard access(ancestor.path, W_OK) == 0 else {
            throw NotebookError.badOutput(path: path, reason: "cannot write in '\(ancestor.path)' (\(String(cString: strerror(errno))))")
        }
    }

    /// Creates the staging folder (and any missing parents) for `path`.
    static func begin(_ path: String) throws -> OutputFolder {
        try check(path)
        let target = URL(fileURLWithPath: path).standardizedFileURL
        let parent = target.deletingLastPathComponent()
        var folder = OutputFolder(
            target: target,
            staging: parent.appendingPathComponent("\(target.lastPathComponent).partial-\(getpid())"))
        var missing: [URL] = []
        var probe = parent
        while !fm.fileExists(atPath: probe.path) {
            missing.append(probe)
            probe = probe.deletingLastPathComponent()
        }
        // mkdir(2) directly: its errno gives a short, exact reason ("Read-only file system").
        func make(_ dir: URL) throws {
            guard mkdir(dir.path, 0o755) == 0 else {
                let reason = String(cString: strerror(errno))
                folder.abandon()
                throw NotebookError.badOutput(path: path, reason: "cannot create '\(dir.path)' (\(reason))")
            }
        }
        for dir in missing.reversed() {
            try make(dir)
            folder.createdAncestors.insert(dir, at: 0)
        }
        removeStaleStaging(beside: target)
        try? fm.removeItem(at: folder.staging)
        try make(folder.staging)
        return folder
    }

    /// The path inside the staging folder for an output file called `name`.
    func stagedPath(_ name: String) -> String { staging.appendingPathComponent(name).path }

    /// Replaces the old output folder (if any) by the staging folder.
    func commit() throws {
        let old = target.deletingLastPathComponent()
            .appendingPathComponent("\(target.lastPathComponent).old-\(getpid())")
        let hadOld = Self.fm.fileExists(atPath: target.path)
        do {
            if hadOld { try Self.fm.moveItem(at: target, to: old) }
            do {
                try Self.fm.moveItem(at: staging, to: target)
            } catch {
                if hadOld { try? Self.fm.moveItem(at: old, to: target) }
                throw error
            }
            if hadOld { try? Self.fm.removeItem(at: old) }
        } catch {
            abandon()
            throw NotebookError.io(path: target.path, reason: "cannot replace the output folder (\(shortReason(error)))")
        }
    }

    /// Removes the staging folder and any parents this run created; the target is left untouched.
    func abandon() {
        try? Self.fm.removeItem(at: staging)
        for dir in createdAncestors {
            // Only remove a parent if it is still empty: another chapter may have written there meanwhile.
            if let items = try? Self.fm.contentsOfDirectory(atPath: dir.path), items.isEmpty {
                try? Self.fm.removeItem(at: dir)
            }
        }
    }

    /// Removes staging folders left by runs that were killed (their process no longer exists),
    /// restoring a previous output folder that such a run had moved aside.
    private static func removeStaleStaging(beside target: URL) {
        let parent = target.deletingLastPathComponent()
        let prefixes = ["\(target.lastPathComponent).partial-", "\(target.lastPathComponent).old-"]
        guard let items = try? fm.contentsOfDirectory(atPath: parent.path) else { return }
        for item in items {
            guard let prefix = prefixes.first(where: { item.hasPrefix($0) }),
                  let pid = Int32(item.dropFirst(prefix.count)), pid != getpid() else { continue }
            if kill(pid, 0) != 0 && errno == ESRCH {
                let stale = parent.appendingPathComponent(item)
                // A run killed between commit's two renames left the previous outputs in `.old-`
                // and no target: put them back, so a kill never loses a complete folder.
                if prefix.hasSuffix(".old-"), !fm.fileExists(atPath: target.path),
                   (try? fm.moveItem(at: stale, to: target)) != nil { continue }
                try? fm.removeItem(at: stale)
            }
        }
    }
}

/// The short reason of a Foundation file error, without the long `Error Domain=…` text.
func shortReason(_ error: Error) -> String {
    let ns = error as NSError
    if let underlying = ns.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain,
       let code = POSIXErrorCode(rawValue: Int32(underlying.code)) {
        return String(cString: strerror(code.rawValue))
    }
    if ns.domain == NSPOSIXErrorDomain { return String(cString: strerror(Int32(ns.code))) }
    return ns.localizedDescription
}
