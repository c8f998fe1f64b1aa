// `grade`: runs the course's exercise checks and prints, per exercise, PASS or FAIL with what
// was expected, what came back and a hint. It grades the student's code (module `Exercises`,
// Sources/Exercises/) unless `--solutions` asks for the reference solutions.
import ArgumentParser
import ExerciseGrading
import Foundation

struct Grade: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "grade",
        abstract: "Grade the exercises in Sources/Exercises (or the reference solutions).")

    @Argument(help: "Only this chapter's exercises (0–11).")
    var chapter: Int?

    @Flag(help: "Grade the reference solutions (Sources/ExerciseSolutions) instead of your code.")
    var solutions = false

    @Flag(help: "List the exercises without grading them.")
    var list = false

    func validate() throws {
        if let chapter, !exerciseChapters.contains(chapter) {
            throw ValidationError("no exercises for chapter \(chapter); the chapters are \(exerciseChapters.map(String.init).joined(separator: ", "))")
        }
    }

    func run() throws {
        let set: ExerciseSet
        if solutions {
            guard let reference = ExerciseSet.solutionsIfPresent else {
                print("error: this copy of the course has no reference solutions (Sources/ExerciseSolutions is not here)")
                throw ExitCode(2)
            }
            set = reference
        } else {
            set = ExerciseSet.student
        }
        let exercises = set.exercises(chapter: chapter)
        if list {
            for e in exercises { print("\(e.fullID)  \(e.title)") }
            return
        }
        print("Grading \(solutions ? "the reference solutions (Sources/ExerciseSolutions)" : "your exercises (Sources/Exercises)")\n")
        var passed = 0, started = 0
        for e in exercises {
            let outcome = grade(e)
            if outcome.passed { passed += 1 }
            if !outcome.notStarted { started += 1 }
            for line in reportLines(e, outcome) { print(line) }
        }
        print("\n\(passed) of \(exercises.count) passed (\(exercises.count - started) not started).")
        if passed < exercises.count { throw ExitCode(1) }
    }
}

Grade.main()
