// How tensor memory is allocated: settings of the C allocator, applied once before the first
// tensor. They change no result, only how fast a training step gets its memory back.

extension Storage {
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
}

#if canImport(Glibc)
/// glibc's `int mallopt(int param, int value)`.
@_silgen_name("mallopt")
private func glibcMallopt(_ param: Int32, _ value: Int32) -> Int32
#endif
