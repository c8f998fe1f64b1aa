import Foundation

/// Engine-wide settings.
public enum Engine {
    /// Whether the accelerated ops (matmul and linear, softmax, causal softmax and log-softmax,
    /// cross-entropy, layer and group norm, GELU, SiLU, conv2d, fused attention) run their plain
    /// `Reference` twins instead, forward and backward: the same model, trained on the loops a
    /// student reads, only slower. Results differ from the fast path in the last bits (other
    /// summation orders) but are deterministic: the reference loops run on one thread, in order.
    ///
    /// Starts as the environment variable `ENGINE_REFERENCE` (`1` turns it on), read once when
    /// first needed; set it at start-up, before any op runs. `withReference` sets it for one
    /// task or thread only (what tests that compare the two paths side by side use).
    public static var useReference: Bool {
        get { scopedReference ?? configuredReference }
        set { configuredReference = newValue }
    }

    /// The process-wide setting. Written only at start-up.
    nonisolated(unsafe) private static var configuredReference: Bool =
        ProcessInfo.processInfo.environment["ENGINE_REFERENCE"] == "1"

    /// The setting of the innermost `withReference` scope of this task or thread, if any.
    @TaskLocal private static var scopedReference: Bool?

    /// Runs `body` with the reference path on or off for the ops it calls, on this task or
    /// thread only, so concurrent code neither sees nor races with the setting.
    public static func withReference<T>(_ on: Bool, _ body: () throws -> T) rethrows -> T {
        try $scopedReference.withValue(on, operation: body)
    }
}
