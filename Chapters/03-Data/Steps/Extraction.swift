import Foundation

/// Stage 1: text extraction and normalisation. A crawled page is lines of content mixed with
/// page furniture (menus, cookie banners, footers) and Unicode mess; this stage keeps the
/// content lines, normalised, and drops pages that have none.
public enum Extraction {
    /// Words that mark a line as page furniture rather than content.
    static let furnitureWords = ["cookie", "cookies", "rights reserved", "privacy policy", "subscribe", "newsletter",
                                 "sign in", "login", "sitemap", "share on"]

    /// Whether a line is page furniture: a menu (two or more `|` separators), a short line (under
    /// twenty words) with a furniture phrase, or a very short line (under four words) that does not
    /// end like a sentence. The length limit keeps a story that says "I like cookies".
    public static func isBoilerplate(_ line: String) -> Bool {
        if line.filter({ $0 == "|" }).count >= 2 { return true }
        let words = line.split(separator: " ").count
        let lower = line.lowercased()
        if words < 20, furnitureWords.contains(where: { lower.contains($0) }) { return true }
        if words < 4, let last = line.last, !".!?\"".contains(last) { return true }
        return false
    }

    /// Unicode and whitespace normalisation: NFC composition (a letter and its combining accent
    /// become one character), typographic quotes to ASCII, every kind of space to one plain
    /// space, zero-width characters and carriage returns removed, runs of spaces collapsed and
    /// the ends trimmed.
    public static func normalise(_ line: String) -> String {
        var out = ""
        var lastSpace = true  // drops leading spaces
        // Plain ASCII is already in NFC; only other text pays for Foundation's composition.
        let composed = line.utf8.allSatisfy { $0 < 0x80 } ? line : line.precomposedStringWithCanonicalMapping
        for scalar in composed.unicodeScalars {
            var s = scalar
            switch scalar.value {
            case 0x200B, 0x200C, 0x200D, 0xFEFF, 0x0D: continue
            case 0x2018, 0x2019: s = "'"
            case 0x201C, 0x201D: s = "\""
            case 0x09, 0x00A0, 0x2000...0x200A, 0x202F, 0x3000: s = " "
            default: break
            }
            if s == " " {
                if lastSpace { continue }
                lastSpace = true
            } else {
                lastSpace = false
            }
            out.unicodeScalars.append(s)
        }
        if out.hasSuffix(" ") { out.removeLast() }
        return out
    }

    /// The content of a page: its normalised lines minus furniture, joined by newlines (empty
    /// when nothing is left, and the pipeline then drops the page).
    public static func extract(_ page: String) -> String {
        page.split(omittingEmptySubsequences: true, whereSeparator: { $0 == "\n" || $0 == "\r\n" })
            .map { normalise(String($0)) }
            .filter { !$0.isEmpty && !isBoilerplate($0) }
            .joined(separator: "\n")
    }
}
