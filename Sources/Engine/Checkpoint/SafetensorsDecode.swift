/// Reading: every field of an untrusted file is checked before any byte is interpreted.
extension SafetensorsFile {
    /// Reads and validates the checkpoint at `path`.
    /// - Throws: `CheckpointError` naming the path, the tensor and what was expected vs found.
    public static func read(from path: String) throws -> SafetensorsFile {
        try decode(try readWholeFile(path), source: path)
    }

    /// Parses and validates a checkpoint held in memory; `source` labels it in error messages.
    ///
    /// Checks, in order: the length field; the header (UTF-8, JSON, an object, at most one
    /// `__metadata__` of string values, no duplicate names); per tensor, dtype, shape and
    /// data_offsets types, byte count against shape × dtype size, and bounds; finally that the
    /// tensors tile the data buffer exactly, without overlaps or gaps.
    public static func decode(_ bytes: [UInt8], source: String) throws -> SafetensorsFile {
        let file = source
        guard bytes.count >= 8 else { throw CheckpointError.tooShort(file: file, size: bytes.count) }
        var headerLength: UInt64 = 0
        for i in 0..<8 { headerLength |= UInt64(bytes[i]) << (8 * UInt64(i)) }
        let available = bytes.count - 8
        guard headerLength <= UInt64(available) else {
            throw CheckpointError.truncatedHeader(file: file, headerLength: headerLength, available: available)
        }
        let dataStart = 8 + Int(headerLength)
        let headerBytes = Array(bytes[8..<dataStart])
        let bufferSize = bytes.count - dataStart

        guard isValidUTF8(headerBytes) else {
            throw CheckpointError.invalidHeader(file: file, reason: "not valid UTF-8")
        }
        let root: JSONValue
        do {
            root = try JSONParser.parse(headerBytes)
        } catch let e as JSONSyntaxError {
            throw CheckpointError.invalidHeader(file: file, reason: "not valid JSON: \(e.message) at header byte \(e.offset)")
        }
        guard case let .object(members) = root else {
            throw CheckpointError.invalidHeader(file: file, reason: "expected a JSON object, found \(root.kind)")
        }

        var metadata: [String: String] = [:]
        var sawMetadata = false
        var entries: [Entry] = []
        var seen = Set<String>()
        for (key, value) in members {
            if key == metadataKey {
                if sawMetadata { throw CheckpointError.duplicateName(file: file, tensor: key) }
                sawMetadata = true
                metadata = try parseMetadata(value, file: file)
                continue
            }
            guard seen.insert(key).inserted else { throw CheckpointError.duplicateName(file: file, tensor: key) }
            entries.append(try parseEntry(name: key, value, file: file, bufferSize: bufferSize))
        }

        // The tensors must tile 0..<bufferSize: sorted by position, each begins where the last ended.
        let byPosition = entries.sorted { ($0.begin, $0.end) < ($1.begin, $1.end) }
        var covered = 0
        var previous: String? = nil
        for e in byPosition {
            if e.begin < covered, let other = previous {
                throw CheckpointError.overlappingTensors(file: file, tensor: e.name, other: other)
            }
            if e.begin > covered { throw CheckpointError.uncoveredBytes(file: file, begin: covered, end: e.begin) }
            covered = e.end
            if e.end > e.begin { previous = e.name }
        }
        if covered < bufferSize { throw CheckpointError.uncoveredBytes(file: file, begin: covered, end: bufferSize) }

        let arrays = bytes.withUnsafeBytes { raw in
            entries.sorted { utf8Less($0.name, $1.name) }.map { e in
                NamedArray(validatedName: e.name, shape: e.shape,
                           values: e.dtype.decode(raw, offset: dataStart + e.begin, count: e.count))
            }
        }
        return SafetensorsFile(validatedSortedArrays: arrays, metadata: metadata)
    }

    /// One header entry after validation.
    private struct Entry {
        let name: String
        let dtype: SafetensorsDType
        let shape: [Int]
        let count: Int
        let begin: Int
        let end: Int
    }

    private static func parseMetadata(_ value: JSONValue, file: String) throws -> [String: String] {
        guard case let .object(pairs) = value else {
            throw CheckpointError.invalidMetadata(file: file, reason: "expected an object, found \(value.kind)")
        }
        var out: [String: String] = [:]
        for (k, v) in pairs {
            guard case let .string(s) = v else {
                throw CheckpointError.invalidMetadata(file: file, reason: "value of '\(k)' must be a string, found \(v.kind)")
            }
            guard out.updateValue(s, forKey: k) == nil else {
                throw CheckpointError.invalidMetadata(file: file, reason: "key '\(k)' appears more than once")
            }
        }
        return out
    }

    /// A non-negative integer that fits in Int, or an error saying which field held what.
    private static func integer(_ v: JSONValue, field: String, file: String, tensor: String) throws -> Int {
        guard case let .number(text) = v else {
            throw CheckpointError.invalidEntry(file: file, tensor: tensor, reason: "\(field) must be an integer, found \(v.kind)")
        }
        if text.contains(where: { $0 == "." || $0 == "e" || $0 == "E" }) {
            throw CheckpointError.invalidEntry(file: file, tensor: tensor, reason: "\(field) must be an integer, found \(text)")
        }
        guard let n = Int(text) else {
            throw CheckpointError.invalidEntry(file: file, tensor: tensor, reason: "\(field) value \(text) is out of range")
        }
        guard n >= 0, !text.hasPrefix("-") else {
            throw CheckpointError.invalidEntry(file: file, tensor: tensor, reason: "\(field) must not be negative, found \(text)")
        }
        return n
    }

    private static func parseEntry(name: String, _ value: JSONValue, file: String, bufferSize: Int) throws -> Entry {
        func bad(_ reason: String) -> CheckpointError { .invalidEntry(file: file, tensor: name, reason: reason) }
        guard case let .object(fields) = value else { throw bad("expected an object, found \(value.kind)") }
        func field(_ key: String) throws -> JSONValue {
            let matches = fields.filter { $0.key == key }
            guard let first = matches.first else { throw bad("missing field '\(key)'") }
            guard matches.count == 1 else { throw bad("field '\(key)' appears more than once") }
            return first.value
        }

        guard case let .string(dtypeName) = try field("dtype") else {
            throw bad("dtype must be a string, found \(try field("dtype").kind)")
        }
        guard case let .array(dims) = try field("shape") else {
            throw bad("shape must be an array, found \(try field("shape").kind)")
        }
        guard case let .array(offsets) = try field("data_offsets") else {
            throw bad("data_offsets must be an array, found \(try field("data_offsets").kind)")
        }
        guard let dtype = SafetensorsDType(rawValue: dtypeName) else {
            throw CheckpointError.unsupportedDType(file: file, tensor: name, dtype: dtypeName)
        }
        let shape = try dims.enumerated().map { try integer($1, field: "shape[\($0)]", file: file, tensor: name) }
        guard offsets.count == 2 else { throw bad("data_offsets must hold 2 integers, found \(offsets.count)") }
        let begin = try integer(offsets[0], field: "data_offsets[0]", file: file, tensor: name)
        let end = try integer(offsets[1], field: "data_offsets[1]", file: file, tensor: name)
        guard begin <= end else { throw bad("data_offsets [\(begin), \(end)] end before they begin") }

        guard let count = elementCount(shape) else { throw bad("shape \(shape) has too many elements") }
        let (byteCount, overflow) = count.multipliedReportingOverflow(by: dtype.size)
        guard !overflow else { throw bad("shape \(shape) of \(dtype.rawValue) has too many bytes") }
        guard end - begin == byteCount else {
            throw CheckpointError.sizeMismatch(file: file, tensor: name, shape: shape, dtype: dtype.rawValue,
                                               expectedBytes: byteCount, foundBytes: end - begin)
        }
        guard end <= bufferSize else {
            throw CheckpointError.offsetsOutOfBounds(file: file, tensor: name, end: end, bufferSize: bufferSize)
        }
        return Entry(name: name, dtype: dtype, shape: shape, count: count, begin: begin, end: end)
    }
}
