// Software prefetch for the engine's kernels. Swift has no prefetch intrinsic, so this one
// inline function wraps the compiler builtin; it compiles to a single prefetcht0 on x86-64.
#ifndef ENGINE_CPREFETCH_H
#define ENGINE_CPREFETCH_H

/// Hints that the 64-byte line holding `address` will be read soon, into every cache level.
/// Never faults, whatever the address.
static inline __attribute__((always_inline)) void engine_prefetch(const void *address) {
    __builtin_prefetch(address, 0, 3);
}

#endif
