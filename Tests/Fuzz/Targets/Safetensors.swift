// libFuzzer target: SafetensorsFile.decode on arbitrary bytes. Any input must either throw a
// CheckpointError or give a file that survives encode → decode unchanged.
import Engine

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSafetensors(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard let file = try? SafetensorsFile.decode(bytes, source: "fuzz") else { return 0 }
    // Accepted input: the writer's bytes must read back as the same arrays and metadata.
    guard let again = try? SafetensorsFile.decode(file.encode(), source: "re-encoded"), again == file else {
        fatalError("safetensors: an accepted file does not survive encode → decode")
    }
    return 0
}
