/// What can go wrong while running a chapter, each case naming the thing at fault.
public enum NotebookError: Error, CustomStringConvertible, Equatable {
    /// The `--out` folder cannot be created or written (a usage error: exit code 2).
    case badOutput(path: String, reason: String)
    /// A figure or file name that is empty or not a plain file name.
    case badName(String, reason: String)
    /// Two outputs of one chapter asked for the same file name.
    case duplicateOutput(String)
    /// A figure's `save(to:)` returned without writing its PNG.
    case figureNotWritten(name: String)
    /// Writing or moving an output file failed.
    case io(path: String, reason: String)
    /// A key number whose key or value the manifest cannot carry.
    case badNumber(key: String, reason: String)

    /// One line naming the problem.
    public var description: String {
        switch self {
        case let .badOutput(path, reason): return "--out '\(path)': \(reason)"
        case let .badName(name, reason): return "output name '\(name)': \(reason)"
        case let .duplicateOutput(name): return "output name '\(name)' is used twice in this chapter"
        case let .figureNotWritten(name): return "figure '\(name)': save(to:) returned without writing \(name).png"
        case let .io(path, reason): return "\(path): \(reason)"
        case let .badNumber(key, reason): return "key number '\(key)': \(reason)"
        }
    }
}

/// A chapter body threw: the error is wrapped with the chapter number for the one-line report.
public struct ChapterFailure: Error, CustomStringConvertible {
    /// The chapter that failed.
    public let number: Int
    /// What the chapter body threw.
    public let underlying: Error

    /// `chapter NN failed: <reason>`.
    public var description: String {
        "chapter \(ChapterName.twoDigits(number)) failed: \(describeError(underlying))"
    }
}

/// A one-line description of any error, preferring what the error says about itself.
func describeError(_ error: Error) -> String {
    let text = String(describing: error)
    return text.split(whereSeparator: \.isNewline).joined(separator: " ")
}
