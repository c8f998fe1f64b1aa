// libFuzzer target: a checkpoint loaded into a module (name and shape matching, then the copy).
// A load either throws and leaves every parameter as it was, or copies exactly the file's values.
import Engine

/// A module with a nested child, a vector and a matrix, so names, nesting and shapes all matter.
final class Net: Module {
    let first: Linear
    let second: Linear
    override init() {
        var rng = RNG(seed: 1)
        first = Linear(3, 2, rng: &rng)
        second = Linear(2, 1, bias: false, rng: &rng)
        super.init()
    }
    override var children: [(name: String, module: Module)] { [("first", first), ("second", second)] }
}

nonisolated(unsafe) let net = Net()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCheckpoint(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard let file = try? SafetensorsFile.decode(bytes, source: "fuzz") else { return 0 }
    let before = net.namedParameters().map { $0.tensor.values }
    do {
        try net.load(file, source: "fuzz")
        for (name, t) in net.namedParameters() where t.values.map(\.bitPattern) != file[name]!.values.map(\.bitPattern) {
            fatalError("checkpoint: \(name) does not hold the file's values after a load")
        }
    } catch {
        let after = net.namedParameters().map { $0.tensor.values }
        guard zip(before, after).allSatisfy({ $0.map(\.bitPattern) == $1.map(\.bitPattern) }) else {
            fatalError("checkpoint: a failed load changed a parameter")
        }
    }
    return 0
}
