// The C library (exp, log, pow, sqrt, malloc, …) for the engine and for every module that imports
// it, chosen here once rather than by a platform switch at the top of each file. Re-exporting it
// is what Foundation itself does on both platforms, so code that imports Engine sees the same C
// functions it would see with Foundation, without Foundation's other weight.
#if canImport(Glibc)
@_exported import Glibc
#elseif canImport(Darwin)
@_exported import Darwin
#endif
