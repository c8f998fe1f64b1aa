// libFuzzer target: BPETokenizer.parse on arbitrary tokenizer.json bytes. Any input must throw a
// TokenizerError or give a tokenizer that encodes and decodes text losslessly.
import Foundation

/// Text with ASCII, spaces, digits, punctuation, multi-byte UTF-8 and a newline.
let sample = "Hello, world! It's 2026 — naïve café 日本語 🙂\n  tabs\tand  spaces"

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTokenizer(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Data(UnsafeBufferPointer(start: data, count: size))
    guard let tokenizer = try? BPETokenizer.parse(data: bytes, path: "fuzz") else { return 0 }
    let ids = tokenizer.encode(sample)
    guard ids.allSatisfy({ (0..<tokenizer.vocabSize).contains($0) }), tokenizer.decode(ids) == sample else {
        fatalError("tokenizer: an accepted tokenizer.json does not round-trip the sample text")
    }
    return 0
}
