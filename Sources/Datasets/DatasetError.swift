/// Why a data file could not be loaded. Every case names the file.
public enum DatasetError: Error, Equatable, CustomStringConvertible {
    /// No file at this path.
    case missing(path: String)
    /// The file exists but could not be read (a folder, no permission, ...).
    case unreadable(path: String, reason: String)
    /// The file has no bytes.
    case empty(path: String)
    /// The file is not UTF-8; `byteOffset` is the first byte that does not start a valid character.
    case invalidUTF8(path: String, byteOffset: Int)

    /// A message for the user that says what is wrong and where.
    public var description: String {
        switch self {
        case .missing(let path): return "\(path): no such file"
        case .unreadable(let path, let reason): return "\(path): cannot be read (\(reason))"
        case .empty(let path): return "\(path): the file is empty, expected UTF-8 text"
        case .invalidUTF8(let path, let offset):
            return "\(path): not valid UTF-8, first invalid byte at offset \(offset)"
        }
    }
}
