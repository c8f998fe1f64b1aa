import Engine
import Models

/// Step 5: where a GPT's parameters are, part by part.
public struct ParameterShare: Sendable, Equatable {
    /// Part name, e.g. "token embedding", "block 1 attention".
    public var part: String
    /// Parameters in it.
    public var count: Int
}

/// The parameters of `model` grouped into the parts a reader can point at: the two embedding
/// tables, per block its attention, MLP and two layer norms, the final layer norm and the head.
/// Grouped from the model's own parameter names, so the counts are what the model really holds.
public func parameterBreakdown(_ model: GPT) -> [ParameterShare] {
    var order: [String] = [], counts: [String: Int] = [:]
    for (name, t) in model.namedParameters() {
        let parts = name.split(separator: ".").map(String.init)
        let part: String
        switch parts[0] {
        case "tok": part = "token embedding"
        case "pos": part = "position embedding"
        case "ln": part = "final layer norm"
        case "head": part = "output head"
        case "blocks":
            let block = "block \(Int(parts[1])! + 1)"
            switch parts[2] {
            case "attn": part = "\(block) attention"
            case "mlp": part = "\(block) MLP"
            default: part = "\(block) layer norms"
            }
        default: part = parts[0]
        }
        if counts[part] == nil { order.append(part) }
        counts[part, default: 0] += t.count
    }
    return order.map { ParameterShare(part: $0, count: counts[$0]!) }
}
