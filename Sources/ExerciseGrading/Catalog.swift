import Exercises

/// The twelve chapters' function sets of one implementation, as the checks take them.
public struct ExerciseSet {
    let ch00: any Ch00Exercises.Type, ch01: any Ch01Exercises.Type, ch02: any Ch02Exercises.Type
    let ch03: any Ch03Exercises.Type, ch04: any Ch04Exercises.Type, ch05: any Ch05Exercises.Type
    let ch06: any Ch06Exercises.Type, ch07: any Ch07Exercises.Type, ch08: any Ch08Exercises.Type
    let ch09: any Ch09Exercises.Type, ch10: any Ch10Exercises.Type, ch11: any Ch11Exercises.Type

    /// A set built from one type per chapter (tests use this to grade deliberately wrong code).
    public init(ch00: any Ch00Exercises.Type, ch01: any Ch01Exercises.Type, ch02: any Ch02Exercises.Type,
                ch03: any Ch03Exercises.Type, ch04: any Ch04Exercises.Type, ch05: any Ch05Exercises.Type,
                ch06: any Ch06Exercises.Type, ch07: any Ch07Exercises.Type, ch08: any Ch08Exercises.Type,
                ch09: any Ch09Exercises.Type, ch10: any Ch10Exercises.Type, ch11: any Ch11Exercises.Type) {
        self.ch00 = ch00; self.ch01 = ch01; self.ch02 = ch02; self.ch03 = ch03; self.ch04 = ch04; self.ch05 = ch05
        self.ch06 = ch06; self.ch07 = ch07; self.ch08 = ch08; self.ch09 = ch09; self.ch10 = ch10; self.ch11 = ch11
    }

    /// The student's code: the module `Exercises` (stubs until the student fills them in).
    public static let student = ExerciseSet(
        ch00: Exercises.Ch00.self, ch01: Exercises.Ch01.self, ch02: Exercises.Ch02.self, ch03: Exercises.Ch03.self,
        ch04: Exercises.Ch04.self, ch05: Exercises.Ch05.self, ch06: Exercises.Ch06.self, ch07: Exercises.Ch07.self,
        ch08: Exercises.Ch08.self, ch09: Exercises.Ch09.self, ch10: Exercises.Ch10.self, ch11: Exercises.Ch11.self)

    /// Every exercise, in chapter order, graded against this set; only `chapter`'s when given.
    public func exercises(chapter: Int? = nil) -> [Exercise] {
        let all = ch00Checks(ch00) + ch01Checks(ch01) + ch02Checks(ch02) + ch03Checks(ch03) + ch04Checks(ch04)
            + ch05Checks(ch05) + ch06Checks(ch06) + ch07Checks(ch07) + ch08Checks(ch08) + ch09Checks(ch09)
            + ch10Checks(ch10) + ch11Checks(ch11)
        return chapter.map { c in all.filter { $0.chapter == c } } ?? all
    }
}

/// The chapters that have exercises.
public let exerciseChapters = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]
