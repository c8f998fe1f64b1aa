import Engine
import Foundation

extension BPETokenizer {
    /// The tokenizer in Hugging Face's `tokenizer.json` format: a byte-level BPE model with the
    /// GPT-2 pre-tokenizer (`add_prefix_space: false`), the ByteLevel decoder, no normalizer, no
    /// post-processor and no added tokens. Tokens are written through `ByteLevelAlphabet`, merges
    /// as pairs of token strings. The bytes depend only on the tokenizer (fixed key order, vocab in
    /// id order), so the same training run always writes the same file.
    public func huggingFaceJSON() -> String {
        let strings = tokenBytes.map(ByteLevelAlphabet.encode)
        var s = """
        {
          "version": "1.0",
          "truncation": null,
          "padding": null,
          "added_tokens": [],
          "normalizer": null,
          "pre_tokenizer": {
            "type": "ByteLevel",
            "add_prefix_space": false,
            "trim_offsets": true,
            "use_regex": true
          },
          "post_processor": null,
          "decoder": {
            "type": "ByteLevel",
            "add_prefix_space": false,
            "trim_offsets": true,
            "use_regex": true
          },
          "model": {
            "type": "BPE",
            "dropout": null,
            "unk_token": null,
            "continuing_subword_prefix": null,
            "end_of_word_suffix": null,
            "fuse_unk": false,
            "byte_fallback": false,
            "ignore_merges": false,
            "vocab": {

        """
        for (id, t) in strings.enumerated() {
            s += "      \(jsonString(t)): \(id)" + (id + 1 < strings.count ? ",\n" : "\n")
        }
        s += "    },\n    \"merges\": [\n"
        for (r, (a, b)) in merges.enumerated() {
            s += "      [\(jsonString(strings[a])), \(jsonString(strings[b]))]" + (r + 1 < merges.count ? ",\n" : "\n")
        }
        s += "    ]\n  }\n}\n"
        return s
    }

    /// Writes `huggingFaceJSON()` to `path` atomically: to a temporary file in the same folder,
    /// then renamed over the target, so a failure never leaves a partial file.
    public func save(path: String) throws {
        let data = Data(huggingFaceJSON().utf8)
        let url = URL(fileURLWithPath: path)
        let temp = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).tmp-\(ProcessInfo.processInfo.processIdentifier)")
        do {
            try data.write(to: temp)
            // rename(2) replaces the target atomically: readers see the old file or the new one.
            guard rename(temp.path, path) == 0 else {
                throw TokenizerError.writeFailed(path: path, reason: String(cString: strerror(errno)))
            }
        } catch let e as TokenizerError {
            try? FileManager.default.removeItem(at: temp)
            throw e
        } catch {
            try? FileManager.default.removeItem(at: temp)
            throw TokenizerError.writeFailed(path: path, reason: error.localizedDescription)
        }
    }

    /// Reads a byte-level BPE `tokenizer.json` (ours or any compatible one, such as GPT-2's).
    ///
    /// Validates what encoding depends on and throws `TokenizerError` naming the field: the
    /// pre-tokenizer must be ByteLevel without prefix space and with the regex, there must be no
    /// normalizer or added tokens, the vocab ids must be exactly 0..<n with every string in the
    /// byte alphabet and every single byte present, and each merge must join two known tokens
    /// into a known token.
    public static func load(path: String) throws -> BPETokenizer {
        let bytes: [UInt8]
        do { bytes = try readWholeFile(path) } catch CheckpointError.fileNotFound {
            throw TokenizerError.unreadable(path: path, reason: "no such file")
        } catch CheckpointError.unreadable(_, let reason) {
            throw TokenizerError.unreadable(path: path, reason: reason)
        }
        return try parse(data: Data(bytes), path: path)
    }

    /// Parses the contents of a `tokenizer.json`; `path` is only used in error messages.
    public static func parse(data: Data, path: String) throws -> BPETokenizer {
        let root: Any
        do { root = try JSONSerialization.jsonObject(with: data) } catch {
            throw TokenizerError.invalidJSON(path: path, reason: error.localizedDescription)
        }
        guard let top = root as? [String: Any] else {
            throw TokenizerError.unsupported(path: path, field: "top level", expected: "an object", found: kind(root))
        }
        func isNull(_ v: Any?) -> Bool { v == nil || v is NSNull }
        if !isNull(top["normalizer"]) {
            throw TokenizerError.unsupported(path: path, field: "normalizer", expected: "null", found: kind(top["normalizer"]!))
        }
        if let added = top["added_tokens"], !((added as? [Any])?.isEmpty ?? false) {
            throw TokenizerError.unsupported(path: path, field: "added_tokens", expected: "an empty list", found: kind(added))
        }
        guard let pre = top["pre_tokenizer"] as? [String: Any] else {
            throw TokenizerError.missingField(path: path, field: "pre_tokenizer")
        }
        try expect(pre["type"], equals: "ByteLevel", field: "pre_tokenizer.type", path: path)
        try expect(pre["add_prefix_space"], equals: false, field: "pre_tokenizer.add_prefix_space", path: path)
        if pre["use_regex"] != nil {
            try expect(pre["use_regex"], equals: true, field: "pre_tokenizer.use_regex", path: path)
        }
        guard let model = top["model"] as? [String: Any] else {
            throw TokenizerError.missingField(path: path, field: "model")
        }
        try expect(model["type"], equals: "BPE", field: "model.type", path: path)
        for field in ["dropout", "continuing_subword_prefix", "end_of_word_suffix"] where !isNull(model[field]) {
            throw TokenizerError.unsupported(path: path, field: "model." + field, expected: "null", found: kind(model[field]!))
        }
        if let ignore = model["ignore_merges"] {
            try expect(ignore, equals: false, field: "model.ignore_merges", path: path)
        }

        guard let vocabAny = model["vocab"] else { throw TokenizerError.missingField(path: path, field: "model.vocab") }
        guard let vocab = vocabAny as? [String: Any] else {
            throw TokenizerError.unsupported(path: path, field: "model.vocab", expected: "an object", found: kind(vocabAny))
        }
        var tokens = [[UInt8]?](repeating: nil, count: vocab.count)
        var idOf: [String: Int] = [:]
        for (string, value) in vocab {
            guard let number = value as? NSNumber, let id = Int(exactly: number.doubleValue) else {
                throw TokenizerError.invalidVocab(path: path, reason: "id of \(jsonString(string)) is not an integer")
            }
            guard (0..<vocab.count).contains(id) else {
                throw TokenizerError.invalidVocab(path: path, reason: "id \(id) of \(jsonString(string)) is outside 0..<\(vocab.count)")
            }
            guard tokens[id] == nil else {
                throw TokenizerError.invalidVocab(path: path, reason: "id \(id) is used twice")
            }
            guard let bytes = ByteLevelAlphabet.decode(string), !bytes.isEmpty else {
                throw TokenizerError.invalidVocab(path: path, reason: "\(jsonString(string)) is not a byte-level token string")
            }
            tokens[id] = bytes
            idOf[string] = id
        }
        let tokenBytes = tokens.map { $0! }  // n distinct ids in 0..<n fill every slot
        var byteIDs = [Int](repeating: -1, count: 256)
        for (id, t) in tokenBytes.enumerated() where t.count == 1 && byteIDs[Int(t[0])] < 0 { byteIDs[Int(t[0])] = id }
        if let missing = byteIDs.firstIndex(of: -1) {
            throw TokenizerError.invalidVocab(path: path, reason: "no token for byte \(missing), so some text could not be encoded")
        }

        guard let mergesAny = model["merges"] else { throw TokenizerError.missingField(path: path, field: "model.merges") }
        guard let mergeList = mergesAny as? [Any] else {
            throw TokenizerError.unsupported(path: path, field: "model.merges", expected: "a list", found: kind(mergesAny))
        }
        var byBytes: [[UInt8]: Int] = [:]
        for (id, t) in tokenBytes.enumerated() where byBytes[t] == nil { byBytes[t] = id }
        var merges: [(Int, Int)] = []
        for (index, entry) in mergeList.enumerated() {
            let parts: [String]
            if let s = entry as? String {
                parts = s.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
            } else if let pair = entry as? [Any], let strings = pair as? [String] {
                parts = strings
            } else {
                throw TokenizerError.invalidMerge(path: path, index: index, reason: "expected \"a b\" or [\"a\", \"b\"], found \(kind(entry))")
            }
            guard parts.count == 2 else {
                throw TokenizerError.invalidMerge(path: path, index: index, reason: "expected 2 tokens, found \(parts.count)")
            }
            guard let a = idOf[parts[0]], let b = idOf[parts[1]] else {
                throw TokenizerError.invalidMerge(path: path, index: index, reason: "unknown token \(jsonString(idOf[parts[0]] == nil ? parts[0] : parts[1]))")
            }
            guard byBytes[tokenBytes[a] + tokenBytes[b]] != nil else {
                throw TokenizerError.invalidMerge(path: path, index: index, reason: "result \(jsonString(parts[0] + parts[1])) is not in the vocab")
            }
            merges.append((a, b))
        }
        return BPETokenizer(tokenBytes: tokenBytes, merges: merges, byteIDs: byteIDs)
    }
}

/// Throws `unsupported` unless `value` is the expected string or boolean.
private func expect(_ value: Any?, equals expected: Any, field: String, path: String) throws {
    let ok: Bool
    switch expected {
    case let s as String: ok = (value as? String) == s
    case let b as Bool: ok = !(value is String) && (value as? Bool) == b
    default: ok = false
    }
    if !ok {
        throw TokenizerError.unsupported(path: path, field: field, expected: "\(expected)",
                                         found: value.map { "\($0)" } ?? "nothing")
    }
}

/// A short description of a JSON value's type, for error messages.
private func kind(_ v: Any) -> String {
    switch v {
    case is NSNull: return "null"
    case is String: return "a string"
    case is [Any]: return "a list"
    case is [String: Any]: return "an object"
    case is NSNumber: return "a number"
    default: return "\(type(of: v))"
    }
}

/// A JSON string literal: quotes, backslashes and control characters escaped, the rest raw UTF-8.
func jsonString(_ s: String) -> String {
    var out = "\""
    for u in s.unicodeScalars {
        switch u {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case "\n": out += "\\n"
        case "\t": out += "\\t"
        case "\r": out += "\\r"
        case _ where u.value < 0x20:
            let hex = String(u.value, radix: 16)
            out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
        default: out.unicodeScalars.append(u)
        }
    }
    return out + "\""
}
