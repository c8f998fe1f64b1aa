/// The element types this reader accepts, each converted to Float on load.
///
/// The writer only produces F32 (the engine's one dtype). The reader also takes half precision,
/// bfloat16 and double so that checkpoints saved by Python tools load; F64 values outside Float's
/// range become ±infinity and others round to nearest, as any float64→float32 cast does.
public enum SafetensorsDType: String, CaseIterable, Sendable {
    case f32 = "F32"
    case f16 = "F16"
    case bf16 = "BF16"
    case f64 = "F64"

    /// Bytes per element.
    public var size: Int {
        switch self {
        case .f32: return 4
        case .f16, .bf16: return 2
        case .f64: return 8
        }
    }

    /// Converts `count` little-endian elements starting at `offset` in `bytes` to Float.
    /// The caller has already checked that the range lies inside `bytes`.
    func decode(_ bytes: UnsafeRawBufferPointer, offset: Int, count: Int) -> [Float] {
        // At capacity 0 the initializer below writes the count into the standard library's shared
        // empty-array storage, a data race between threads that ThreadSanitizer reports.
        guard count > 0 else { return [] }
        return [Float](unsafeUninitializedCapacity: count) { out, initialized in
            switch self {
            case .f32:
                for i in 0..<count {
                    let bits = bytes.loadUnaligned(fromByteOffset: offset + 4 * i, as: UInt32.self)
                    out[i] = Float(bitPattern: UInt32(littleEndian: bits))
                }
            case .f16:
                for i in 0..<count {
                    let bits = bytes.loadUnaligned(fromByteOffset: offset + 2 * i, as: UInt16.self)
                    out[i] = floatFromHalfBits(UInt16(littleEndian: bits))
                }
            case .bf16:
                // bfloat16 is the top half of a float32, so widening is a shift.
                for i in 0..<count {
                    let bits = bytes.loadUnaligned(fromByteOffset: offset + 2 * i, as: UInt16.self)
                    out[i] = Float(bitPattern: UInt32(UInt16(littleEndian: bits)) << 16)
                }
            case .f64:
                for i in 0..<count {
                    let bits = bytes.loadUnaligned(fromByteOffset: offset + 8 * i, as: UInt64.self)
                    out[i] = Float(Double(bitPattern: UInt64(littleEndian: bits)))
                }
            }
            initialized = count
        }
    }
}

/// IEEE 754 binary16 → binary32, exact (every half value is a float value).
///
/// Written out by hand because `Float16` is unavailable on some platforms the package supports.
func floatFromHalfBits(_ h: UInt16) -> Float {
    let sign = UInt32(h >> 15) << 31
    let exponent = UInt32((h >> 10) & 0x1F)
    let mantissa = UInt32(h & 0x3FF)
    if exponent == 0x1F {  // inf or NaN: keep the payload in the top mantissa bits
        return Float(bitPattern: sign | 0x7F80_0000 | (mantissa << 13))
    }
    if exponent == 0 {  // zero or subnormal: value = mantissa × 2^-24
        let magnitude = Float(mantissa) * Float(bitPattern: 0x3380_0000)  // 2^-24
        return sign == 0 ? magnitude : -magnitude
    }
    // Normal: rebias the exponent from 15 to 127.
    return Float(bitPattern: sign | ((exponent + 112) << 23) | (mantissa << 13))
}
