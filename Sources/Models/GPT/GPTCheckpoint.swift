import Engine

/// Why a file is not a usable GPT checkpoint (beyond the safetensors errors of `CheckpointError`).
public enum GPTCheckpointError: Error, Equatable, CustomStringConvertible {
    /// The file's metadata does not say it holds a course GPT.
    case notAGPT(file: String, format: String?)
    /// A configuration field is missing from the metadata.
    case missingField(file: String, field: String)
    /// A configuration field is present but not a valid value.
    case invalidField(file: String, field: String, value: String, expected: String)

    public var description: String {
        switch self {
        case let .notAGPT(file, format):
            return "\(file): not a GPT checkpoint (metadata format is \(format.map { "\"\($0)\"" } ?? "missing"), expected \"\(GPT.checkpointFormat)\")"
        case let .missingField(file, field):
            return "\(file): GPT checkpoint metadata lacks \"\(field)\""
        case let .invalidField(file, field, value, expected):
            return "\(file): GPT checkpoint metadata \"\(field)\" is \"\(value)\", expected \(expected)"
        }
    }
}

extension GPT {
    /// The metadata `format` value of a GPT checkpoint.
    public static let checkpointFormat = "course-gpt-v1"

    /// Saves the weights (and any LoRA adapters, unmerged) to a safetensors file whose metadata
    /// holds the configuration, so `loadCheckpoint` can rebuild the model without other input.
    /// The names follow PyTorch's module paths (`blocks.0.attn.qkv.weight`, `…qkv.lora_A`).
    public func saveCheckpoint(to path: String, extra: [String: String] = [:]) throws {
        var meta = extra
        meta["format"] = Self.checkpointFormat
        meta["vocab"] = String(config.vocab)
        meta["context"] = String(config.context)
        meta["width"] = String(config.width)
        meta["heads"] = String(config.heads)
        meta["layers"] = String(config.layers)
        if let lora = loraSettings {
            meta["lora_rank"] = String(lora.rank)
            meta["lora_alpha"] = String(lora.alpha)
        }
        try save(to: path, metadata: meta)
    }

    /// Rebuilds a GPT saved by `saveCheckpoint`, adapters included. Every field and every tensor
    /// name and shape is checked first; a problem throws an error naming the file and the field.
    public static func loadCheckpoint(from path: String) throws -> GPT {
        let header = try SafetensorsFile.read(from: path)
        let meta = header.metadata
        guard meta["format"] == checkpointFormat else { throw GPTCheckpointError.notAGPT(file: path, format: meta["format"]) }
        func int(_ field: String, _ range: ClosedRange<Int>) throws -> Int {
            guard let text = meta[field] else { throw GPTCheckpointError.missingField(file: path, field: field) }
            guard let v = Int(text), range.contains(v) else {
                throw GPTCheckpointError.invalidField(file: path, field: field, value: text, expected: "an integer in \(range)")
            }
            return v
        }
        let width = try int("width", 1...8192), heads = try int("heads", 1...256)
        guard width % heads == 0 else {
            throw GPTCheckpointError.invalidField(file: path, field: "heads", value: String(heads), expected: "a divisor of the width \(width)")
        }
        let config = GPTConfig(vocab: try int("vocab", 1...1_000_000), context: try int("context", 1...65536), width: width,
                               heads: heads, layers: try int("layers", 1...256))
        let model = GPT(config, seed: 0)
        if meta["lora_rank"] != nil || meta["lora_alpha"] != nil {
            let rank = try int("lora_rank", 1...width)
            guard let alphaText = meta["lora_alpha"] else { throw GPTCheckpointError.missingField(file: path, field: "lora_alpha") }
            guard let alpha = Float(alphaText), alpha.isFinite, alpha > 0 else {
                throw GPTCheckpointError.invalidField(file: path, field: "lora_alpha", value: alphaText, expected: "a positive number")
            }
            model.attachLoRA(rank: rank, alpha: alpha, seed: 0)
        }
        try model.load(from: path)
        model.eval()
        return model
    }
}
