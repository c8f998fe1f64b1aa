// libFuzzer target: WAV.decode on arbitrary bytes. Any input must throw a WAVError or give a
// clip whose samples survive encode → decode exactly (they are on the 16-bit grid).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzWAV(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard let clip = try? WAV.decode(bytes, file: "fuzz") else { return 0 }
    guard let again = try? WAV.decode(WAV.encode(clip)), again == clip else {
        fatalError("wav: an accepted file does not survive encode → decode")
    }
    return 0
}
