extension StoryVocabulary {
    /// The vocabulary the course's corpus uses: about 450 word forms in 14 categories.
    public static let standard = StoryVocabulary(
        girlNames: [
            "Lily", "Mia", "Emma", "Sara", "Anna", "Lucy", "Ella", "Rose", "Zoe", "Ruby",
            "Nora", "Ivy", "Maya", "Hana", "Clara", "Alice", "Grace", "Daisy", "Olive", "Amara",
            "Iris", "Luna", "Jade", "Nina", "Pia", "Tess", "Wren", "Yara", "Elsa", "Fern",
        ],
        boyNames: [
            "Tom", "Max", "Ben", "Sam", "Leo", "Jack", "Finn", "Noah", "Omar", "Theo",
            "Hugo", "Eli", "Ravi", "Kai", "Owen", "Felix", "Oscar", "Milo", "Ezra", "Jonah",
            "Arlo", "Bruno", "Caleb", "Dev", "Ian", "Luca", "Pablo", "Rex", "Tariq", "Yusuf",
        ],
        femalePeople: ["girl", "woman", "princess", "queen", "grandma", "witch"],
        malePeople: ["boy", "man", "prince", "king", "grandpa", "wizard"],
        animals: [
            Noun("cat"), Noun("dog"), Noun("rabbit"), Noun("bird"), Noun("fox", "foxes"), Noun("bear"),
            Noun("duck"), Noun("frog"), Noun("mouse", "mice"), Noun("owl"), Noun("horse"), Noun("pig"),
            Noun("lion"), Noun("elephant"), Noun("monkey"), Noun("turtle"), Noun("squirrel"),
            Noun("puppy", "puppies"), Noun("kitten"), Noun("tiger"), Noun("wolf", "wolves"),
            Noun("cow"), Noun("goat"), Noun("hen"), Noun("bee"), Noun("ant"), Noun("snail"),
            Noun("penguin"), Noun("zebra"), Noun("giraffe"), Noun("pony", "ponies"), Noun("otter"),
            Noun("hedgehog"), Noun("dolphin"), Noun("whale"), Noun("beaver"), Noun("crab"),
            Noun("lamb"), Noun("goose", "geese"), Noun("dragon"), Noun("parrot"), Noun("seal"),
            Noun("camel"), Noun("koala"), Noun("panda"), Noun("raccoon"), Noun("swan"), Noun("hamster"),
            Noun("badger"), Noun("lizard"),
        ],
        colours: [
            "red", "blue", "green", "yellow", "brown", "white", "black", "orange", "pink",
            "purple", "gray", "golden", "silver",
        ],
        sizes: ["little", "big", "small", "old", "young", "tiny", "tall", "clever"],
        qualities: [
            "shiny", "new", "broken", "soft", "heavy", "round", "muddy", "magic", "wooden", "funny",
            "striped", "sparkly", "dusty", "smooth", "lucky", "secret", "paper", "fluffy",
        ],
        feelings: [
            "happy", "sad", "hungry", "tired", "scared", "excited", "angry", "sleepy", "proud",
            "lonely", "brave", "surprised", "curious", "glad", "worried", "calm", "shy", "silly",
            "bored", "cheerful", "grumpy", "thankful", "nervous", "upset", "jolly",
        ],
        foods: [
            "apples", "cake", "cookies", "bread", "soup", "carrots", "honey", "cheese", "bananas",
            "berries", "pie", "milk", "grapes", "nuts", "rice", "pears", "plums", "peas", "eggs",
            "corn", "jam", "candy", "pizza", "noodles", "fish", "seeds", "pancakes", "muffins",
            "lemons", "peaches", "toast", "beans", "porridge", "cherries", "melons", "tomatoes",
        ],
        objects: [
            Noun("ball"), Noun("kite"), Noun("box", "boxes"), Noun("hat"), Noun("book"), Noun("cup"),
            Noun("key"), Noun("shell"), Noun("stone"), Noun("stick"), Noun("flower"),
            Noun("leaf", "leaves"), Noun("star"), Noun("boat"), Noun("drum"), Noun("bell"),
            Noun("coin"), Noun("map"), Noun("ring"), Noun("sock"), Noun("shoe"), Noun("bag"),
            Noun("toy"), Noun("doll"), Noun("block"), Noun("feather"), Noun("acorn"), Noun("balloon"),
            Noun("candle"), Noun("basket"), Noun("blanket"), Noun("button"), Noun("crayon"),
            Noun("marble"), Noun("ribbon"), Noun("whistle"), Noun("lamp"), Noun("spoon"),
            Noun("brush", "brushes"), Noun("jar"), Noun("umbrella"), Noun("egg cup", "egg cups"),
            Noun("scarf", "scarves"), Noun("puzzle"), Noun("bucket"), Noun("mirror"), Noun("clock"),
            Noun("pencil"), Noun("shovel"), Noun("trumpet"), Noun("lantern"), Noun("pebble"),
        ],
        places: [
            "park", "forest", "river", "beach", "garden", "farm", "school", "market", "lake", "hill",
            "village", "castle", "cave", "meadow", "pond", "library", "bakery", "barn", "zoo",
            "field", "mountain", "island", "bridge", "kitchen", "playground", "shop", "harbor",
            "orchard", "valley", "town", "desert", "jungle", "lighthouse", "station", "museum",
            "swamp", "windmill", "tower", "stable", "greenhouse",
        ],
        transitiveVerbs: [
            "found", "saw", "lost", "wanted", "made", "painted", "carried", "dropped", "held",
            "bought", "hid", "washed", "threw", "caught", "kicked", "shared", "fixed", "opened",
            "cleaned", "hugged", "drew", "counted",
        ],
        intransitiveVerbs: [
            "laughed", "smiled", "played", "jumped", "danced", "sang", "slept", "cried", "waited",
            "shouted", "swam", "climbed", "whistled", "giggled", "yawned", "clapped",
        ],
        motionVerbs: ["went", "ran", "walked", "hurried", "hopped", "raced", "wandered", "skipped"],
        manners: [
            "happily", "quietly", "loudly", "slowly", "quickly", "carefully", "gently", "proudly",
            "softly", "all day",
        ],
        weathers: [
            "sunny", "rainy", "windy", "cloudy", "cold", "warm", "snowy", "foggy", "stormy", "icy",
            "bright", "hot",
        ],
        times: ["day", "morning", "afternoon", "evening", "night"],
        numbers: ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"])
}
