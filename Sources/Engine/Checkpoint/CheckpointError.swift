/// Everything that can go wrong while reading, writing or matching a safetensors checkpoint.
///
/// Every case names the file it concerns (`file` is the path, or the `source` label given to an
/// in-memory decode) so a message read in a terminal says where to look without a stack trace.
public enum CheckpointError: Error, Equatable, CustomStringConvertible {
    /// No file exists at the path.
    case fileNotFound(file: String)
    /// The file exists but could not be opened or read (permissions, a directory, an I/O error).
    case unreadable(file: String, reason: String)
    /// Fewer than the 8 bytes that hold the header length.
    case tooShort(file: String, size: Int)
    /// The header length promises more bytes than the file holds.
    case truncatedHeader(file: String, headerLength: UInt64, available: Int)
    /// The header is not UTF-8, not JSON, or not a JSON object.
    case invalidHeader(file: String, reason: String)
    /// The `__metadata__` entry is not an object of string values.
    case invalidMetadata(file: String, reason: String)
    /// One tensor's entry lacks a field, or a field has the wrong type or an impossible value.
    case invalidEntry(file: String, tensor: String, reason: String)
    /// The tensor's dtype is not one this reader converts to Float.
    case unsupportedDType(file: String, tensor: String, dtype: String)
    /// The byte range does not hold exactly shape × dtype-size bytes.
    case sizeMismatch(file: String, tensor: String, shape: [Int], dtype: String, expectedBytes: Int, foundBytes: Int)
    /// The byte range reaches past the end of the data buffer.
    case offsetsOutOfBounds(file: String, tensor: String, end: Int, bufferSize: Int)
    /// Two tensors claim some of the same bytes.
    case overlappingTensors(file: String, tensor: String, other: String)
    /// Bytes of the data buffer that no tensor covers (the format requires full coverage).
    case uncoveredBytes(file: String, begin: Int, end: Int)
    /// Two entries (in the header, or in arrays handed to the writer) share a name.
    case duplicateName(file: String, tensor: String)
    /// An array handed to the writer is inconsistent (values count vs shape, reserved name, ...).
    case invalidArray(tensor: String, reason: String)
    /// The checkpoint could not be written; any previous file at the path is untouched.
    case writeFailed(file: String, reason: String)
    /// A parameter the model needs is not in the checkpoint.
    case missingParameter(file: String, name: String)
    /// The checkpoint holds a tensor the model has no parameter for.
    case unexpectedParameter(file: String, name: String)
    /// A parameter is present with a different shape than the model's.
    case shapeMismatch(file: String, name: String, expected: [Int], found: [Int])
    /// More than one parameter problem, all of them, in the order they were found.
    case parameterProblems(file: String, problems: [CheckpointError])

    /// A one-line message (several lines for `parameterProblems`) naming file, tensor and values.
    public var description: String {
        switch self {
        case let .fileNotFound(file):
            return "\(file): no such file"
        case let .unreadable(file, reason):
            return "\(file): cannot read: \(reason)"
        case let .tooShort(file, size):
            return "\(file): \(size) bytes is too short for a safetensors file (need at least 8 for the header length)"
        case let .truncatedHeader(file, headerLength, available):
            return "\(file): header length is \(headerLength) bytes but only \(available) bytes follow the length field (file truncated?)"
        case let .invalidHeader(file, reason):
            return "\(file): invalid header: \(reason)"
        case let .invalidMetadata(file, reason):
            return "\(file): invalid __metadata__: \(reason)"
        case let .invalidEntry(file, tensor, reason):
            return "\(file): tensor '\(tensor)': \(reason)"
        case let .unsupportedDType(file, tensor, dtype):
            let known = SafetensorsDType.allCases.map(\.rawValue).joined(separator: ", ")
            return "\(file): tensor '\(tensor)': unsupported dtype '\(dtype)' (supported: \(known))"
        case let .sizeMismatch(file, tensor, shape, dtype, expected, found):
            return "\(file): tensor '\(tensor)': shape \(shape) of \(dtype) needs \(expected) bytes, data_offsets span \(found)"
        case let .offsetsOutOfBounds(file, tensor, end, bufferSize):
            return "\(file): tensor '\(tensor)': data ends at byte \(end), past the \(bufferSize)-byte data buffer"
        case let .overlappingTensors(file, tensor, other):
            return "\(file): tensors '\(other)' and '\(tensor)' overlap in the data buffer"
        case let .uncoveredBytes(file, begin, end):
            return "\(file): data buffer bytes \(begin)..<\(end) belong to no tensor (the buffer must be fully covered)"
        case let .duplicateName(file, tensor):
            return "\(file): tensor name '\(tensor)' appears more than once"
        case let .invalidArray(tensor, reason):
            return "array '\(tensor)': \(reason)"
        case let .writeFailed(file, reason):
            return "\(file): write failed (any previous file is untouched): \(reason)"
        case let .missingParameter(file, name):
            return "\(file): parameter '\(name)' is missing from the checkpoint"
        case let .unexpectedParameter(file, name):
            return "\(file): checkpoint holds '\(name)', which the model has no parameter for"
        case let .shapeMismatch(file, name, expected, found):
            return "\(file): parameter '\(name)': model expects shape \(expected), checkpoint has \(found)"
        case let .parameterProblems(file, problems):
            let lines = problems.map { "  - " + $0.description }
            return "\(file): \(problems.count) parameter problems:\n" + lines.joined(separator: "\n")
        }
    }
}
