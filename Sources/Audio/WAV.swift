import Engine
import Foundation

/// Mono audio as float samples in [-1, 1] at a sample rate.
public struct AudioClip: Equatable, Sendable {
    /// Samples per second.
    public var sampleRate: Int
    /// The waveform, nominally in [-1, 1].
    public var samples: [Float]

    /// A clip of `samples` at `sampleRate` Hz.
    public init(sampleRate: Int, samples: [Float]) {
        self.sampleRate = sampleRate
        self.samples = samples
    }

    /// Length in seconds.
    public var duration: Double { Double(samples.count) / Double(sampleRate) }
}

/// 16-bit PCM WAV (RIFF) files: the one audio format every player and Python's `wave` module read.
///
/// Layout written: "RIFF", size, "WAVE", a 16-byte "fmt " chunk (format 1 = PCM, channels,
/// rate, byte rate, block align, 16 bits) and a "data" chunk of little-endian Int16 samples.
/// A sample x becomes round(clamp(x, −1, 1)·32767), and an Int16 v reads back as v/32767, so any
/// clip already on that grid survives a round trip exactly. The one Int16 below −32767, −32768
/// (which other programs write), reads as −1: read values stay in [−1, 1] and re-encode unchanged.
public enum WAV {
    /// Full scale of a 16-bit sample.
    public static let fullScale: Float = 32767

    /// The bytes of a mono 16-bit WAV file holding `clip`.
    public static func encode(_ clip: AudioClip) -> [UInt8] {
        let dataBytes = clip.samples.count * 2
        var out: [UInt8] = []
        out.reserveCapacity(44 + dataBytes)
        func u32(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { out += $0 } }
        func u16(_ v: UInt16) { withUnsafeBytes(of: v.littleEndian) { out += $0 } }
        out += Array("RIFF".utf8); u32(UInt32(36 + dataBytes)); out += Array("WAVE".utf8)
        out += Array("fmt ".utf8); u32(16)
        u16(1)                                   // PCM
        u16(1)                                   // mono
        u32(UInt32(clip.sampleRate))
        u32(UInt32(clip.sampleRate * 2))         // byte rate = rate · channels · 2
        u16(2)                                   // block align = channels · 2
        u16(16)                                  // bits per sample
        out += Array("data".utf8); u32(UInt32(dataBytes))
        for x in clip.samples {
            let c = x.isNaN ? 0 : Swift.min(1, Swift.max(-1, x))
            u16(UInt16(bitPattern: Int16((c * fullScale).rounded())))
        }
        return out
    }

    /// Writes `clip` to `path` as a 16-bit mono WAV (atomically: a temporary file, then rename).
    public static func write(_ clip: AudioClip, to path: String) throws {
        try Data(encode(clip)).write(to: URL(fileURLWithPath: path), options: .atomic)
    }

    /// Reads a 16-bit PCM mono WAV file; throws `WAVError` naming the field that is wrong.
    public static func read(from path: String) throws -> AudioClip {
        let bytes: [UInt8]
        do { bytes = try readWholeFile(path) } catch {
            throw WAVError(file: path, field: "file", expected: "a readable file", found: "\(error)")
        }
        return try decode(bytes, file: path)
    }

    /// Parses the bytes of a WAV file. Chunks other than "fmt " and "data" (LIST, fact, …) are
    /// skipped, honouring RIFF's pad byte after odd-sized chunks.
    public static func decode(_ bytes: [UInt8], file: String = "<bytes>") throws -> AudioClip {
        func fail(_ field: String, _ expected: String, _ found: String) -> WAVError {
            WAVError(file: file, field: field, expected: expected, found: found)
        }
        func tag(_ at: Int) -> String {
            String(decoding: bytes[at..<(at + 4)], as: UTF8.self).unicodeScalars
                .map { $0.isASCII && $0.value >= 32 ? String($0) : "?" }.joined()
        }
        func u32(_ at: Int) -> Int { (0..<4).reduce(0) { $0 | Int(bytes[at + $1]) << (8 * $1) } }
        func u16(_ at: Int) -> Int { Int(bytes[at]) | Int(bytes[at + 1]) << 8 }

        guard bytes.count >= 12 else { throw fail("header", "at least 12 bytes (RIFF header)", "\(bytes.count) bytes") }
        guard tag(0) == "RIFF" else { throw fail("riff.id", "\"RIFF\"", "\"\(tag(0))\"") }
        guard tag(8) == "WAVE" else { throw fail("riff.format", "\"WAVE\"", "\"\(tag(8))\"") }
        let riffEnd = u32(4) + 8
        guard riffEnd <= bytes.count else {
            throw fail("riff.size", "at most \(bytes.count - 8) (the bytes after the size field)", "\(riffEnd - 8)")
        }
        var rate: Int? = nil
        var samples: [Float]? = nil
        var at = 12
        while at + 8 <= riffEnd {
            let id = tag(at), size = u32(at + 4), body = at + 8
            guard body + size <= riffEnd else {
                throw fail("\(id.trimmingCharacters(in: .whitespaces)).size", "at most \(riffEnd - body) bytes", "\(size)")
            }
            if id == "fmt " {
                guard size >= 16 else { throw fail("fmt.size", "≥ 16", "\(size)") }
                let format = u16(body), channels = u16(body + 2), r = u32(body + 4)
                let byteRate = u32(body + 8), align = u16(body + 12), bits = u16(body + 14)
                guard format == 1 else { throw fail("fmt.audioFormat", "1 (PCM)", "\(format)") }
                guard channels == 1 else { throw fail("fmt.channels", "1 (mono)", "\(channels)") }
                guard bits == 16 else { throw fail("fmt.bitsPerSample", "16", "\(bits)") }
                guard r > 0 else { throw fail("fmt.sampleRate", "a positive rate", "\(r)") }
                guard align == 2 else { throw fail("fmt.blockAlign", "2", "\(align)") }
                guard byteRate == 2 * r else { throw fail("fmt.byteRate", "\(2 * r) (2 · sample rate)", "\(byteRate)") }
                rate = r
            } else if id == "data" {
                guard rate != nil else { throw fail("data", "a \"fmt \" chunk before the data", "data first") }
                guard size % 2 == 0 else { throw fail("data.size", "an even number of bytes", "\(size)") }
                // max(−32767, v): −32768/32767 would lie below −1, and encoding clips it to −32767.
                samples = (0..<(size / 2)).map {
                    Float(Swift.max(-32767, Int16(bitPattern: UInt16(u16(body + 2 * $0))))) / fullScale
                }
            }
            at = body + size + (size & 1)
        }
        guard let rate else { throw fail("fmt", "a \"fmt \" chunk", "none") }
        guard let samples else { throw fail("data", "a \"data\" chunk", "none") }
        return AudioClip(sampleRate: rate, samples: samples)
    }
}
