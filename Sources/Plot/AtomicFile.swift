import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes whole files so readers never see a half-written one: the bytes go to a temp file in the
/// same folder (so the rename stays on one file system) and are then renamed over the target.
enum AtomicFile {
    /// Why a write failed, in words for the caller's typed error.
    struct Failure: Error {
        let reason: String
    }

    static func write(_ bytes: [UInt8], to path: String) throws {
        let url = URL(fileURLWithPath: path)
        let folder = url.deletingLastPathComponent().path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw Failure(reason: "folder \(folder) does not exist")
        }
        let temp = folder + "/." + url.lastPathComponent + ".tmp-\(getpid())"
        guard FileManager.default.createFile(atPath: temp, contents: Data(bytes)) else {
            throw Failure(reason: "cannot create temp file \(temp)")
        }
        guard rename(temp, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temp)
            throw Failure(reason: "cannot rename temp file onto target: \(reason)")
        }
    }
}
