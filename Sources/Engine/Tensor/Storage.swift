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
        _ = Storage.keepFreedMemory  // allocator settings, once (Fast/AllocatorSettings.swift)
        var raw: UnsafeMutableRawPointer? = nil
        // 64-byte alignment suits AVX-512 loads and keeps cache lines unshared between threads.
        let status = posix_memalign(&raw, 64, max(1, count) * MemoryLayout<Float>.stride)
        precondition(status == 0 && raw != nil, "out of memory allocating \(count) floats")
        pointer = raw!.bindMemory(to: Float.self, capacity: max(1, count))
        if zeroed { pointer.initialize(repeating: 0, count: count) }
    }

    deinit { free(pointer) }

    /// The values as a buffer pointer.
    @inlinable public var buffer: UnsafeMutableBufferPointer<Float> {
        UnsafeMutableBufferPointer(start: pointer, count: count)
    }
}
