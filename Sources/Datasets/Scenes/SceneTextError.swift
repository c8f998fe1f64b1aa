/// A caption or question that does not fit the scene grammar: the text and what was wrong with it.
public struct SceneTextError: Error, Equatable, CustomStringConvertible {
    /// One line naming the text and the problem.
    public let description: String

    /// An error with its message.
    public init(_ description: String) { self.description = description }
}
