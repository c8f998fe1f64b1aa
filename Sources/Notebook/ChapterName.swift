/// How chapter numbers and slugs turn into folder and executable names, in one place.
public enum ChapterName {
    /// `NN-slug`, the name of a chapter's output folder, e.g. `00-engine`.
    public static func folder(number: Int, slug: String) -> String { "\(twoDigits(number))-\(slug)" }

    /// `chNN-slug`, the name of a chapter's executable, e.g. `ch00-engine`.
    public static func executable(number: Int, slug: String) -> String { "ch\(twoDigits(number))-\(slug)" }

    /// The number with at least two digits, as chapters are numbered in folder names.
    public static func twoDigits(_ n: Int) -> String { n >= 0 && n < 10 ? "0\(n)" : String(n) }
}
