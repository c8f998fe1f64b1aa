import CPNG
import Foundation

/// How the bytes of one pixel are laid out: 8 bits per channel, channels in this order.
public enum PixelFormat: Int, Sendable, CaseIterable {
    /// One grey channel.
    case grey = 1
    /// Red, green, blue.
    case rgb = 3
    /// Red, green, blue, alpha (straight, not premultiplied).
    case rgba = 4

    /// Bytes per pixel.
    public var channels: Int { rawValue }

    /// libpng's simplified-API format code (its PNG_FORMAT_* flag bits: alpha 1, colour 2).
    var libpngFormat: UInt32 {
        switch self {
        case .grey: return 0
        case .rgb: return 2
        case .rgba: return 3
        }
    }
}

/// An 8-bit image held in memory: rows top to bottom, pixels left to right, channels interleaved.
public struct PNGImage: Equatable, Sendable {
    /// Width in pixels.
    public var width: Int
    /// Height in pixels.
    public var height: Int
    /// Channel layout of `pixels`.
    public var format: PixelFormat
    /// `width * height * format.channels` bytes.
    public var pixels: [UInt8]

    /// Wraps existing bytes; throws if the byte count does not match the size and format.
    public init(width: Int, height: Int, format: PixelFormat, pixels: [UInt8]) throws {
        let expected = width * height * format.channels
        guard width > 0, height > 0, pixels.count == expected else {
            throw PNGError(path: "<memory>", kind: .badImage,
                           message: "image \(width)x\(height) \(format) needs \(max(expected, 0)) bytes, found \(pixels.count)")
        }
        self.width = width
        self.height = height
        self.format = format
        self.pixels = pixels
    }

    /// A blank image filled with `value` in every channel.
    public init(width: Int, height: Int, format: PixelFormat, fill value: UInt8 = 0) {
        self.width = max(width, 1)
        self.height = max(height, 1)
        self.format = format
        self.pixels = [UInt8](repeating: value, count: self.width * self.height * format.channels)
    }
}

/// Why reading or writing a PNG failed, naming the file and (when libpng said something) its words.
public struct PNGError: Error, CustomStringConvertible, Equatable {
    /// The stage that failed.
    public enum Kind: String, Sendable {
        /// libpng refused to encode the pixels.
        case encode
        /// The bytes are not a PNG libpng can decode (truncated, garbage, unsupported).
        case decode
        /// The file could not be read, written or renamed.
        case io
        /// The in-memory image has inconsistent size and byte count.
        case badImage
    }

    /// The file involved (or `<memory>`).
    public let path: String
    /// The stage that failed.
    public let kind: Kind
    /// libpng's message or the system's reason.
    public let message: String

    /// Creates an error; the message should say what was expected and what was found.
    public init(path: String, kind: Kind, message: String) {
        self.path = path
        self.kind = kind
        self.message = message
    }

    /// One line for logs and test output.
    public var description: String { "PNG \(kind.rawValue) error for \(path): \(message)" }
}

/// PNG encoding and decoding through libpng's simplified `png_image` API, which reports errors in a
/// message buffer instead of longjmp, so Swift can call it safely.
public enum PNG {
    /// Encodes an image to PNG bytes. No text or time chunks are written, so the same pixels always
    /// give the same bytes.
    public static func encode(_ image: PNGImage, path: String = "<memory>") throws -> [UInt8] {
        guard image.pixels.count == image.width * image.height * image.format.channels else {
            throw PNGError(path: path, kind: .badImage, message: "pixel buffer size does not match \(image.width)x\(image.height)")
        }
        var control = png_image()
        control.version = UInt32(PNG_IMAGE_VERSION)
        control.width = UInt32(image.width)
        control.height = UInt32(image.height)
        control.format = image.format.libpngFormat
        let stride = Int32(image.width * image.format.channels)
        var size: png_alloc_size_t = 0
        // First call measures, second call fills: libpng's documented two-pass use.
        let measured = image.pixels.withUnsafeBytes { raw in
            png_image_write_to_memory(&control, nil, &size, 0, raw.baseAddress, stride, nil)
        }
        guard measured != 0, size > 0 else {
            let message = libpngMessage(&control)
            png_image_free(&control)
            throw PNGError(path: path, kind: .encode, message: message)
        }
        var out = [UInt8](repeating: 0, count: Int(size))
        let written = out.withUnsafeMutableBytes { dst in
            image.pixels.withUnsafeBytes { raw in
                png_image_write_to_memory(&control, dst.baseAddress, &size, 0, raw.baseAddress, stride, nil)
            }
        }
        guard written != 0 else {
            let message = libpngMessage(&control)
            png_image_free(&control)
            throw PNGError(path: path, kind: .encode, message: message)
        }
        png_image_free(&control)
        return Array(out.prefix(Int(size)))
    }

    /// Decodes PNG bytes. Grey stays grey, colour stays RGB; any alpha (grey+alpha too) gives RGBA;
    /// 16-bit and palette files are converted to 8 bits per channel.
    public static func decode(_ bytes: [UInt8], path: String = "<memory>") throws -> PNGImage {
        guard !bytes.isEmpty else { throw PNGError(path: path, kind: .decode, message: "file is empty") }
        var control = png_image()
        control.version = UInt32(PNG_IMAGE_VERSION)
        let began = bytes.withUnsafeBytes { raw in
            png_image_begin_read_from_memory(&control, raw.baseAddress, raw.count)
        }
        guard began != 0 else {
            let message = libpngMessage(&control)
            png_image_free(&control)
            throw PNGError(path: path, kind: .decode, message: message)
        }
        let hasAlpha = control.format & 1 != 0
        let hasColor = control.format & 2 != 0
        let format: PixelFormat = hasAlpha ? .rgba : (hasColor ? .rgb : .grey)
        control.format = format.libpngFormat
        let width = Int(control.width), height = Int(control.height)
        var pixels = [UInt8](repeating: 0, count: width * height * format.channels)
        let finished = pixels.withUnsafeMutableBytes { dst in
            png_image_finish_read(&control, nil, dst.baseAddress, Int32(width * format.channels), nil)
        }
        guard finished != 0 else {
            let message = libpngMessage(&control)
            png_image_free(&control)
            throw PNGError(path: path, kind: .decode, message: message)
        }
        png_image_free(&control)
        return try PNGImage(width: width, height: height, format: format, pixels: pixels)
    }

    /// Reads and decodes a PNG file.
    public static func read(_ path: String) throws -> PNGImage {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw PNGError(path: path, kind: .io, message: "cannot read file (missing or unreadable)")
        }
        return try decode([UInt8](data), path: path)
    }

    /// Encodes and writes a PNG atomically: a temp file in the same folder, then a rename, so a
    /// failure never leaves a partial file under `path`.
    public static func write(_ image: PNGImage, to path: String) throws {
        let bytes = try encode(image, path: path)
        do {
            try AtomicFile.write(bytes, to: path)
        } catch let error as AtomicFile.Failure {
            throw PNGError(path: path, kind: .io, message: error.reason)
        }
    }

    /// Copies libpng's NUL-terminated message out of the fixed-size tuple in `png_image`.
    private static func libpngMessage(_ control: inout png_image) -> String {
        let text = withUnsafeBytes(of: &control.message) { raw -> String in
            let bytes = raw.prefix { $0 != 0 }
            return String(decoding: bytes, as: UTF8.self)
        }
        return text.isEmpty ? "libpng reported failure without a message" : text
    }
}
