/// Step 1's numbers: four tokens of "the cat sat on", and the query of "sat" asking for its subject.
///
/// Chosen by hand so every score is a small integer the reader can check: q·k = 0, 3, 1, 1.
public enum WorkedExample {
    /// The tokens the keys and values belong to.
    public static let tokens = ["the", "cat", "sat", "on"]
    /// The query of "sat" (width d = 4).
    public static let query: [Float] = [1, 0, 1, 0]
    /// One key per token: "cat" matches the query best.
    public static let keys: [[Float]] = [[0, 1, 0, 1], [1, 0, 2, 0], [1, 1, 0, 0], [0, 0, 1, 1]]
    /// One value per token (width 2, so the blend is easy to read).
    public static let values: [[Float]] = [[1, 0], [0, 1], [1, 1], [0, 0]]
}
