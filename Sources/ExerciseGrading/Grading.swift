import Exercises

/// One graded exercise: which chapter it belongs to, what the student writes, a hint, and the
/// check that grades an implementation.
public struct Exercise {
    /// Chapter number (0–11).
    public let chapter: Int
    /// Short id, unique in its chapter, e.g. `causal-mask`.
    public let id: String
    /// What the student writes, in a few words.
    public let title: String
    /// The hint the grader prints on failure (the same one as in the stub's doc comment).
    public let hint: String
    /// Runs the checks; returns a one-line note on success, throws `GradeFailure` (or the
    /// student's own error) on failure.
    public let check: () throws -> String

    /// An exercise.
    public init(chapter: Int, id: String, title: String, hint: String, check: @escaping () throws -> String) {
        self.chapter = chapter
        self.id = id
        self.title = title
        self.hint = hint
        self.check = check
    }

    /// `02.causal-mask`.
    public var fullID: String { (chapter < 10 ? "0" : "") + "\(chapter).\(id)" }

    /// The student's file this exercise lives in, e.g. `Sources/Exercises/Ch02Attention.swift`.
    public var file: String {
        let names = [0: "Engine", 1: "Tokens", 2: "Attention", 3: "Data", 4: "Scaling", 5: "Diffusion", 6: "Latent",
                     7: "Multimodal", 8: "TextToImage", 9: "Families", 10: "FineTuning", 11: "Audio"]
        return "Sources/Exercises/Ch" + (chapter < 10 ? "0" : "") + "\(chapter)\(names[chapter] ?? "").swift"
    }
}

/// A check that did not hold: what was tested, what was expected and what came back.
public struct GradeFailure: Error, CustomStringConvertible {
    /// One or more lines, e.g. "causalMask(3): expected … got …".
    public let message: String
    /// A failure with this message.
    public init(_ message: String) { self.message = message }
    /// The message.
    public var description: String { message }
}

/// How one exercise fared.
public enum Outcome: Equatable {
    /// Every check held; the note says what was checked.
    case pass(String)
    /// The stub still throws `ExerciseError.notImplemented`, naming this exercise id.
    case notImplemented(String)
    /// A check failed (or the function threw); the message says how.
    case fail(String)

    /// Whether the exercise passed.
    public var passed: Bool { if case .pass = self { return true } else { return false } }
    /// Whether the stub has not been written yet.
    public var notStarted: Bool { if case .notImplemented = self { return true } else { return false } }
}

/// Runs an exercise's checks and classifies the result.
public func grade(_ exercise: Exercise) -> Outcome {
    do {
        return .pass(try exercise.check())
    } catch let e as ExerciseError {
        switch e {
        case let .notImplemented(id) where id == exercise.fullID:
            return .notImplemented(id)
        case let .notImplemented(id):
            // Written, but it calls another exercise's function that is still a stub.
            return .fail("your code calls exercise \(id), which is not written yet: write that one first")
        }
    } catch let e as GradeFailure {
        return .fail(e.message)
    } catch {
        return .fail("threw an error: \(error)")
    }
}

/// The report lines for one graded exercise: `PASS` with the note, or `FAIL` with the message
/// and the hint.
public func reportLines(_ exercise: Exercise, _ outcome: Outcome) -> [String] {
    let head = "\(exercise.fullID)  \(exercise.title)"
    switch outcome {
    case let .pass(note):
        return ["PASS  \(head)  (\(note))"]
    case .notImplemented:
        return ["FAIL  \(head)", "      not implemented yet: replace the stub's `throw` in \(exercise.file)", "      hint: \(exercise.hint)"]
    case let .fail(message):
        return ["FAIL  \(head)"] + message.split(separator: "\n").map { "      " + $0 } + ["      hint: \(exercise.hint)"]
    }
}
