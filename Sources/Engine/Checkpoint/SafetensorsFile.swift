/// A whole safetensors checkpoint in memory: named float arrays plus string metadata.
///
/// Layout (https://huggingface.co/docs/safetensors): an 8-byte little-endian header length N,
/// N bytes of JSON header mapping each name to `{"dtype", "shape", "data_offsets"}` (offsets
/// relative to the data buffer) plus an optional `"__metadata__"` string map, then the data.
/// Construction rejects inconsistent arrays, so encoding cannot fail.
public struct SafetensorsFile: Equatable, Sendable {
    /// The reserved header key for the metadata map.
    public static let metadataKey = "__metadata__"

    /// The arrays, sorted by name (UTF-8 byte order), names unique.
    public let arrays: [NamedArray]
    /// Free-form string pairs stored in the header (training step, model config, ...).
    public let metadata: [String: String]

    /// Holds `arrays` (in any order; kept sorted by name) and `metadata`.
    /// - Throws: `CheckpointError.duplicateName` if two arrays share a name.
    public init(arrays: [NamedArray], metadata: [String: String] = [:]) throws {
        let sorted = arrays.sorted { utf8Less($0.name, $1.name) }
        for (a, b) in zip(sorted, sorted.dropFirst()) where a.name == b.name {
            throw CheckpointError.duplicateName(file: "<arrays to write>", tensor: a.name)
        }
        self.arrays = sorted
        self.metadata = metadata
    }

    /// For the decoder, which has already checked names and sorted them.
    init(validatedSortedArrays arrays: [NamedArray], metadata: [String: String]) {
        self.arrays = arrays
        self.metadata = metadata
    }

    /// The array called `name`, if present.
    public subscript(name: String) -> NamedArray? {
        arrays.first { $0.name == name }
    }

    /// The array names in file order.
    public var names: [String] { arrays.map(\.name) }

    // MARK: Encoding

    /// The exact bytes of the file: same arrays and metadata, same bytes, on every machine.
    ///
    /// Header JSON is compact with a fixed key order: `__metadata__` first (keys sorted, omitted
    /// when empty), then tensors by name, each as `{"dtype":"F32","shape":[..],"data_offsets":[b,e]}`.
    /// The header is padded with spaces so the data starts on an 8-byte boundary.
    public func encode() -> [UInt8] {
        var header: [UInt8] = [UInt8(ascii: "{")]
        var first = true
        func separator() {
            if !first { header.append(UInt8(ascii: ",")) }
            first = false
        }
        if !metadata.isEmpty {
            separator()
            appendJSONString(SafetensorsFile.metadataKey, to: &header)
            header.append(contentsOf: Array(":{".utf8))
            for (i, key) in metadata.keys.sorted(by: utf8Less).enumerated() {
                if i > 0 { header.append(UInt8(ascii: ",")) }
                appendJSONString(key, to: &header)
                header.append(UInt8(ascii: ":"))
                appendJSONString(metadata[key] ?? "", to: &header)
            }
            header.append(UInt8(ascii: "}"))
        }
        var offset = 0
        for array in arrays {
            separator()
            let end = offset + 4 * array.values.count
            appendJSONString(array.name, to: &header)
            let shape = array.shape.map(String.init).joined(separator: ",")
            header.append(contentsOf: Array(":{\"dtype\":\"F32\",\"shape\":[\(shape)],\"data_offsets\":[\(offset),\(end)]}".utf8))
            offset = end
        }
        header.append(UInt8(ascii: "}"))
        while header.count % 8 != 0 { header.append(UInt8(ascii: " ")) }

        var out: [UInt8] = []
        out.reserveCapacity(8 + header.count + offset)
        withUnsafeBytes(of: UInt64(header.count).littleEndian) { out.append(contentsOf: $0) }
        out.append(contentsOf: header)
        for array in arrays {
            #if _endian(little)
            array.values.withUnsafeBytes { out.append(contentsOf: $0) }  // already the file's byte order
            #else
            for v in array.values {
                withUnsafeBytes(of: v.bitPattern.littleEndian) { out.append(contentsOf: $0) }
            }
            #endif
        }
        return out
    }

    /// Writes the file atomically: a temporary file in the same folder, flushed, then renamed over
    /// `path`. On any failure the temporary file is removed and an existing file at `path` is
    /// left exactly as it was.
    /// - Throws: `CheckpointError.writeFailed` naming the path and the system's reason.
    public func write(to path: String) throws {
        try AtomicFile.write(encode(), to: path)
    }
}
