import Diffusion

/// Counting what a U-Net costs, from its configuration alone, so that "equal training compute"
/// and "memory per step" are the same numbers on every machine.
///
/// The counts follow `UNet`'s forward pass layer by layer: input conv; per level a residual block
/// (two 3×3 convs, a 1×1 shortcut when the channels change, a linear map of the time embedding)
/// and a stride-2 conv; the middle block; per level on the way up a block on the concatenation
/// with the skip and, above the lowest level, a 3×3 conv after upsampling; the output conv.
public enum UNetCost {
    /// Multiply-accumulates of one forward pass for one H×W input.
    public static func forwardMACs(_ c: UNetConfig, height: Int, width: Int) -> Int {
        var total = 2 * c.timeDim * c.timeDim                     // time MLP
        func conv(_ cin: Int, _ cout: Int, _ k: Int, _ positions: Int) -> Int { cin * cout * k * k * positions }
        func block(_ cin: Int, _ cout: Int, _ positions: Int) -> Int {
            conv(cin, cout, 3, positions) + conv(cout, cout, 3, positions) + c.timeDim * cout
                + (cin == cout ? 0 : conv(cin, cout, 1, positions))
        }
        let positions = (0..<c.levels).map { (height >> $0) * (width >> $0) }
        total += conv(c.inChannels, c.channels(0), 3, positions[0])
        var previous = c.channels(0)
        for l in 0..<c.levels {
            total += block(previous, c.channels(l), positions[l])
            if l < c.levels - 1 { total += conv(c.channels(l), c.channels(l), 3, positions[l + 1]) }
            previous = c.channels(l)
        }
        total += block(previous, previous, positions[c.levels - 1])
        for l in (0..<c.levels).reversed() {
            total += block(previous + c.channels(l), c.channels(l), positions[l])
            if l > 0 { total += conv(c.channels(l), c.channels(l), 3, positions[l - 1]) }
            previous = c.channels(l)
        }
        total += conv(c.channels(0), c.outChannels, 3, positions[0])
        return total
    }

    /// Floats of the intermediate tensors one forward pass produces for one H×W input (every op's
    /// output, which is what a training step holds for backward); small per-sample vectors such as
    /// the time embedding are left out.
    public static func activationFloats(_ c: UNetConfig, height: Int, width: Int) -> Int {
        let positions = (0..<c.levels).map { (height >> $0) * (width >> $0) }
        // norm1, silu (input width); conv1, +time, norm2, silu, conv2, sum (output width); shortcut.
        func block(_ cin: Int, _ cout: Int, _ p: Int) -> Int { 2 * cin * p + 6 * cout * p + (cin == cout ? 0 : cout * p) }
        var total = c.channels(0) * positions[0]                    // input conv
        var previous = c.channels(0)
        for l in 0..<c.levels {
            total += block(previous, c.channels(l), positions[l])
            if l < c.levels - 1 { total += c.channels(l) * positions[l + 1] }
            previous = c.channels(l)
        }
        total += block(previous, previous, positions[c.levels - 1])
        for l in (0..<c.levels).reversed() {
            total += (previous + c.channels(l)) * positions[l]     // concatenation
            total += block(previous + c.channels(l), c.channels(l), positions[l])
            if l > 0 { total += 2 * c.channels(l) * positions[l - 1] }  // upsampled map and its conv
            previous = c.channels(l)
        }
        total += 2 * c.channels(0) * positions[0] + c.outChannels * positions[0]  // norm, silu, conv
        return total
    }

    /// FLOPs of one training step on `batch` inputs: 2 per multiply-accumulate, and the backward
    /// pass costs about twice the forward (a gradient for the inputs and one for the weights).
    public static func trainingFLOPs(_ c: UNetConfig, height: Int, width: Int, batch: Int) -> Double {
        3 * 2 * Double(forwardMACs(c, height: height, width: width)) * Double(batch)
    }
}
