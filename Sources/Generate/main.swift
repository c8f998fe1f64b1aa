// `generate`: serve the course's trained models from the command line.
//
//   swift run -c release generate text --checkpoint PATH --prompt "Recipe:" [--temperature 0.8 --top-k 20 --max-tokens 200 --seed 0]
//
// A missing, corrupt or mismatched checkpoint, or a bad option, prints one line naming the file
// and the problem and exits with status 2. Same checkpoint, prompt and seed: same output.
import ArgumentParser
import Engine
import Foundation
import Models

struct Generate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Generate text from a trained course GPT checkpoint.",
        subcommands: [TextCommand.self])
}

struct TextCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "text", abstract: "Continue a prompt with a GPT checkpoint (LoRA adapters merged or not).")

    @Option(help: "A GPT checkpoint written by a chapter (safetensors with the model's configuration in its metadata).")
    var checkpoint: String

    @Option(help: "The text to continue.")
    var prompt: String

    @Option(help: "Softmax temperature; 0 picks the most likely byte every time.")
    var temperature: Float = 0.8

    @Option(help: "Sample only among the k most likely bytes (omit for all).")
    var topK: Int?

    @Option(help: "How many bytes to generate.")
    var maxTokens: Int = 200

    @Option(help: "Seed of the sampling; the same seed gives the same text.")
    var seed: UInt64 = 0

    func validate() throws {
        guard temperature >= 0, temperature.isFinite else { throw ValidationError("--temperature must be 0 or more, got \(temperature)") }
        if let topK, topK < 1 { throw ValidationError("--top-k must be at least 1, got \(topK)") }
        guard maxTokens >= 1 else { throw ValidationError("--max-tokens must be at least 1, got \(maxTokens)") }
        guard !prompt.isEmpty else { throw ValidationError("--prompt must not be empty") }
    }

    func run() throws {
        let model = try GPT.loadCheckpoint(from: checkpoint)
        let ids = prompt.utf8.map(Int.init)
        if let bad = ids.first(where: { $0 >= model.config.vocab }) {
            throw ValidationError("the prompt has byte \(bad), outside the checkpoint's vocabulary of \(model.config.vocab)")
        }
        var rng = RNG(seed: seed)
        let rule: SamplingRule = temperature == 0 ? .greedy : .sample(temperature: temperature, topK: topK)
        let out = model.generate(prompt: ids, count: maxTokens, rule: rule, rng: &rng)
        print(String(decoding: out.map { UInt8($0) }, as: UTF8.self))
    }
}

do {
    var command = try Generate.parseAsRoot()
    try command.run()
} catch let error as CheckpointError {
    FileHandle.standardError.write(Data("error: \(error)\n".utf8))
    exit(2)
} catch let error as GPTCheckpointError {
    FileHandle.standardError.write(Data("error: \(error)\n".utf8))
    exit(2)
} catch {
    // Help and version requests exit 0 through ArgumentParser; everything else is a usage error.
    let code = Generate.exitCode(for: error)
    if code == .success { Generate.exit(withError: error) }
    FileHandle.standardError.write(Data("error: \(Generate.message(for: error))\n".utf8))
    exit(2)
}
