/// Matching a checkpoint to a model's parameters by name, before any value is copied, so that a
/// load either succeeds completely or changes nothing and reports every problem at once.
extension SafetensorsFile {
    /// Every difference between this checkpoint and the parameters a model expects:
    /// `.missingParameter` and `.shapeMismatch` in the order of `expected`, then
    /// `.unexpectedParameter` for leftover arrays in file order. Empty when they match exactly.
    /// `file` labels the checkpoint in the messages.
    public func parameterProblems(against expected: [(name: String, shape: [Int])],
                                  file: String = "checkpoint") -> [CheckpointError] {
        var problems: [CheckpointError] = []
        var byName: [String: NamedArray] = [:]
        for a in arrays { byName[a.name] = a }
        var wanted = Set<String>()
        for (name, shape) in expected {
            wanted.insert(name)
            guard let found = byName[name] else {
                problems.append(.missingParameter(file: file, name: name))
                continue
            }
            if found.shape != shape {
                problems.append(.shapeMismatch(file: file, name: name, expected: shape, found: found.shape))
            }
        }
        for a in arrays where !wanted.contains(a.name) {
            problems.append(.unexpectedParameter(file: file, name: a.name))
        }
        return problems
    }

    /// Throws unless the checkpoint holds exactly the `expected` names with the expected shapes.
    /// - Throws: the single problem itself when there is one, or
    ///   `CheckpointError.parameterProblems` listing all of them.
    public func validate(against expected: [(name: String, shape: [Int])], file: String = "checkpoint") throws {
        let problems = parameterProblems(against: expected, file: file)
        if problems.count == 1 { throw problems[0] }
        if problems.count > 1 { throw CheckpointError.parameterProblems(file: file, problems: problems) }
    }

    /// The values of the array `name`, checked to have `shape`; for copying one parameter.
    /// - Throws: `.missingParameter` or `.shapeMismatch`.
    public func values(named name: String, shape: [Int], file: String = "checkpoint") throws -> [Float] {
        guard let a = self[name] else { throw CheckpointError.missingParameter(file: file, name: name) }
        guard a.shape == shape else {
            throw CheckpointError.shapeMismatch(file: file, name: name, expected: shape, found: a.shape)
        }
        return a.values
    }
}
