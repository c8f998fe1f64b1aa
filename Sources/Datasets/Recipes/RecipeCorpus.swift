import Engine

/// A second text domain for fine-tuning: short recipes, seeded, with an exactly known entropy.
///
/// The stories of chapters 01–04 never mention cups, spoons or minutes; these recipes use their own
/// words (ingredients, kitchen verbs, units, digits) in a fixed layout:
///
///     Recipe: creamy lentil soup. You need: 2 cups of lentils, 1 pinch of salt and 3 spoons of
///     butter. Step 1: Wash the lentils. Step 2: Cook it for 20 minutes. Step 3: Mix the salt with
///     the butter. Serve it hot. It feeds 4 people.
///
/// with structure a model can learn from context: the main ingredient of the title comes first in
/// the list, the steps use only listed ingredients, units agree with their numbers, and the serving
/// temperature follows from the dish. As in `StoryCorpus`, the text determines every choice behind
/// it (templates start with different words, word lists do not overlap), so −log₂ p(text) is the
/// exact information content and the entropy rate is known.
public struct RecipeCorpus: Sendable {
    /// The seed every document derives from.
    public let seed: UInt64
    /// Placed between documents; certain after the closing sentence, so it costs 0 bits.
    public static let separator = "\n\n"

    /// Ingredients, most common first (Zipf weights by rank for the main ingredient).
    public static let ingredients = [
        "lentils", "oats", "flour", "butter", "sugar", "salt", "onions", "garlic", "ginger", "pepper",
        "yogurt", "spinach", "potatoes", "mushrooms", "leeks", "cabbage", "pumpkin", "almonds", "raisins",
        "cinnamon", "chickpeas", "barley", "celery", "parsley", "olives", "walnuts", "turnips", "vinegar",
    ]
    /// Dishes and the temperature each is served at (the closing sentence follows from the dish).
    public static let dishes: [(name: String, serve: String)] = [
        ("soup", "hot"), ("stew", "hot"), ("salad", "cold"), ("tart", "warm"), ("curry", "hot"),
        ("porridge", "hot"), ("dip", "cold"), ("bake", "warm"), ("pudding", "cold"), ("broth", "hot"),
    ]
    /// Title adjectives.
    public static let styles = ["quick", "spicy", "creamy", "simple", "sweet", "hearty", "fresh", "crispy"]
    /// Units with their plurals.
    public static let units: [(one: String, many: String)] = [
        ("cup", "cups"), ("spoon", "spoons"), ("pinch", "pinches"), ("handful", "handfuls"), ("slice", "slices"),
    ]
    /// Verbs of the one-ingredient step template ("Wash the lentils.").
    public static let verbs = ["Wash", "Chop", "Peel", "Grate", "Mash", "Fry", "Soak", "Roast", "Slice", "Toast"]
    /// Cooking times of the "Cook it for N minutes." template.
    public static let minutes = [5, 10, 15, 20, 30, 45]

    /// The corpus for `seed`.
    public init(seed: UInt64) { self.seed = seed }

    /// Document `i` with its exact log-probability (nats), the same on every call and machine.
    public func recipe(_ i: Int) -> (text: String, logProb: Double) {
        precondition(i >= 0, "document index must be non-negative, got \(i)")
        var c = ChoiceRecorder(chooser: SamplingChooser(rng: RNG(seed: mix(seed ^ mix(UInt64(i) &+ 0x2EC1_9E)))))
        let ingredients = Self.ingredients
        let style = Self.styles[c.pick([Int](repeating: 1, count: Self.styles.count))]
        let main = c.pick(zipfWeights(ingredients.count))
        let dish = Self.dishes[c.pick([Int](repeating: 1, count: Self.dishes.count))]
        var text = "Recipe: \(style) \(ingredients[main]) \(dish.name). You need: "

        // 2–4 ingredients, the main one first, the others drawn uniformly without replacement.
        let count = 2 + c.pick([3, 4, 2])
        var listed = [main]
        while listed.count < count {
            let free = ingredients.indices.filter { !listed.contains($0) }
            listed.append(free[c.pick([Int](repeating: 1, count: free.count))])
        }
        for (k, ing) in listed.enumerated() {
            if k > 0 { text += k == count - 1 ? " and " : ", " }
            let n = 1 + c.pick([4, 4, 3, 2, 1, 1])
            let unit = Self.units[c.pick([Int](repeating: 1, count: Self.units.count))]
            text += "\(n) \(n == 1 ? unit.one : unit.many) of \(ingredients[ing])"
        }
        text += "."

        // 2–5 steps; each picks a template by its first word, then its slots.
        let steps = 2 + c.pick([3, 4, 3, 2])
        for s in 1...steps {
            text += " Step \(s): "
            func anyListed() -> String { ingredients[listed[c.pick([Int](repeating: 1, count: listed.count))]] }
            switch c.pick([5, 2, 2]) {
            case 0:
                let verb = Self.verbs[c.pick([Int](repeating: 1, count: Self.verbs.count))]
                text += "\(verb) the \(anyListed())."
            case 1:
                let a = c.pick([Int](repeating: 1, count: listed.count))
                let rest = listed.indices.filter { $0 != a }
                let b = rest[c.pick([Int](repeating: 1, count: rest.count))]
                text += "Mix the \(ingredients[listed[a]]) with the \(ingredients[listed[b]])."
            default:
                text += "Cook it for \(Self.minutes[c.pick([Int](repeating: 1, count: Self.minutes.count))]) minutes."
            }
        }
        let people = 2 + c.pick([2, 4, 1, 3, 1])
        text += " Serve it \(dish.serve). It feeds \(people) people."
        return (text, c.logProb)
    }

    /// Documents `range` as text.
    public func texts(_ range: Range<Int>) -> [String] { range.map { recipe($0).text } }

    /// The entropy rate of the document stream (separators included, at 0 bits), over documents
    /// 0..<n, with its standard error (as `StoryCorpus.entropyRate`).
    public func entropyRate(documents n: Int) -> EntropyRate {
        precondition(n >= 2, "need at least two documents for a standard error")
        let docs = (0..<n).map(recipe)
        let bits = docs.map { -$0.logProb / log(2.0) }
        let chars = docs.map { Double($0.text.utf8.count + Self.separator.utf8.count) }
        let r = bits.reduce(0, +) / chars.reduce(0, +)
        var ss = 0.0
        for k in 0..<n { ss += (bits[k] - r * chars[k]) * (bits[k] - r * chars[k]) }
        let se = (ss / Double(n * (n - 1))).squareRoot() / (chars.reduce(0, +) / Double(n))
        let total = Int(chars.reduce(0, +))
        return EntropyRate(bitsPerCharacter: r, bitsPerByte: r, standardErrorPerCharacter: se, standardErrorPerByte: se,
                           documents: n, characters: total, bytes: total)
    }
}
