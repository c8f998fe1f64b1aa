import Exercises
import Testing
@testable import ExerciseGrading

/// The catalogue: three exercises for every chapter, ids unique.
@Test func everyChapterHasThreeExercises() {
    let all = ExerciseSet.student.exercises()
    #expect(all.count == 36)
    for chapter in exerciseChapters { #expect(all.filter { $0.chapter == chapter }.count == 3, "chapter \(chapter)") }
    #expect(Set(all.map(\.fullID)).count == all.count)
    #expect(ExerciseSet.student.exercises(chapter: 2).map(\.id) == ["causal-mask", "stable-softmax", "attention"])
}

#if canImport(ExerciseSolutions)
/// The course's CI: every reference solution passes its grader. (A student's copy without
/// Sources/ExerciseSolutions skips this test.)
@Test func everyReferenceSolutionPasses() {
    for exercise in ExerciseSet.solutions.exercises() {
        let outcome = grade(exercise)
        #expect(outcome.passed, "\(exercise.fullID): \(outcome)")
    }
}
#endif

/// The student's module: each function that still throws `notImplemented` is graded FAIL with a
/// "not implemented" line naming its file, and its hint.
/// Exercises a student has written are graded for real by `grade` and not asserted here, so this
/// test stays true in a student's copy while they work.
@Test func stubsFailWithAHelpfulMessage() {
    for exercise in ExerciseSet.student.exercises() {
        let outcome = grade(exercise)
        guard case let .notImplemented(id) = outcome else { continue }
        #expect(id == exercise.fullID)  // `grade` reports another exercise's id as a failure instead
        #expect(!outcome.passed)
        let lines = reportLines(exercise, outcome)
        #expect(lines[0].hasPrefix("FAIL  \(exercise.fullID)"))
        #expect(lines.contains { $0.contains("not implemented yet") && $0.contains(exercise.file) })
        #expect(lines.contains { $0.contains("hint: \(exercise.hint)") })
    }
}

/// A stub names its own exercise, so a student's message points at the right function.
@Test func stubsNameTheirExercise() {
    do {
        _ = try Exercises.Ch02.causalMask(3)
    } catch let e as ExerciseError {
        #expect(e == .notImplemented("02.causal-mask"))
    } catch {
        Issue.record("unexpected error \(error)")
    }
    // Once a student writes causalMask, the call above returns and there is nothing to check.
}

/// A failing check's report shows the case, expected against got, and the hint.
@Test func failureReportShowsExpectedGotAndHint() {
    let exercise = Exercise(chapter: 5, id: "demo", title: "demo", hint: "the hint") {
        try expectClose([1, 2], [1, 3], tol: 1e-9, "f([1, 2])")
        return "unreachable"
    }
    let outcome = grade(exercise)
    guard case let .fail(message) = outcome else { Issue.record("expected a failure, got \(outcome)"); return }
    #expect(message.contains("value 1 is 2, expected 3"))
    let lines = reportLines(exercise, outcome)
    #expect(lines.contains { $0.contains("expected [1, 3]") } && lines.contains { $0.contains("got      [1, 2]") })
    #expect(lines.last == "      hint: the hint")
}

/// A check must never index past a wrong-sized answer: a short result is a failure, not a trap.
@Test func wrongSizedAnswersFailCleanly() throws {
    #expect(throws: GradeFailure.self) { try expectClose([1], [1, 2], tol: 1e-9, "short") }
    #expect(throws: GradeFailure.self) { try expectClose([.nan], [1], tol: 1e-9, "NaN") }
}

/// An exercise that calls another exercise's unwritten stub fails with a message that names the
/// stub, rather than claiming it was not started itself.
@Test func callingAnotherStubNamesIt() {
    let exercise = Exercise(chapter: 1, id: "encode", title: "encode", hint: "h") {
        throw ExerciseError.notImplemented("01.merge")
    }
    #expect(grade(Exercise(chapter: 1, id: "merge", title: "merge", hint: "h") { throw ExerciseError.notImplemented("01.merge") })
            == .notImplemented("01.merge"))
    guard case let .fail(message) = grade(exercise) else { Issue.record("expected a failure"); return }
    #expect(message.contains("01.merge") && message.contains("not written yet"))
}
