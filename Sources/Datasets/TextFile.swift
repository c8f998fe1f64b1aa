import Engine
import Foundation

/// Loading a real text file as the corpus instead of the generated stories.
public enum TextFile {
    /// The contents of a UTF-8 text file, byte for byte (a byte-order mark, if any, is kept).
    ///
    /// Throws `DatasetError` if the file is missing, unreadable, empty, or not valid UTF-8
    /// (naming the offset of the first bad byte, which Swift's lenient decoding would hide by
    /// substituting U+FFFD).
    public static func load(path: String) throws -> String {
        let bytes = try loadBytes(path: path)
        if bytes.isEmpty { throw DatasetError.empty(path: path) }
        if let offset = UTF8Validation.firstInvalidOffset(bytes) {
            throw DatasetError.invalidUTF8(path: path, byteOffset: offset)
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The raw bytes of a file, with the same missing/unreadable errors as `load(path:)`.
    public static func loadBytes(path: String) throws -> [UInt8] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw DatasetError.missing(path: path)
        }
        if isDirectory.boolValue { throw DatasetError.unreadable(path: path, reason: "it is a directory") }
        do { return try readWholeFile(path) } catch CheckpointError.fileNotFound {
            throw DatasetError.missing(path: path)
        } catch CheckpointError.unreadable(_, let reason) {
            throw DatasetError.unreadable(path: path, reason: reason)
        }
    }
}
