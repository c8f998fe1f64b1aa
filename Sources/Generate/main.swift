// `generate`: serve the course's trained models from the command line.
//
//   swift run -c release generate text --checkpoint PATH --prompt "Recipe:" [--temperature 0.8 --top-k 20 --max-tokens 200 --seed 0]
//   swift run -c release generate image --checkpoint PATH --prompt "a red circle" --out x.png [--count 4 --steps 25 --guidance 7.5 --seed 0]
//
// A missing, corrupt or mismatched checkpoint, or a bad option, prints one line naming the file
// and the problem and exits with status 2. Same checkpoint, prompt and seed: same output.
import ArgumentParser
import Ch08TextToImage
import Datasets
import Engine
import Foundation
import Models
import Plot

struct Generate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Generate text or images from the course's trained checkpoints.",
        subcommands: [TextCommand.self, ImageCommand.self])
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
        // The prompt's bytes are the token ids: each must be in the checkpoint's vocabulary. A
        // checkpoint with a NaN or infinite weight (a diverged run) would give NaN logits, which
        // sampling cannot draw from: both are refused here with the byte or tensor named.
        let ids = prompt.utf8.map(Int.init)
        try validateTokenIDs(ids, vocabulary: model.config.vocab, operation: "--prompt (its UTF-8 bytes are the token ids)")
        for (name, p) in model.namedParameters() { try p.checkFinite("\(checkpoint): \(name)") }
        var rng = RNG(seed: seed)
        let rule: SamplingRule = temperature == 0 ? .greedy : .sample(temperature: temperature, topK: topK)
        let out = model.generate(prompt: ids, count: maxTokens, rule: rule, rng: &rng)
        print(String(decoding: out.map { UInt8($0) }, as: UTF8.self))
    }
}

struct ImageCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "image", abstract: "Draw a prompt with a text-to-image checkpoint (chapters 08 and 10).")

    @Option(help: "A text-to-image checkpoint written by chapter 10 (U-Net, VAE and text encoder in one safetensors file).")
    var checkpoint: String

    @Option(help: "The prompt, in the scene vocabulary (for example \"a red circle\").")
    var prompt: String

    @Option(help: "The PNG file to write (the images side by side, each drawn 4× larger).")
    var out: String

    @Option(help: "How many images.")
    var count: Int = 4

    @Option(help: "DDIM steps.")
    var steps: Int = 25

    @Option(help: "Guidance scale w (0 ignores the prompt, 1 is plain conditional).")
    var guidance: Float = 7.5

    @Option(help: "Seed of the noise; the same seed gives the same images.")
    var seed: UInt64 = 0

    func validate() throws {
        guard (1...64).contains(count) else { throw ValidationError("--count must be in 1...64, got \(count)") }
        guard (1...1000).contains(steps) else { throw ValidationError("--steps must be in 1...1000, got \(steps)") }
        guard guidance.isFinite, guidance >= 0 else { throw ValidationError("--guidance must be 0 or more, got \(guidance)") }
        guard out.hasSuffix(".png") else { throw ValidationError("--out must name a .png file, got \(out)") }
    }

    func run() throws {
        let bundle = try TextToImageBundle.load(from: checkpoint)
        let x = try bundle.images(prompt: prompt, count: count, steps: steps, guidance: guidance, seed: seed)
        let side = x.shape[2], zoom = 4, gap = 4
        let width = count * side * zoom + (count - 1) * gap, height = side * zoom
        var pixels = [UInt8](repeating: 255, count: width * height * 3)
        let v = x.values
        for i in 0..<count {
            for y in 0..<height {
                for xx in 0..<(side * zoom) {
                    let p = (y / zoom) * side + xx / zoom
                    for c in 0..<3 {
                        let value = (v[(i * 3 + c) * side * side + p] + 1) / 2
                        pixels[(y * width + i * (side * zoom + gap) + xx) * 3 + c] = UInt8(max(0, min(255, (value * 255).rounded())))
                    }
                }
            }
        }
        try PNG.write(PNGImage(width: width, height: height, format: .rgb, pixels: pixels), to: out)
        print("wrote \(out): \(count) image(s) of \"\(prompt)\"")
    }
}

do {
    var command = try Generate.parseAsRoot()
    try command.run()
} catch let error where error is CheckpointError || error is GPTCheckpointError || error is TextToImageBundleError
            || error is SceneTextError || error is PNGError || error is PlotError || error is InvalidArgument
            || error is NonFiniteError {
    // Bad files and prompts: one line naming the file and the problem (the errors' descriptions).
    FileHandle.standardError.write(Data("error: \(error)\n".utf8))
    exit(2)
} catch {
    // Help and version requests exit 0 through ArgumentParser; everything else is a usage error.
    let code = Generate.exitCode(for: error)
    if code == .success { Generate.exit(withError: error) }
    FileHandle.standardError.write(Data("error: \(Generate.message(for: error))\n".utf8))
    exit(2)
}
