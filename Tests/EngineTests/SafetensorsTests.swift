import Foundation
import Testing
import Engine

/// A fresh empty folder for one test, removed by the caller.
private func makeTempFolder() throws -> String {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("safetensors-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url.path
}

/// A raw file: length field, header text (padded with spaces to 8 bytes if asked), data bytes.
private func rawFile(_ header: String, data: [UInt8] = [], pad: Bool = true, lengthOverride: UInt64? = nil) -> [UInt8] {
    var h = Array(header.utf8)
    if pad { while h.count % 8 != 0 { h.append(0x20) } }
    var out: [UInt8] = []
    withUnsafeBytes(of: (lengthOverride ?? UInt64(h.count)).littleEndian) { out.append(contentsOf: $0) }
    return out + h + data
}

/// Writes `bytes` to a file in a temp folder and reads it back through the public reader,
/// returning the error it throws (nil if it loads).
private func loadError(_ bytes: [UInt8]) throws -> (error: CheckpointError?, path: String) {
    let folder = try makeTempFolder()
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let path = folder + "/corrupt.safetensors"
    try Data(bytes).write(to: URL(fileURLWithPath: path))
    do {
        _ = try SafetensorsFile.read(from: path)
        return (nil, path)
    } catch let e as CheckpointError {
        return (e, path)
    }
}

/// The reason text of an `.invalidEntry` / `.invalidHeader` / `.invalidMetadata` error, for checking it names the problem.
private func reason(_ e: CheckpointError?) -> String {
    switch e {
    case let .invalidEntry(_, _, r)?, let .invalidHeader(_, r)?, let .invalidMetadata(_, r)?: return r
    default: return "not a reason-carrying error: \(String(describing: e))"
    }
}

private let f32 = #"{"dtype":"F32","#

@Suite("Safetensors checkpoints")
struct SafetensorsTests {
    // MARK: Round trips and layout

    @Test("Round trip keeps every bit, including -0, subnormals, infinities and metadata")
    func roundTripExactBits() throws {
        var rng = RNG(seed: 7)
        let special: [Float] = [-0.0, 0.0, .leastNonzeroMagnitude, .leastNormalMagnitude / 3, -.leastNonzeroMagnitude,
                                .infinity, -.infinity, .greatestFiniteMagnitude, 1.0 / 3.0, -1e-30]
        let arrays = try [
            NamedArray(name: "special", shape: [2, 5], values: special),
            NamedArray(name: "layer.0/wé\"ight", shape: [3, 4, 5], values: (0..<60).map { _ in rng.normal() }),
            NamedArray(name: "scalar", shape: [], values: [42.5]),
            NamedArray(name: "empty", shape: [0, 3], values: []),
        ]
        let metadata = ["step": "1200", "note": "quote \" backslash \\ newline \n tab \t ctrl \u{01} ü 🙂", "": "empty key"]
        let original = try SafetensorsFile(arrays: arrays, metadata: metadata)
        let folder = try makeTempFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/model.safetensors"
        try original.write(to: path)
        let loaded = try SafetensorsFile.read(from: path)

        #expect(loaded == original)
        #expect(loaded.metadata == metadata)
        #expect(loaded.names == ["empty", "layer.0/wé\"ight", "scalar", "special"])
        let bits = try #require(loaded["special"]).values.map(\.bitPattern)
        #expect(bits == special.map(\.bitPattern))
        #expect(bits[0] == 0x8000_0000)  // -0.0 stayed negative
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["model.safetensors"])
    }

    @Test("A tiny file has the hand-computed bytes: length field, header JSON, padding, data")
    func knownLayout() throws {
        // Given out of order on purpose: the writer sorts by name.
        let file = try SafetensorsFile(arrays: [NamedArray(name: "b", shape: [2], values: [1.0, -2.0]),
                                                NamedArray(name: "a", shape: [], values: [0.5])],
                                       metadata: ["step": "3"])
        let bytes = file.encode()
        let json = #"{"__metadata__":{"step":"3"},"a":{"dtype":"F32","shape":[],"data_offsets":[0,4]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}"#
        // The JSON is 135 bytes; one space pads it to 136 = 17 × 8.
        #expect(json.utf8.count == 135)
        #expect(Array(bytes[0..<8]) == [136, 0, 0, 0, 0, 0, 0, 0])
        #expect(Array(bytes[8..<144]) == Array((json + " ").utf8))
        let data: [UInt8] = [0x00, 0x00, 0x00, 0x3F,   // 0.5
                             0x00, 0x00, 0x80, 0x3F,   // 1.0
                             0x00, 0x00, 0x00, 0xC0]   // -2.0
        #expect(Array(bytes[144...]) == data)
        #expect(bytes.count == 8 + 136 + 12)
    }

    @Test("Encoding is deterministic and the data always starts on an 8-byte boundary")
    func deterministicAndAligned() throws {
        for nameLength in 1...9 {
            let name = String(repeating: "x", count: nameLength)
            let a = try NamedArray(name: name, shape: [1], values: [1])
            let b = try NamedArray(name: "w", shape: [2], values: [2, 3])
            let one = try SafetensorsFile(arrays: [a, b], metadata: ["k": "v", "a": "b"]).encode()
            let two = try SafetensorsFile(arrays: [b, a], metadata: ["a": "b", "k": "v"]).encode()
            #expect(one == two)
            let headerLength = one[0..<8].enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
            #expect(headerLength % 8 == 0)
            #expect(one.count == 8 + headerLength + 12)
        }
        let empty = try SafetensorsFile(arrays: []).encode()
        #expect(empty == [8, 0, 0, 0, 0, 0, 0, 0] + Array("{}      ".utf8))
        #expect(try SafetensorsFile.decode(empty, source: "mem") == SafetensorsFile(arrays: []))
    }

    @Test("F16, BF16 and F64 tensors are converted to Float exactly (or rounded, for F64)")
    func otherDTypes() throws {
        // F16: 1, -2, 65504 (largest half), 2^-24 (smallest subnormal), +inf.
        let half: [UInt16] = [0x3C00, 0xC000, 0x7BFF, 0x0001, 0x7C00]
        // BF16: 1, -3.
        let bf: [UInt16] = [0x3F80, 0xC040]
        let double: [Double] = [0.1, -1e300]
        var data: [UInt8] = []
        for h in half { data += [UInt8(h & 0xFF), UInt8(h >> 8)] }
        for h in bf { data += [UInt8(h & 0xFF), UInt8(h >> 8)] }
        for d in double { withUnsafeBytes(of: d.bitPattern.littleEndian) { data += $0 } }
        let header = #"{"h":{"dtype":"F16","shape":[5],"data_offsets":[0,10]},"#
            + #""g":{"dtype":"BF16","shape":[2],"data_offsets":[10,14]},"#
            + #""d":{"dtype":"F64","shape":[2],"data_offsets":[14,30]}}"#
        let file = try SafetensorsFile.decode(rawFile(header, data: data), source: "mixed")
        #expect(try #require(file["h"]).values == [1, -2, 65504, Float(bitPattern: 0x3380_0000), .infinity])
        #expect(try #require(file["g"]).values == [1, -3])
        #expect(try #require(file["d"]).values == [Float(0.1), -.infinity])
    }

    @Test("Every finite F16 value, positive and negative, loads as its exact Float value")
    func halfConversion() throws {
        let patterns = (UInt16(0)..<0x7C00).flatMap { [$0, $0 | 0x8000] }
        var data: [UInt8] = []
        for h in patterns { data += [UInt8(h & 0xFF), UInt8(h >> 8)] }
        let header = #"{"h":{"dtype":"F16","shape":[\#(patterns.count)],"data_offsets":[0,\#(data.count)]}}"#
        let values = try #require(SafetensorsFile.decode(rawFile(header, data: data), source: "half")["h"]).values
        for (h, v) in zip(patterns, values) {
            // value = (-1)^s × (e == 0 ? m × 2^-24 : (1 + m/1024) × 2^(e-15)), computed in Double.
            let e = Int((h >> 10) & 0x1F), m = Double(h & 0x3FF)
            let magnitude = e == 0 ? m * 0x1p-24 : (1 + m / 1024) * pow(2, Double(e - 15))
            let expected = Float(h & 0x8000 == 0 ? magnitude : -magnitude)
            if v.bitPattern != expected.bitPattern { Issue.record("half bits \(h): got \(v), expected \(expected)") }
        }
        #expect(values.count == 2 * 0x7C00)
    }

    // MARK: Corrupt and hostile files

    @Test("Missing, unreadable, too-short and truncated files each get their own error")
    func fileLevelErrors() throws {
        let folder = try makeTempFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        #expect(throws: CheckpointError.fileNotFound(file: folder + "/nope.safetensors")) {
            try SafetensorsFile.read(from: folder + "/nope.safetensors")
        }
        // A directory opens but cannot be read as a file.
        do {
            _ = try SafetensorsFile.read(from: folder)
            Issue.record("reading a directory should fail")
        } catch let CheckpointError.unreadable(file, _) {
            #expect(file == folder)
        }

        let short = try loadError([1, 2, 3])
        #expect(short.error == .tooShort(file: short.path, size: 3))

        let truncated = try loadError(rawFile("{}", lengthOverride: 1000))
        #expect(truncated.error == .truncatedHeader(file: truncated.path, headerLength: 1000, available: 8))
        let huge = try loadError(rawFile("{}", lengthOverride: .max))
        #expect(huge.error == .truncatedHeader(file: huge.path, headerLength: .max, available: 8))
    }

    @Test("A header that is not UTF-8, not JSON or not an object is rejected with the reason")
    func headerErrors() throws {
        var notUTF8 = rawFile("{\"a\":1}")
        notUTF8[10] = 0xFF
        #expect(reason(try loadError(notUTF8).error).contains("UTF-8"))
        #expect(reason(try loadError(rawFile(#"{"a":"#)).error).contains("not valid JSON"))
        #expect(reason(try loadError(rawFile("{} x")).error).contains("after the JSON value"))
        #expect(reason(try loadError(rawFile("[1,2]")).error) == "expected a JSON object, found an array")
        #expect(reason(try loadError(rawFile("")).error).contains("unexpected end"))
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(reason(try loadError(rawFile(deep)).error).contains("nesting deeper"))
        #expect(reason(try loadError(rawFile(#"{"a\ud800":1}"#)).error).contains("surrogate"))
        #expect(reason(try loadError(rawFile(#"{"__metadata__":{"k":1}}"#)).error) == "value of 'k' must be a string, found the number 1")
        #expect(reason(try loadError(rawFile(#"{"__metadata__":[]}"#)).error) == "expected an object, found an array")
    }

    @Test("Entries with missing fields, wrong types or impossible integers name the tensor and field")
    func entryErrors() throws {
        func entryReason(_ entry: String, data: [UInt8] = []) throws -> (tensor: String, reason: String) {
            let e = try loadError(rawFile(#"{"t":"# + entry + "}", data: data)).error
            guard case let .invalidEntry(_, tensor, r)? = e else { return ("", "unexpected \(String(describing: e))") }
            return (tensor, r)
        }
        #expect(try entryReason(#"{"shape":[1],"data_offsets":[0,4]}"#) == ("t", "missing field 'dtype'"))
        #expect(try entryReason(#"{"dtype":"F32","data_offsets":[0,4]}"#).reason == "missing field 'shape'")
        #expect(try entryReason(#"{"dtype":"F32","shape":[1]}"#).reason == "missing field 'data_offsets'")
        #expect(try entryReason("7").reason == "expected an object, found the number 7")
        #expect(try entryReason(#"{"dtype":5,"shape":[1],"data_offsets":[0,4]}"#).reason == "dtype must be a string, found the number 5")
        #expect(try entryReason(f32 + #""shape":1,"data_offsets":[0,4]}"#).reason == "shape must be an array, found the number 1")
        #expect(try entryReason(f32 + #""shape":["1"],"data_offsets":[0,4]}"#).reason == "shape[0] must be an integer, found a string")
        #expect(try entryReason(f32 + #""shape":[-1],"data_offsets":[0,4]}"#).reason == "shape[0] must not be negative, found -1")
        #expect(try entryReason(f32 + #""shape":[1.0],"data_offsets":[0,4]}"#).reason == "shape[0] must be an integer, found 1.0")
        #expect(try entryReason(f32 + #""shape":[1e0],"data_offsets":[0,4]}"#).reason == "shape[0] must be an integer, found 1e0")
        #expect(try entryReason(f32 + #""shape":[1,99999999999999999999],"data_offsets":[0,4]}"#).reason
            == "shape[1] value 99999999999999999999 is out of range")
        #expect(try entryReason(f32 + #""shape":[4294967296,4294967296,16],"data_offsets":[0,4]}"#).reason
            == "shape [4294967296, 4294967296, 16] has too many elements")
        #expect(try entryReason(f32 + #""shape":[2305843009213693952],"data_offsets":[0,4]}"#).reason
            == "shape [2305843009213693952] of F32 has too many bytes")
        #expect(try entryReason(f32 + #""shape":[1],"data_offsets":[0,4,8]}"#).reason == "data_offsets must hold 2 integers, found 3")
        #expect(try entryReason(f32 + #""shape":[1],"data_offsets":[8,4]}"#).reason == "data_offsets [8, 4] end before they begin")
        #expect(try entryReason(f32 + #""shape":[1],"data_offsets":[0,-4]}"#).reason == "data_offsets[1] must not be negative, found -4")
        #expect(try entryReason(f32 + #""shape":[1],"shape":[1],"data_offsets":[0,4]}"#, data: [0, 0, 0, 0]).reason
            == "field 'shape' appears more than once")
    }

    /// The bounds check at its edge: a tensor may end exactly at the end of the data section but
    /// not one byte past it. Every supported dtype is 2, 4 or 8 bytes, so a 7-byte section can hold
    /// no valid file; the byte past the end is what a `<` for `<=` (or a `+ 1`) in the check gets wrong.
    @Test("data_offsets ending one byte past the data throw; ending exactly at its end load")
    func boundsAtTheEdge() throws {
        let seven: [UInt8] = [0, 0, 128, 63, 0, 0, 0]
        let past = try loadError(rawFile(#"{"t":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}"#, data: seven))
        #expect(past.error == .offsetsOutOfBounds(file: past.path, tensor: "t", end: 8, bufferSize: 7))
        #expect(past.error?.description.contains("'t'") == true)
        // The same past-the-end tensor behind a valid one, so the check is not only on the first.
        let behind = try loadError(rawFile(#"{"a":{"dtype":"F16","shape":[1],"data_offsets":[0,2]},"#
            + #""b":{"dtype":"F16","shape":[3],"data_offsets":[2,8]}}"#, data: seven))
        #expect(behind.error == .offsetsOutOfBounds(file: behind.path, tensor: "b", end: 8, bufferSize: 7))

        // Ending exactly at the end loads, with the right values: 8 bytes for [0, 8], and 6 bytes
        // for F16 [0, 6].
        let exact = try SafetensorsFile.decode(rawFile(#"{"t":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}"#,
                                                       data: [0, 0, 128, 63, 0, 0, 0, 192]), source: "mem")
        #expect(exact["t"]?.values == [1, -2])
        let half = try SafetensorsFile.decode(rawFile(#"{"t":{"dtype":"F16","shape":[3],"data_offsets":[0,6]}}"#,
                                                      data: [0, 60, 0, 192, 0, 0]), source: "mem")
        #expect(half["t"]?.values == [1, -2, 0])
        let shortHalf = try loadError(rawFile(#"{"t":{"dtype":"F16","shape":[3],"data_offsets":[0,6]}}"#,
                                              data: [0, 60, 0, 192, 0]))
        #expect(shortHalf.error == .offsetsOutOfBounds(file: shortHalf.path, tensor: "t", end: 6, bufferSize: 5))
        // The other edge of the tiling check: one stray byte after the last tensor is a gap.
        let stray = try loadError(rawFile(#"{"t":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}"#, data: [0, 0, 128, 63, 0]))
        #expect(stray.error == .uncoveredBytes(file: stray.path, begin: 4, end: 5))
    }

    @Test("Unsupported dtypes, size mismatches, out-of-bounds, overlaps, gaps and duplicates")
    func layoutErrors() throws {
        let four: [UInt8] = [0, 0, 128, 63]
        let unsupported = try loadError(rawFile(#"{"t":{"dtype":"I64","shape":[1],"data_offsets":[0,8]}}"#, data: four + four))
        #expect(unsupported.error == .unsupportedDType(file: unsupported.path, tensor: "t", dtype: "I64"))
        #expect(unsupported.error?.description.contains("F32, F16, BF16, F64") == true)

        let size = try loadError(rawFile(#"{"t":{"dtype":"F32","shape":[2],"data_offsets":[0,4]}}"#, data: four))
        #expect(size.error == .sizeMismatch(file: size.path, tensor: "t", shape: [2], dtype: "F32", expectedBytes: 8, foundBytes: 4))

        let bounds = try loadError(rawFile(#"{"t":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}"#, data: four))
        #expect(bounds.error == .offsetsOutOfBounds(file: bounds.path, tensor: "t", end: 8, bufferSize: 4))

        let overlap = try loadError(rawFile(#"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"#
            + #""b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}"#, data: four + four + four))
        #expect(overlap.error == .overlappingTensors(file: overlap.path, tensor: "b", other: "a"))

        let gap = try loadError(rawFile(#"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"#
            + #""b":{"dtype":"F32","shape":[1],"data_offsets":[8,12]}}"#, data: four + four + four))
        #expect(gap.error == .uncoveredBytes(file: gap.path, begin: 4, end: 8))

        let leading = try loadError(rawFile(#"{"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}"#, data: four + four))
        #expect(leading.error == .uncoveredBytes(file: leading.path, begin: 0, end: 4))

        let trailing = try loadError(rawFile(#"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}"#, data: four + four))
        #expect(trailing.error == .uncoveredBytes(file: trailing.path, begin: 4, end: 8))

        let duplicate = try loadError(rawFile(#"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"#
            + #""a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}"#, data: four + four))
        #expect(duplicate.error == .duplicateName(file: duplicate.path, tensor: "a"))

        // Files from other writers: unpadded header, keys in another order, tensors stored out of
        // name order, empty tensors anywhere, whitespace in the JSON. All valid.
        let other = rawFile(#" { "b" : {"data_offsets":[0,4],"shape":[],"dtype":"F32"}, "z":{"shape":[0],"dtype":"F32","data_offsets":[4,4]},"#
            + #""a":{"shape":[1],"data_offsets":[4,8],"dtype":"F32"} } "#, data: four + [0, 0, 0, 64], pad: false)
        let ok = try SafetensorsFile.decode(other, source: "other")
        #expect(ok.names == ["a", "b", "z"])
        #expect(ok["a"]?.values == [2] && ok["b"]?.values == [1] && ok["z"]?.shape == [0])
    }

    @Test("Error messages name the file, the tensor and expected vs found")
    func messages() {
        let e = CheckpointError.sizeMismatch(file: "m.safetensors", tensor: "w", shape: [2, 3], dtype: "F32", expectedBytes: 24, foundBytes: 20)
        #expect(e.description == "m.safetensors: tensor 'w': shape [2, 3] of F32 needs 24 bytes, data_offsets span 20")
        let s = CheckpointError.shapeMismatch(file: "m.safetensors", name: "fc.weight", expected: [4, 8], found: [8, 4])
        #expect(s.description == "m.safetensors: parameter 'fc.weight': model expects shape [4, 8], checkpoint has [8, 4]")
    }

    // MARK: Writing

    @Test("Inconsistent arrays are refused before anything is written")
    func writerValidation() throws {
        #expect(throws: CheckpointError.invalidArray(tensor: "w", reason: "shape [2, 3] needs 6 values, found 5")) {
            try NamedArray(name: "w", shape: [2, 3], values: [1, 2, 3, 4, 5])
        }
        #expect(throws: CheckpointError.self) { try NamedArray(name: "w", shape: [-1], values: []) }
        #expect(throws: CheckpointError.self) { try NamedArray(name: "__metadata__", shape: [], values: [1]) }
        let a = try NamedArray(name: "a", shape: [], values: [1])
        #expect(throws: CheckpointError.duplicateName(file: "<arrays to write>", tensor: "a")) {
            try SafetensorsFile(arrays: [a, a])
        }
    }

    @Test("A successful write replaces the old file; a failed write leaves it and no temp file")
    func atomicWrite() throws {
        let folder = try makeTempFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/model.safetensors"
        let old = try SafetensorsFile(arrays: [NamedArray(name: "w", shape: [3], values: [1, 2, 3])])
        let new = try SafetensorsFile(arrays: [NamedArray(name: "w", shape: [1], values: [9])])
        try old.write(to: path)
        try new.write(to: path)
        #expect(try SafetensorsFile.read(from: path) == new)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["model.safetensors"])
        let before = try Data(contentsOf: URL(fileURLWithPath: path))

        // The final rename fails (the destination is a non-empty folder) after the temp file was
        // fully written: the error names the path, the temp file is gone, nothing else changed.
        let blocked = folder + "/blocked"
        try FileManager.default.createDirectory(atPath: blocked, withIntermediateDirectories: false)
        try Data([1]).write(to: URL(fileURLWithPath: blocked + "/keep"))
        do {
            try old.write(to: blocked)
            Issue.record("writing over a folder should fail")
        } catch let CheckpointError.writeFailed(file, reason) {
            #expect(file == blocked)
            #expect(reason.contains("renaming"))
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder).sorted() == ["blocked", "model.safetensors"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: blocked) == ["keep"])

        // The temp file cannot even be created (missing folder).
        #expect(throws: CheckpointError.self) { try old.write(to: folder + "/missing/model.safetensors") }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder).sorted() == ["blocked", "model.safetensors"])
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
    }

    // MARK: Matching to a model

    @Test("Matching against model parameters lists every missing, unexpected and mis-shaped name")
    func parameterMatching() throws {
        let file = try SafetensorsFile(arrays: [
            NamedArray(name: "fc.weight", shape: [2, 3], values: [1, 2, 3, 4, 5, 6]),
            NamedArray(name: "fc.bias", shape: [2], values: [7, 8]),
            NamedArray(name: "old.scale", shape: [], values: [1]),
        ])
        let model: [(name: String, shape: [Int])] = [("fc.weight", [3, 2]), ("fc.bias", [2]), ("head.weight", [4])]
        let problems = file.parameterProblems(against: model, file: "m")
        #expect(problems == [.shapeMismatch(file: "m", name: "fc.weight", expected: [3, 2], found: [2, 3]),
                             .missingParameter(file: "m", name: "head.weight"),
                             .unexpectedParameter(file: "m", name: "old.scale")])
        #expect(throws: CheckpointError.parameterProblems(file: "m", problems: problems)) {
            try file.validate(against: model, file: "m")
        }
        #expect(throws: CheckpointError.missingParameter(file: "m", name: "x")) {
            try file.validate(against: [("fc.weight", [2, 3]), ("fc.bias", [2]), ("old.scale", []), ("x", [1])], file: "m")
        }
        try file.validate(against: [("old.scale", []), ("fc.bias", [2]), ("fc.weight", [2, 3])])
        #expect(try file.values(named: "fc.bias", shape: [2]) == [7, 8])
        #expect(throws: CheckpointError.shapeMismatch(file: "checkpoint", name: "fc.bias", expected: [1, 2], found: [2])) {
            try file.values(named: "fc.bias", shape: [1, 2])
        }
    }
}
