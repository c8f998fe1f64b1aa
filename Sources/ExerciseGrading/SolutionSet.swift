// The reference solutions, when this copy of the course has them (a teacher removes
// Sources/ExerciseSolutions from the copy handed to students, and Package.swift then leaves the
// module out).
#if canImport(ExerciseSolutions)
import ExerciseSolutions

extension ExerciseSet {
    /// The reference solutions: the module `ExerciseSolutions`.
    public static let solutions = ExerciseSet(
        ch00: ExerciseSolutions.Ch00.self, ch01: ExerciseSolutions.Ch01.self, ch02: ExerciseSolutions.Ch02.self,
        ch03: ExerciseSolutions.Ch03.self, ch04: ExerciseSolutions.Ch04.self, ch05: ExerciseSolutions.Ch05.self,
        ch06: ExerciseSolutions.Ch06.self, ch07: ExerciseSolutions.Ch07.self, ch08: ExerciseSolutions.Ch08.self,
        ch09: ExerciseSolutions.Ch09.self, ch10: ExerciseSolutions.Ch10.self, ch11: ExerciseSolutions.Ch11.self)
}

extension ExerciseSolutions.Ch00: Ch00Exercises {}
extension ExerciseSolutions.Ch01: Ch01Exercises {}
extension ExerciseSolutions.Ch02: Ch02Exercises {}
extension ExerciseSolutions.Ch03: Ch03Exercises {}
extension ExerciseSolutions.Ch04: Ch04Exercises {}
extension ExerciseSolutions.Ch05: Ch05Exercises {}
extension ExerciseSolutions.Ch06: Ch06Exercises {}
extension ExerciseSolutions.Ch07: Ch07Exercises {}
extension ExerciseSolutions.Ch08: Ch08Exercises {}
extension ExerciseSolutions.Ch09: Ch09Exercises {}
extension ExerciseSolutions.Ch10: Ch10Exercises {}
extension ExerciseSolutions.Ch11: Ch11Exercises {}
#endif

extension ExerciseSet {
    /// The reference solutions if this copy of the course has them, else nil.
    public static var solutionsIfPresent: ExerciseSet? {
        #if canImport(ExerciseSolutions)
        return solutions
        #else
        return nil
        #endif
    }
}
