/// Counting the arithmetic of MLP training, from layer sizes alone, so that "matched training
/// compute" is the same number on every machine.
///
/// A dense layer of n_in → n_out costs n_in·n_out multiply-accumulates per row forward (2 FLOPs
/// each); backward costs about twice that (one product for the input gradient, one for the
/// weight gradient). Activations, biases and optimiser updates are O(width) and left out.
public enum MLPCost {
    /// Multiply-accumulates of one forward pass of one row through layers of `sizes`.
    public static func forwardMACs(_ sizes: [Int]) -> Int {
        zip(sizes, sizes.dropFirst()).reduce(0) { $0 + $1.0 * $1.1 }
    }

    /// FLOPs of `rows` rows forward only.
    public static func forwardFLOPs(_ sizes: [Int], rows: Int) -> Double {
        2 * Double(forwardMACs(sizes)) * Double(rows)
    }

    /// FLOPs of `rows` rows forward and backward (3× forward).
    public static func trainingFLOPs(_ sizes: [Int], rows: Int) -> Double {
        3 * forwardFLOPs(sizes, rows: rows)
    }

    /// Parameters (weights and biases) of an MLP through `sizes`.
    public static func parameters(_ sizes: [Int]) -> Int {
        zip(sizes, sizes.dropFirst()).reduce(0) { $0 + $1.0 * $1.1 + $1.1 }
    }
}
