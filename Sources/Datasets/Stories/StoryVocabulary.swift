/// A noun with its singular and plural forms ("fox"/"foxes", "mouse"/"mice").
public struct Noun: Hashable, Sendable {
    /// The singular form.
    public var singular: String
    /// The plural form; always different from the singular, so the text shows the number.
    public var plural: String

    /// A noun with an explicit plural.
    public init(_ singular: String, _ plural: String) {
        self.singular = singular
        self.plural = plural
    }

    /// A noun whose plural adds "s".
    public init(_ singular: String) { self.init(singular, singular + "s") }
}

/// The words the story grammar draws from, grouped by meaning.
///
/// Lists are ordered by how common the word should be: the grammar gives the word at rank r a
/// weight proportional to 1 / (r + 10), a gentle Zipf law like the one real text follows.
/// Every word form appears in exactly one list, which is part of what makes the text determine
/// the choices behind it (see `StoryGrammar`).
public struct StoryVocabulary: Sendable {
    /// Girls' names (pronoun "she").
    public var girlNames: [String]
    /// Boys' names (pronoun "he").
    public var boyNames: [String]
    /// Nouns for female people ("girl", "queen").
    public var femalePeople: [String]
    /// Nouns for male people ("boy", "king").
    public var malePeople: [String]
    /// Animals, which get a name and a gender from it.
    public var animals: [Noun]
    /// Colours, for animals and objects.
    public var colours: [String]
    /// Size and age adjectives placed before a character's noun.
    public var sizes: [String]
    /// Qualities of objects ("shiny", "broken").
    public var qualities: [String]
    /// Feelings ("happy", "sleepy").
    public var feelings: [String]
    /// Foods, in the form they take after "likes" ("apples", "soup").
    public var foods: [String]
    /// Countable objects.
    public var objects: [Noun]
    /// Places ("park", "forest").
    public var places: [String]
    /// Past-tense verbs that take an object ("found", "lost").
    public var transitiveVerbs: [String]
    /// Past-tense verbs that take no object ("laughed", "danced").
    public var intransitiveVerbs: [String]
    /// Past-tense verbs of motion, followed by "to the <place>".
    public var motionVerbs: [String]
    /// Adverbs of manner ("happily").
    public var manners: [String]
    /// Weather adjectives ("sunny", "icy").
    public var weathers: [String]
    /// Times of day ("morning").
    public var times: [String]
    /// Counting words from "one" upwards; `numbers[0]` must mean one (it takes a singular noun).
    public var numbers: [String]

    /// Creates a vocabulary from explicit lists (tests use tiny ones).
    public init(girlNames: [String], boyNames: [String], femalePeople: [String], malePeople: [String],
                animals: [Noun], colours: [String], sizes: [String], qualities: [String], feelings: [String], foods: [String],
                objects: [Noun], places: [String], transitiveVerbs: [String], intransitiveVerbs: [String],
                motionVerbs: [String], manners: [String], weathers: [String], times: [String],
                numbers: [String]) {
        self.girlNames = girlNames; self.boyNames = boyNames
        self.femalePeople = femalePeople; self.malePeople = malePeople
        self.animals = animals; self.colours = colours; self.sizes = sizes; self.qualities = qualities; self.feelings = feelings
        self.foods = foods; self.objects = objects; self.places = places
        self.transitiveVerbs = transitiveVerbs; self.intransitiveVerbs = intransitiveVerbs
        self.motionVerbs = motionVerbs; self.manners = manners; self.weathers = weathers
        self.times = times; self.numbers = numbers
    }

    /// Every word of the vocabulary by category, plural forms included, for colouring embeddings.
    public var categories: [String: [String]] {
        [
            "names": girlNames + boyNames,
            "people": femalePeople + malePeople,
            "animals": animals.flatMap { [$0.singular, $0.plural] },
            "colours": colours,
            "sizes": sizes,
            "qualities": qualities,
            "feelings": feelings,
            "foods": foods,
            "objects": objects.flatMap { [$0.singular, $0.plural] },
            "places": places,
            "actions": transitiveVerbs + intransitiveVerbs + motionVerbs,
            "manners": manners,
            "weather": weathers,
            "times": times,
            "numbers": numbers,
        ]
    }
}
