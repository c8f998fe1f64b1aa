import Datasets

/// How many pieces of personal data of each kind a masking pass replaced.
public struct PIICounts: Sendable, Equatable {
    public var email = 0, phone = 0, card = 0
    /// A count with the given numbers.
    public init(email: Int = 0, phone: Int = 0, card: Int = 0) { self.email = email; self.phone = phone; self.card = card }
    /// Adds another count.
    public static func + (a: PIICounts, b: PIICounts) -> PIICounts {
        PIICounts(email: a.email + b.email, phone: a.phone + b.phone, card: a.card + b.card)
    }
}

/// Stage 5b: personal data is masked, not dropped: each e-mail address, phone number and card
/// number is replaced by a placeholder, so the rest of the document stays in the training set.
public enum PIIMasker {
    /// The placeholders.
    public static let emailMask = "[EMAIL]", phoneMask = "[PHONE]", cardMask = "[CARD]"

    /// `text` with personal data replaced, and how many of each kind were replaced.
    ///
    /// Card: 16 digits, optionally in groups of four split by one space or dash, whose Luhn check
    /// passes (a wrong check digit is an order or ticket number, left alone). Phone: 3-3-4 digits
    /// as `ddd-ddd-dddd` or `(ddd) ddd-dddd`. E-mail: a word with one `@`, a non-empty local part
    /// and a dotted domain. Digit runs are matched only at word boundaries.
    public static func mask(_ text: String) -> (text: String, counts: PIICounts) {
        let c = Array(text)
        var out = "", counts = PIICounts(), i = 0
        func isDigit(_ k: Int) -> Bool { k < c.count && c[k].isASCII && c[k].isNumber }
        func boundary(_ k: Int) -> Bool { k < 0 || k >= c.count || !(c[k].isLetter || c[k].isNumber) }
        while i < c.count {
            if boundary(i - 1), let end = matchCard(c, i), boundary(end) {
                out += cardMask; counts.card += 1; i = end; continue
            }
            if boundary(i - 1), let end = matchPhone(c, i), boundary(end) {
                out += phoneMask; counts.phone += 1; i = end; continue
            }
            out.append(c[i]); i += 1
        }
        // E-mail addresses are whole words, so they are found word by word on the result.
        var words: [String] = []
        for w in out.split(separator: " ", omittingEmptySubsequences: false) {
            var word = String(w), trail = ""
            while let last = word.last, ".,;:!?)".contains(last) { trail = String(last) + trail; word.removeLast() }
            if isEmail(word) { words.append(emailMask + trail); counts.email += 1 } else { words.append(String(w)) }
        }
        return (words.joined(separator: " "), counts)
    }

    /// Whether `word` looks like an e-mail address.
    public static func isEmail(_ word: String) -> Bool {
        let parts = word.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty else { return false }
        let allowed: (Character) -> Bool = { $0.isASCII && ($0.isLetter || $0.isNumber || "._-+".contains($0)) }
        guard parts[0].allSatisfy(allowed), parts[1].allSatisfy(allowed) else { return false }
        let domain = parts[1].split(separator: ".", omittingEmptySubsequences: false)
        return domain.count >= 2 && domain.allSatisfy { !$0.isEmpty }
    }

    /// The end of a Luhn-valid 16-digit card number starting at `i`, if there is one.
    static func matchCard(_ c: [Character], _ i: Int) -> Int? {
        var digits: [Int] = [], k = i
        var separator: Character?
        for group in 0..<4 {
            if group > 0 {
                if separator == nil, k < c.count, c[k] == " " || c[k] == "-" { separator = c[k] }
                if let s = separator { guard k < c.count, c[k] == s else { return nil }; k += 1 }
            }
            for _ in 0..<4 {
                guard k < c.count, c[k].isASCII, let d = c[k].wholeNumberValue else { return nil }
                digits.append(d); k += 1
            }
        }
        return CrawlPII.luhnValid(digits) ? k : nil
    }

    /// The end of a phone number `ddd-ddd-dddd` or `(ddd) ddd-dddd` starting at `i`, if any.
    static func matchPhone(_ c: [Character], _ i: Int) -> Int? {
        func digits(_ k: Int, _ n: Int) -> Int? {
            for j in k..<(k + n) { guard j < c.count, c[j].isASCII, c[j].isNumber else { return nil } }
            return k + n
        }
        func lit(_ k: Int, _ s: String) -> Int? {
            var j = k
            for ch in s { guard j < c.count, c[j] == ch else { return nil }; j += 1 }
            return j
        }
        if let a = digits(i, 3), let b = lit(a, "-"), let d = digits(b, 3), let e = lit(d, "-"), let f = digits(e, 4) { return f }
        if let a = lit(i, "("), let b = digits(a, 3), let d = lit(b, ") "), let e = digits(d, 3), let f = lit(e, "-"), let g = digits(f, 4) { return g }
        return nil
    }
}
