import Foundation
@testable import Plot

/// A fresh, empty folder under the temp directory for one test's files.
func makeTempFolder(_ name: String) throws -> String {
    let path = NSTemporaryDirectory() + "plot-tests-\(getpid())-\(name)"
    try? FileManager.default.removeItem(atPath: path)
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

/// An image whose every byte differs from its neighbours, so a channel swap or row shift shows.
func patternImage(_ format: PixelFormat, width: Int = 13, height: Int = 7) throws -> PNGImage {
    let n = width * height * format.channels
    let bytes = (0..<n).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ ($0 / 5) &* 11) }
    return try PNGImage(width: width, height: height, format: format, pixels: bytes)
}
