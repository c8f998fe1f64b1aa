// libFuzzer target: a training-cache entry as TrainingCache.restore reads it (key, engine
// revision, parameters, loss histories in the metadata). The fuzzer mostly mutates the seeds'
// metadata; any input must give nil or a model loaded with histories that parse completely.
@testable import Engine

final class Net: Module {
    let layer: Linear
    override init() {
        var rng = RNG(seed: 3)
        layer = Linear(2, 2, rng: &rng)
        super.init()
    }
    override var children: [(name: String, module: Module)] { [("layer", layer)] }
}

nonisolated(unsafe) let net = Net()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTrainingCache(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard let file = try? SafetensorsFile.decode(bytes, source: "fuzz") else { return 0 }
    guard let series = TrainingCache.restore(net, key: "fuzz-run", from: file, source: "fuzz") else { return 0 }
    // A restored history holds one float per comma-separated entry of its metadata text.
    for (name, values) in series {
        let text = file.metadata["series." + name] ?? ""
        let expected = text.isEmpty ? 0 : text.split(separator: ",", omittingEmptySubsequences: false).count
        guard values.count == expected else { fatalError("cache: series \(name) has \(values.count) values for \(expected) entries") }
    }
    return 0
}
