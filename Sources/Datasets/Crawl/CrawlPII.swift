import Engine

/// Personal data for the crawl: e-mail addresses, phone numbers, card numbers with a valid Luhn
/// check digit, and card-like numbers whose check digit is wrong (which a masker must leave).
public enum CrawlPII {
    /// Whether a digit string passes the Luhn check: from the right, every second digit is
    /// doubled (minus 9 when above 9) and the sum must be a multiple of 10.
    public static func luhnValid(_ digits: [Int]) -> Bool {
        guard !digits.isEmpty else { return false }
        return luhnSum(digits) % 10 == 0
    }

    static func luhnSum(_ digits: [Int]) -> Int {
        var sum = 0
        for (k, d) in digits.reversed().enumerated() {
            if k % 2 == 1 { let x = 2 * d; sum += x > 9 ? x - 9 : x } else { sum += d }
        }
        return sum
    }

    /// Sixteen digits whose last digit makes the Luhn check pass (or, if `valid` is false, fail).
    public static func cardDigits(valid: Bool, _ rng: inout RNG) -> [Int] {
        var d = [4] + (0..<14).map { _ in rng.int(10) }
        let check = (10 - luhnSum(d + [0]) % 10) % 10
        d.append(valid ? check : (check + 1 + rng.int(9)) % 10)
        return d
    }

    /// Digits written in groups of four separated by spaces or dashes.
    public static func grouped(_ d: [Int], separator: String) -> String {
        stride(from: 0, to: d.count, by: 4).map { i in d[i..<min(d.count, i + 4)].map(String.init).joined() }
            .joined(separator: separator)
    }

    /// An e-mail address made of a name and an animal at an example domain.
    public static func email(name: String, _ rng: inout RNG) -> String {
        let animals = ["fox", "owl", "bear", "cat", "otter", "wolf"]
        let domains = ["mail.example", "post.example", "inbox.example"]
        return "\(name.lowercased()).\(CrawlJunk.pick(animals, &rng))\(rng.int(100))@\(CrawlJunk.pick(domains, &rng))"
    }

    /// A phone number in one of two formats: 555-0DD-DDDD or (555) 0DD-DDDD.
    public static func phone(_ rng: inout RNG) -> String {
        let mid = String(format2(rng.int(100))), last = String(1000 + rng.int(9000))
        return rng.int(2) == 0 ? "555-0\(mid)-\(last)" : "(555) 0\(mid)-\(last)"
    }

    static func format2(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }

    /// A sentence carrying personal data, and the counts it planted ([email, phone, card], lookalikes).
    public static func sentence(name: String, _ rng: inout RNG) -> (text: String, pii: [Int], lookalikes: Int) {
        switch rng.int(4) {
        case 0:
            return ("Write to \(email(name: name, &rng)) or call \(phone(&rng)) for more.", [1, 1, 0], 0)
        case 1:
            let sep = rng.int(2) == 0 ? " " : "-"
            return ("\(name) paid with card \(grouped(cardDigits(valid: true, &rng), separator: sep)).", [0, 0, 1], 0)
        case 2:
            return ("Contact \(email(name: name, &rng)) about the party.", [1, 0, 0], 0)
        default:
            // A lookalike: sixteen digits in groups, but the check digit is wrong, so not a card.
            let sep = rng.int(2) == 0 ? " " : "-"
            return ("Ticket number \(grouped(cardDigits(valid: false, &rng), separator: sep)) is on the desk, call \(phone(&rng)).", [0, 1, 0], 1)
        }
    }
}
