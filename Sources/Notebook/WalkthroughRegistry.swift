/// One chapter as the walkthrough knows it.
public struct ChapterEntry: Equatable, Sendable {
    /// Chapter number, e.g. 0.
    public var number: Int
    /// Slug used in folder names, e.g. `engine`.
    public var slug: String
    /// Name of the chapter's executable product, e.g. `ch00-engine`.
    public var executable: String
    /// Title as the chapter prints it.
    public var title: String

    /// A registry entry.
    public init(_ number: Int, _ slug: String, _ executable: String, _ title: String) {
        self.number = number
        self.slug = slug
        self.executable = executable
        self.title = title
    }

    /// `NN-slug`, the chapter's folder under the output root.
    public var folder: String { ChapterName.folder(number: number, slug: slug) }
}

/// The course's chapters and how the walkthrough picks among them.
public enum Walkthrough {
    /// Every chapter, in the order they are taught. Add a chapter by adding one line here.
    public static let chapters: [ChapterEntry] = [
        ChapterEntry(0, "engine", "ch00-engine", "The engine"),
        ChapterEntry(1, "tokens", "ch01-tokens", "Tokens and embeddings"),
        ChapterEntry(2, "attention", "ch02-attention", "Attention and a tiny GPT"),
        ChapterEntry(3, "data", "ch03-data", "Pre-training data"),
        ChapterEntry(4, "scaling", "ch04-scaling", "Scaling experiments"),
        ChapterEntry(5, "diffusion", "ch05-diffusion", "Diffusion"),
        ChapterEntry(6, "latent", "ch06-latent", "Latent space"),
        ChapterEntry(7, "multimodal", "ch07-multimodal", "Multimodal models"),
        ChapterEntry(8, "text-to-image", "ch08-text-to-image", "Text to image"),
        ChapterEntry(9, "families", "ch09-families", "Diffusion, GANs and VAEs"),
        ChapterEntry(10, "finetuning", "ch10-finetuning", "Fine-tuning, frameworks and deployment"),
        ChapterEntry(11, "audio", "ch11-audio", "Audio: recognising and generating speech"),
    ]

    /// The chapters to run: only `chapter` if given, else those numbered `from` or later, else all.
    /// Throws `WalkthroughError.unknownChapter` for a number not in `registry`.
    public static func select(_ registry: [ChapterEntry] = chapters, chapter: Int? = nil, from: Int? = nil) throws -> [ChapterEntry] {
        let known = registry.map(\.number)
        if let chapter {
            guard let entry = registry.first(where: { $0.number == chapter }) else {
                throw WalkthroughError.unknownChapter(chapter, known: known)
            }
            return [entry]
        }
        if let from {
            guard known.contains(from) else { throw WalkthroughError.unknownChapter(from, known: known) }
            return registry.filter { $0.number >= from }
        }
        return registry
    }
}

/// What the walkthrough rejects before running anything.
public enum WalkthroughError: Error, CustomStringConvertible, Equatable {
    /// A chapter number that is not in the registry.
    case unknownChapter(Int, known: [Int])

    /// One line naming the problem.
    public var description: String {
        switch self {
        case let .unknownChapter(n, known):
            return "no chapter \(n); the chapters are \(known.map(ChapterName.twoDigits).joined(separator: ", "))"
        }
    }
}
