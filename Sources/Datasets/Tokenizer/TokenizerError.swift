/// Why a `tokenizer.json` could not be read or written. Every case names the file.
public enum TokenizerError: Error, Equatable, CustomStringConvertible {
    /// The file could not be read.
    case unreadable(path: String, reason: String)
    /// The file is not JSON.
    case invalidJSON(path: String, reason: String)
    /// A required field is absent.
    case missingField(path: String, field: String)
    /// A field has the wrong JSON type or an unsupported value.
    case unsupported(path: String, field: String, expected: String, found: String)
    /// The vocabulary is inconsistent (ids not 0..<n, a character outside the byte alphabet, ...).
    case invalidVocab(path: String, reason: String)
    /// Merge number `index` is malformed or refers to unknown tokens.
    case invalidMerge(path: String, index: Int, reason: String)
    /// Writing failed; no partial file is left behind.
    case writeFailed(path: String, reason: String)

    /// A message that says what is wrong and where.
    public var description: String {
        switch self {
        case .unreadable(let p, let r): return "\(p): cannot be read (\(r))"
        case .invalidJSON(let p, let r): return "\(p): not valid JSON (\(r))"
        case .missingField(let p, let f): return "\(p): missing field \(f)"
        case .unsupported(let p, let f, let e, let found): return "\(p): \(f) should be \(e), found \(found)"
        case .invalidVocab(let p, let r): return "\(p): invalid model.vocab: \(r)"
        case .invalidMerge(let p, let i, let r): return "\(p): invalid model.merges[\(i)]: \(r)"
        case .writeFailed(let p, let r): return "\(p): cannot write (\(r))"
        }
    }
}
