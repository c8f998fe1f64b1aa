import Foundation
import Testing
@testable import Plot

struct PNGTests {
    @Test(arguments: PixelFormat.allCases)
    func roundTripIsPixelExact(format: PixelFormat) throws {
        let folder = try makeTempFolder("roundtrip-\(format)")
        let image = try patternImage(format)
        let path = folder + "/image.png"
        try PNG.write(image, to: path)
        let back = try PNG.read(path)
        #expect(back.format == format)
        #expect(back.width == image.width && back.height == image.height)
        #expect(back.pixels == image.pixels)
        // Only the target exists: the temp file was renamed, not left behind.
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["image.png"])
    }

    @Test func encodingIsDeterministic() throws {
        let image = try patternImage(.rgba, width: 40, height: 30)
        #expect(try PNG.encode(image) == PNG.encode(image))
        // A PNG with text or time chunks would contain these chunk names.
        let text = String(decoding: try PNG.encode(image), as: UTF8.self)
        #expect(!text.contains("tIME") && !text.contains("tEXt") && !text.contains("iTXt"))
    }

    @Test func writtenFilePassesPngfix() throws {
        let tool = "/usr/bin/pngfix"
        guard FileManager.default.isExecutableFile(atPath: tool) else { return }  // not installed: nothing to check
        let folder = try makeTempFolder("pngfix")
        for format in PixelFormat.allCases {
            let path = folder + "/\(format).png"
            try PNG.write(try patternImage(format, width: 64, height: 48), to: path)
            let process = Process()
            process.executableURL = URL(fileURLWithPath: tool)
            process.arguments = [path]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            process.waitUntilExit()
            #expect(process.terminationStatus == 0, "pngfix flagged \(path)")
        }
    }

    @Test func truncatedFileThrowsTypedDecodeError() throws {
        let folder = try makeTempFolder("truncated")
        let bytes = try PNG.encode(try patternImage(.rgb, width: 50, height: 50))
        let path = folder + "/cut.png"
        #expect(FileManager.default.createFile(atPath: path, contents: Data(bytes.prefix(bytes.count / 2))))
        let error = try #require(throws: PNGError.self) { try PNG.read(path) }
        #expect(error.kind == .decode)
        #expect(error.path == path)
        #expect(!error.message.isEmpty)
    }

    @Test func garbageThrowsTypedDecodeError() throws {
        let error = try #require(throws: PNGError.self) {
            try PNG.decode(Array("this is not a PNG file at all".utf8), path: "garbage.png")
        }
        #expect(error.kind == .decode && error.path == "garbage.png")
        #expect(error.description.contains("garbage.png"))
    }

    @Test func missingFileAndMissingFolderThrowIOErrors() throws {
        let missing = try #require(throws: PNGError.self) { try PNG.read("/nonexistent/none.png") }
        #expect(missing.kind == .io)
        let unwritable = try #require(throws: PNGError.self) {
            try PNG.write(try patternImage(.grey), to: "/nonexistent-folder/out.png")
        }
        #expect(unwritable.kind == .io && unwritable.path == "/nonexistent-folder/out.png")
    }

    @Test func wrongPixelCountIsRejected() {
        #expect(throws: PNGError.self) { try PNGImage(width: 4, height: 4, format: .rgb, pixels: [UInt8](repeating: 0, count: 47)) }
    }
}
