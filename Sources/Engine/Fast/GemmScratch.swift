/// The GEMM's packing buffers, kept from call to call: one set per thread.
///
/// Allocating them afresh for every product (4 MiB of packed B for gemm-1024, a packed A block
/// and an edge tile per task) made a product's speed depend on the heap's shape. Small blocks
/// freed in between can pin the gaps, so that the next call's large buffers, or the next step's
/// output tensor, land on pages never touched before, which the operating system zero-fills on
/// first write. Whether that happens turned on details: merely allocating the A block and the
/// edge tile as one block instead of two made every gemm-1024 step fault ~2100 fresh pages
/// (8 MiB) and take 9–11 ms instead of 7. Kept per thread, the buffers are touched once.
///
/// A buffer only ever grows, to the largest size its thread has asked for: on a thread that calls
/// the GEMM, at most the larger of the packed-B bound (`Gemm.packedBFloats`, 16 MiB) and one
/// 32-column sliver over the deepest product's depth (128·k bytes); on every thread that runs its
/// tasks, a 224 KiB A block and an edge tile.
///
/// Safe because a thread uses its buffers for one product at a time: the worker pool runs one
/// job at a time, a thread waiting for its job runs only that job's tasks, and no GEMM task calls
/// the GEMM again.
final class GemmScratch {
    /// The buffers a product uses at once on one thread.
    enum Slot {
        /// The shared packed B, on the thread that called the GEMM.
        case packedB
        /// A task's packed A block and its edge tile.
        case packedA
    }

    private var packedB: (pointer: UnsafeMutablePointer<Float>, capacity: Int)?
    private var packedA: (pointer: UnsafeMutablePointer<Float>, capacity: Int)?

    deinit {
        free(packedB?.pointer)
        free(packedA?.pointer)
    }

    /// At least `count` floats for `slot`, 64-byte aligned, valid until this thread asks for the
    /// same slot again. The contents are whatever the last product left.
    func floats(_ count: Int, for slot: Slot) -> UnsafeMutablePointer<Float> {
        switch slot {
        case .packedB: return GemmScratch.grow(&packedB, to: count)
        case .packedA: return GemmScratch.grow(&packedA, to: count)
        }
    }

    private static func grow(_ buffer: inout (pointer: UnsafeMutablePointer<Float>, capacity: Int)?,
                             to count: Int) -> UnsafeMutablePointer<Float> {
        if let buffer, buffer.capacity >= count { return buffer.pointer }
        free(buffer?.pointer)
        let pointer = Gemm.alignedFloats(count)
        buffer = (pointer, count)
        return pointer
    }

    /// The calling thread's buffers, created on first use and freed when the thread ends.
    static var current: GemmScratch {
        if let raw = pthread_getspecific(key) {
            return Unmanaged<GemmScratch>.fromOpaque(raw).takeUnretainedValue()
        }
        let scratch = GemmScratch()
        pthread_setspecific(key, Unmanaged.passRetained(scratch).toOpaque())
        return scratch
    }

    private static let key: pthread_key_t = {
        var key = pthread_key_t()
        let status = pthread_key_create(&key) { releaseScratch($0) }
        precondition(status == 0, "GemmScratch: pthread_key_create failed (\(status))")
        return key
    }()
}

/// A thread's `GemmScratch` at the thread's end (the key's destructor).
private func releaseScratch(_ raw: UnsafeMutableRawPointer?) {
    guard let raw else { return }
    Unmanaged<GemmScratch>.fromOpaque(raw).release()
}
