// libFuzzer target: Manifest.decode, which `walkthrough --verify` applies to committed
// manifest.json files. Any input must throw or give a manifest that survives encode → decode.
import Foundation

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzManifest(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Data(UnsafeBufferPointer(start: data, count: size))
    guard let manifest = try? Manifest.decode(bytes) else { return 0 }
    guard let encoded = try? manifest.encoded(), let again = try? Manifest.decode(encoded), again == manifest else {
        fatalError("manifest: an accepted manifest does not survive encode → decode")
    }
    return 0
}
