import Audio
import Engine
import Foundation
import Testing

/// WAV files: exact round trips, the header other programs read, Python's `wave` module, and
/// clear errors for files that are not 16-bit mono PCM.
struct WAVTests {
    func tempPath(_ name: String) -> String {
        NSTemporaryDirectory() + "ch11-wav-\(getpid())-\(name).wav"
    }

    func gridClip(_ n: Int, seed: UInt64) -> AudioClip {
        var rng = RNG(seed: seed)
        // Values on the 16-bit grid v/32767, including both extremes.
        var s = (0..<n).map { _ in Float(rng.int(65535) - 32767) / WAV.fullScale }
        s[0] = 1; s[1] = -1; s[2] = 0
        return AudioClip(sampleRate: 8000, samples: s)
    }

    @Test func roundTripIsExact() throws {
        let clip = gridClip(1001, seed: 1)
        let path = tempPath("rt")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try WAV.write(clip, to: path)
        let back = try WAV.read(from: path)
        #expect(back == clip)
        #expect(WAV.encode(back) == WAV.encode(clip))
        // Off-grid and out-of-range values are rounded and clipped, never trapped on.
        let odd = WAV.encode(AudioClip(sampleRate: 8000, samples: [2, -3, .nan, 0.5]))
        #expect(try WAV.decode(odd).samples == [1, -1, 0, Float((0.5 * 32767).rounded()) / 32767])
    }

    @Test func headerFieldsAreThoseOfA16BitMonoPCMFile() {
        let b = WAV.encode(AudioClip(sampleRate: 16000, samples: [0, 0.5, -0.5]))
        func u32(_ i: Int) -> Int { (0..<4).reduce(0) { $0 | Int(b[i + $1]) << (8 * $1) } }
        func u16(_ i: Int) -> Int { Int(b[i]) | Int(b[i + 1]) << 8 }
        #expect(b.count == 44 + 6)
        #expect(String(decoding: b[0..<4], as: UTF8.self) == "RIFF" && u32(4) == b.count - 8)
        #expect(String(decoding: b[8..<16], as: UTF8.self) == "WAVEfmt ")
        #expect(u32(16) == 16 && u16(20) == 1 && u16(22) == 1 && u32(24) == 16000 && u32(28) == 32000)
        #expect(u16(32) == 2 && u16(34) == 16)
        #expect(String(decoding: b[36..<40], as: UTF8.self) == "data" && u32(40) == 6)
        #expect(u16(46) == 16384)   // 0.5 · 32767 = 16383.5 rounds away from zero
    }

    /// Python's standard library reads our files: same rate, width, channels and samples.
    @Test func pythonWaveModuleReadsTheFile() throws {
        let python = ["/usr/bin/python3", "/usr/local/bin/python3", "/opt/homebrew/bin/python3"].first {
            FileManager.default.isExecutableFile(atPath: $0)
        }
        guard let python else {
            print("skipped: python3 not found, the interop check needs it")
            return
        }
        let clip = gridClip(500, seed: 2)
        let path = tempPath("py")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try WAV.write(clip, to: path)
        let script = """
            import sys, wave, struct
            w = wave.open(sys.argv[1], 'rb')
            n = w.getnframes()
            data = struct.unpack('<%dh' % n, w.readframes(n))
            print(w.getnchannels(), w.getsampwidth(), w.getframerate(), n, sum(data), data[0], data[1])
            """
        let p = Process()
        p.executableURL = URL(fileURLWithPath: python)
        p.arguments = ["-c", script, path]
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        p.waitUntilExit()
        #expect(p.terminationStatus == 0)
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let ints = clip.samples.map { Int(($0 * WAV.fullScale).rounded()) }
        #expect(text.trimmingCharacters(in: .whitespacesAndNewlines) == "1 2 8000 500 \(ints.reduce(0, +)) 32767 -32767")
    }

    func expectError(_ bytes: [UInt8], field: String) {
        do {
            _ = try WAV.decode(bytes, file: "bad.wav")
            Issue.record("expected an error in \(field)")
        } catch let e as WAVError {
            #expect(e.field == field, "\(e)")
            #expect(e.description.hasPrefix("bad.wav: WAV field \(field): expected"))
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    @Test func badFilesThrowErrorsNamingTheField() {
        let good = WAV.encode(AudioClip(sampleRate: 8000, samples: [0.1, 0.2]))
        func patched(_ at: Int, _ value: [UInt8]) -> [UInt8] { var b = good; b.replaceSubrange(at..<(at + value.count), with: value); return b }
        expectError(Array(good.prefix(7)), field: "header")
        expectError(patched(0, Array("RIFX".utf8)), field: "riff.id")
        expectError(patched(8, Array("AVI ".utf8)), field: "riff.format")
        expectError(patched(4, [255, 0, 0, 0]), field: "riff.size")
        expectError(patched(20, [3, 0]), field: "fmt.audioFormat")
        expectError(patched(22, [2, 0]), field: "fmt.channels")
        expectError(patched(34, [8, 0]), field: "fmt.bitsPerSample")
        expectError(patched(28, [0, 0, 0, 0]), field: "fmt.byteRate")
        expectError(patched(40, [200, 0, 0, 0]), field: "data.size")
        // A file that ends after its fmt chunk (RIFF size 28 = "WAVE" + the 24-byte fmt chunk).
        var noData = Array(good.prefix(36))
        noData.replaceSubrange(4..<8, with: [28, 0, 0, 0])
        expectError(noData, field: "data")
        // A file that is not there names the path.
        #expect(throws: WAVError.self) { try WAV.read(from: "/nonexistent/none.wav") }
    }

    /// Found by the fuzzer (Tests/Fuzz, target wav): a file holding −32768, the most negative
    /// Int16, read back as −32768/32767 < −1, which encoding clipped to −32767, so reading and
    /// writing a legal file changed it. It now reads as −1, like −32767.
    @Test func mostNegativeSampleReadsAsMinusOne() throws {
        let header = Array(WAV.encode(AudioClip(sampleRate: 8000, samples: [0, 0, 0, 0, 0])).prefix(44))
        let data: [Int16] = [0, 32767, -32768, -1, 1]
        let bytes = header + data.flatMap { v in [UInt8(truncatingIfNeeded: v), UInt8(truncatingIfNeeded: v >> 8)] }
        let clip = try WAV.decode(bytes)
        #expect(clip.samples == [0, 1, -1, -1 / WAV.fullScale, 1 / WAV.fullScale])
        #expect(try WAV.decode(WAV.encode(clip)) == clip)
    }

    @Test func unknownChunksAreSkipped() throws {
        let good = WAV.encode(AudioClip(sampleRate: 8000, samples: [0.25, -0.25]))
        // Insert an odd-sized LIST chunk (5 bytes + pad byte) between fmt and data.
        var b = Array(good.prefix(36)) + Array("LIST".utf8) + [5, 0, 0, 0, 1, 2, 3, 4, 5, 0] + Array(good.suffix(from: 36))
        let size = b.count - 8
        b.replaceSubrange(4..<8, with: [UInt8(size & 255), UInt8(size >> 8), 0, 0])
        #expect(try WAV.decode(b).samples == (try WAV.decode(good)).samples)
    }
}
