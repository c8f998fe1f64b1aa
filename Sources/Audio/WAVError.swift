/// Why a WAV file could not be read: the file, the field that was wrong, what was expected and
/// what the file holds instead.
public struct WAVError: Error, CustomStringConvertible, Equatable {
    /// The file (or "<bytes>" for data that did not come from a file).
    public let file: String
    /// The header field or chunk that failed, e.g. "fmt.bitsPerSample".
    public let field: String
    /// What a 16-bit PCM WAV needs there.
    public let expected: String
    /// What the file holds.
    public let found: String

    /// An error naming `field` of `file`.
    public init(file: String, field: String, expected: String, found: String) {
        self.file = file; self.field = field; self.expected = expected; self.found = found
    }

    public var description: String { "\(file): WAV field \(field): expected \(expected), found \(found)" }
}
