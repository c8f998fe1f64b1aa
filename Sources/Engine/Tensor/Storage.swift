#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A reference-counted, 64-byte aligned buffer of float32 values: the memory behind a tensor.
///
/// Several tensors may share one storage (a reshape is free), so ops never write into an
/// input's storage; only optimizers update parameters in place.
public final class Storage {
    /// Number of floats.
    public let count: Int
    /// The first float. Valid for the storage's lifetime.
    public let pointer: UnsafeMutablePointer<Float>

    /// Allocates `count` floats, set to zero when `zeroed`.
    public init(count: Int, zeroed: Bool = true) {
        precondition(count >= 0, "Storage needs a non-negative size, got \(count)")
        self.count = count
        _ = Storage.keepFreedMemory
        var raw: UnsafeMutableRawPointer? = nil
        // 64-byte alignment suits AVX-512 loads and keeps cache lines unshared between threads.
        let status = posix_memalign(&raw, 64, max(1, count) * MemoryLayout<Float>.stride)
        precondition(status == 0 && raw != nil, "out of memory allocating \(count) floats")
        pointer = raw!.bindMemory(to: Float.self, capacity: max(1, count))
        if zeroed { pointer.initialize(repeating: 0, count: count) }
    }

    deinit { free(pointer) }

    /// Asks the C allocator to keep freed blocks for reuse instead of handing them back to the
    /// kernel. A training step frees and reallocates the same activation sizes every step; by
    /// default glibc serves blocks of 128 KiB and more with fresh `mmap`s and trims the heap, so
    /// each step page-faults its activations in again (zero-filled by the kernel), which cost
    /// 5–10% of a step. Peak memory is unchanged: the blocks are the ones the step needs anyway.
    ///
    /// It also turns off glibc's "fast bins" for small blocks. A step frees many small blocks
    /// (autograd records, shapes, scalars) between its large tensors, and with fast bins on, each
    /// large request first merged them all back (`malloc_consolidate`, ~1.5% of a gpt-s step
    /// in a profile); without them gpt-s measured 1–3%, mlp2d 2–3% and conv16 ~1% faster
    /// (in-process A/B). Small blocks still come from glibc's per-thread cache first.
    static let keepFreedMemory: Void = {
        #if canImport(Glibc)
        // malloc.h's M_TRIM_THRESHOLD (−1), M_MMAP_THRESHOLD (−3) and M_MXFAST (1); Glibc's module
        // omits malloc.h.
        _ = glibcMallopt(-3, 1 << 30)
        _ = glibcMallopt(-1, Int32.max)
        _ = glibcMallopt(1, 0)
        #endif
    }()

    /// The values as a buffer pointer.
    @inlinable public var buffer: UnsafeMutableBufferPointer<Float> {
        UnsafeMutableBufferPointer(start: pointer, count: count)
    }
}

#if canImport(Glibc)
/// glibc's `int mallopt(int param, int value)`.
@_silgen_name("mallopt")
private func glibcMallopt(_ param: Int32, _ value: Int32) -> Int32
#endif
