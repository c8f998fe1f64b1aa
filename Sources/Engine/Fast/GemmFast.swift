// The tuned SGEMM: Goto-style blocking around a register-tiled micro-kernel.
//
// Loop nest, outermost first: column blocks of C (nc) → [pack B for the whole depth, shared,
// in parallel] → tasks over 14-row slivers of C, claimed by the threads in shrinking runs (plus
// column parts when rows are few) → row blocks (mc) → depth blocks (kc) → [pack A block, per
// task] → A slivers (14 rows) → B slivers (32 columns) → micro-kernel. A packed A sliver (kc·14
// floats) stays in L1 while the B slivers of the depth block stream past it from L2, and a row
// block's C rows stay in L2 while its depth blocks are added in.
//
// Operands with short rows are not packed at all. A row-major B sliver's 32 values at one depth
// are already adjacent in a stored row, so the micro-kernel reads them there, one row further
// per depth step (`readsBInPlace`); a row-major A sliver's 14 rows are read a row apart, one
// value further per step (`readsAInPlace`). Only a partial last sliver is packed, so no load runs
// past the operand.
//
// Determinism: every C element is one accumulator that sums its kc products in k order, and
// depth blocks are added to C in order; block sizes are constants, so the arithmetic of an
// element depends only on the shape — never on the thread count or on which task computed it.

extension Gemm {
    /// Rows of C per register tile; must match `microKernel`.
    static let packRows = 14
    /// Columns of C per register tile (two SIMD16 vectors); must match `microKernel`.
    static let packCols = 32
    /// Depth block: the packed A sliver the micro-kernel keeps in L1 is kc·14·4 bytes = 14 KiB, and
    /// every C tile is loaded and stored once per depth block.
    static let depthBlock = 256
    /// Row block: the packed A block (mc·kc·4 bytes = 224 KiB) stays in the 2 MiB L2.
    static let rowBlock = 14 * 16
    /// Row slivers per row block.
    static let perBlock = rowBlock / packRows
    /// Bound on the shared packed-B buffer, which holds a column block of B for every depth
    /// block (4M floats = 16 MiB; a 1024×1024 B takes 4 MiB).
    static let packedBFloats = 1 << 22
    /// Below this many multiply-adds the packing costs more than it saves; the reference runs.
    static let smallWork = 16 * 16 * 16
    /// Whether the micro-kernels read op(B) where it is stored instead of from a packed copy:
    /// row-major B whose rows are at most 512 floats (2 KiB) apart. Packing then buys the kernel
    /// nothing, and skipping it made gemm-512 2–4%, gpt-s 2–4%, gpt-m 1–3% and mlp2d 5–8% faster
    /// (in-process A/B at 2 threads; gemm-512 3% at 1 thread). With rows of 4 KiB or more every
    /// depth step is a new page, and gemm-1024 read in place measured 4–7% slower than packed.
    static func readsBInPlace(transB: Bool, ldb: Int) -> Bool { !transB && ldb <= 512 }

    /// Whether the micro-kernel reads op(A) where it is stored instead of from packed slivers:
    /// row-major A whose rows are at most 256 floats (1 KiB) apart. A sliver's 14 rows then
    /// spread over at least 4 of L1's 64 sets (≤ 4 lines in each of their 12 ways) and stay there
    /// while the B slivers pass; at 4 KiB apart all 14 would share one set. Skipping the packing
    /// made gpt-s 3–6% and gpt-l ~3% faster by the fastest steps (in-process A/B, 2 threads);
    /// gpt-m unchanged. A GPT's activations (64–256 features) are such operands, and their
    /// products have few B slivers to spread a packed A sliver's cost over.
    static func readsAInPlace(transA: Bool, lda: Int) -> Bool { !transA && lda <= 256 }

    /// Tuned SGEMM with the same contract as `reference`: C[M×N] (+)= op(A)[M×K] · op(B)[K×N],
    /// row-major with leading dimensions lda, ldb, ldc. `threads: 1` forces one thread; the
    /// result is bit-identical for every thread count.
    ///
    /// With fused multiply-adds (see `multiplyAdd`) and depth blocking, results may differ from
    /// `reference` in the last bits.
    ///
    /// `rowBias` (n values, with `accumulate` false) makes C start as that row in every row: the
    /// result has the bits of filling C with it and accumulating, without the pass that fills C.
    ///
    /// Reference twins: `Gemm.reference`, and `Reference.matmulForward`/`linearForward` for the ops
    /// that call it (tested in GemmTests and TwinLinearAlgebraTests).
    public static func fast(
        transA: Bool, transB: Bool, m: Int, n: Int, k: Int,
        a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
        c: UnsafeMutablePointer<Float>, ldc: Int, accumulate: Bool, rowBias: UnsafePointer<Float>? = nil,
        threads: Int? = nil
    ) {
        guard m > 0, n > 0 else { return }
        precondition(rowBias == nil || !accumulate, "Gemm.fast: rowBias replaces C's old values; accumulate must be false")
        if let rowBias, k == 0 || m * n * k <= smallWork {
            for i in 0..<m { (c + i * ldc).update(from: rowBias, count: n) }
            fast(transA: transA, transB: transB, m: m, n: n, k: k, a: a, lda: lda, b: b, ldb: ldb, c: c, ldc: ldc,
                 accumulate: true, threads: threads)
            return
        }
        if k == 0 {
            if !accumulate { for i in 0..<m { (c + i * ldc).update(repeating: 0, count: n) } }
            return
        }
        if m * n * k <= smallWork {
            reference(transA: transA, transB: transB, m: m, n: n, k: k, a: a, lda: lda, b: b, ldb: ldb,
                      c: c, ldc: ldc, accumulate: accumulate, threads: 1)
            return
        }
        let mr = packRows, nr = packCols
        let kcMax = min(k, depthBlock), depthBlocks = (k + depthBlock - 1) / depthBlock
        let inPlace = readsBInPlace(transB: transB, ldb: ldb), aInPlace = readsAInPlace(transA: transA, lda: lda)
        // The column block holds B packed for every depth block at once (at most `packedBFloats`);
        // B read in place needs no column blocks, and a packed copy only of a partial last sliver.
        let ncMax = inPlace ? n : min(n, max(nr, packedBFloats / k / nr * nr))
        let sliverStride = ((ncMax + nr - 1) / nr) * nr      // floats per depth step of one block
        let bCount = inPlace ? (n % nr == 0 ? 0 : nr * k) : sliverStride * k
        let bPack = GemmScratch.current.floats(bCount, for: .packedB)
        let workers = threads ?? Parallel.threads
        // Threads only pay off once a depth block holds enough work to hide the dispatch.
        let serial = workers <= 1 || m * n * kcMax < 1 << 16
        let rowSlivers = (m + mr - 1) / mr

        for jc in stride(from: 0, to: n, by: ncMax) {
            let nc = min(ncMax, n - jc)
            let slivers = (nc + nr - 1) / nr
            // Pack B for all depth blocks: block d starts at bPack + d·depthBlock·sliverStride.
            let serialPack = serial || k * nc < 1 << 13
            if inPlace {
                // Only the partial last sliver, as a one-sliver block: depth block d at bPack + d·depthBlock·32.
                if nc % nr != 0 {
                    packBRows(b: b, ldb: ldb, depths: 0..<k, k: k, j0: jc + nc / nr * nr, cols: nc % nr,
                              into: bPack, sliverStride: nr)
                }
            } else if transB {
                split(depthBlocks * slivers, serial: serialPack) { range in
                    for t in range {
                        let d = t / slivers, pc = d * depthBlock
                        packBTransposedSliver(b: b, ldb: ldb, p0: pc, kc: min(depthBlock, k - pc), j0: jc,
                                              cols: nc, sliver: t % slivers, into: bPack + pc * sliverStride)
                    }
                }
            } else {
                split((k + packBRowRun - 1) / packBRowRun, serial: serialPack) { range in
                    packBRows(b: b, ldb: ldb, depths: range.lowerBound * packBRowRun..<min(k, range.upperBound * packBRowRun),
                              k: k, j0: jc, cols: nc, into: bPack, sliverStride: sliverStride)
                }
            }
            // Tasks are row slivers, so each A row is packed once per depth block; only when there
            // are too few of them to balance the threads are the columns cut into parts as well.
            let colParts = serial ? 1 : max(1, min(slivers, 4 * workers / rowSlivers))
            // Task t covers row sliver t % rowSlivers of column part t / rowSlivers. Threads claim
            // runs of tasks, large first and down to one task at the end, so a thread the host
            // slows down holds back little work. Fixed chunks left the other thread idle for up
            // to a chunk: on average 0.1 of a 1 ms gemm-512 and 0.3 of a 7.5 ms gemm-1024, over
            // 1 ms on a busy host; claims of one sliver measured no slower than of 2 or 4.
            splitGuided(rowSlivers * colParts, serial: serial) { tasks in
                // Room for the packed A block (only a partial last sliver when A is read in place),
                // then the edge tile, each a whole number of cache lines.
                let aFloats = ((aInPlace ? mr : min(rowBlock, tasks.count * mr)) * kcMax + 15) / 16 * 16
                let aPack = GemmScratch.current.floats(aFloats + mr * nr, for: .packedA)
                let edge = aPack + aFloats
                var t = tasks.lowerBound
                while t < tasks.upperBound {
                    let part = t / rowSlivers
                    let runEnd = min(tasks.upperBound, (part + 1) * rowSlivers)
                    let columns = (slivers * part / colParts)..<(slivers * (part + 1) / colParts)
                    var i0 = (t % rowSlivers) * mr
                    let iEnd = min(m, ((runEnd - 1) % rowSlivers + 1) * mr)
                    // Row blocks of equal height in whole slivers, at most rowBlock rows: a run of
                    // 18 slivers is two blocks of 9, not 16 and a thin 2 that streams B for little work.
                    let runSlivers = runEnd - t, blocks = (runSlivers + perBlock - 1) / perBlock
                    let blockRows = (runSlivers + blocks - 1) / blocks * mr
                    while i0 < iEnd {
                        let rows = min(blockRows, iEnd - i0)
                        // All depth blocks of this row block before the next one: its C rows stay
                        // in L2 between the depth blocks instead of being swept out by the others.
                        for pc in stride(from: 0, to: k, by: depthBlock) {
                            let kc = min(depthBlock, k - pc)
                            let aBlock: Slivers
                            if aInPlace {
                                let full = rows / mr, live = rows - full * mr
                                if live > 0 {
                                    packA(transA: false, a: a, lda: lda, i0: i0 + full * mr, rows: live, p0: pc, kc: kc, into: aPack)
                                }
                                aBlock = .inPlace(a + i0 * lda + pc, sliverStep: mr * lda, rowStride: lda,
                                                  packedLast: live > 0 ? aPack : nil, last: full)
                            } else {
                                packA(transA: transA, a: a, lda: lda, i0: i0, rows: rows, p0: pc, kc: kc, into: aPack)
                                aBlock = .packed(aPack, sliverStep: mr * kc)
                            }
                            let bBlock: Slivers = inPlace
                                ? .inPlace(b + pc * ldb + jc, sliverStep: nr, rowStride: ldb,
                                           packedLast: nc % nr == 0 ? nil : bPack + pc * nr, last: slivers - 1)
                                : .packed(bPack + pc * sliverStride, sliverStep: nr * kc)
                            macroKernel(kc: kc, a: aBlock, rows: rows, b: bBlock,
                                        slivers: columns, c: c + i0 * ldc + jc, ldc: ldc, cols: nc,
                                        add: accumulate || pc > 0, addend: pc == 0 ? rowBias.map { $0 + jc } : nil,
                                        edge: edge)
                        }
                        i0 += rows
                    }
                    t = runEnd
                }
            }
        }
    }

    /// C[rows × slivers] (+)= A block · B slivers, one register tile at a time.
    ///
    /// The A sliver (14 rows × kc, 14 KiB) is the outer loop and stays in L1 while the B slivers
    /// (32 KiB each) stream past from L2. The other way round, a B sliver and an A sliver came to
    /// 46 of L1's 48 KiB and evicted each other; this order measured 1–5% faster on gemm-1024.
    /// `c` points at the block's first row and the B block's first column; `cols` is the width
    /// of that B block, for clipping the last sliver.
    static func macroKernel(kc: Int, a: Slivers, rows: Int, b: Slivers,
                            slivers: Range<Int>, c: UnsafeMutablePointer<Float>, ldc: Int, cols: Int,
                            add: Bool, addend: UnsafePointer<Float>?, edge: UnsafeMutablePointer<Float>) {
        let mr = packRows, nr = packCols
        var r0 = 0, r = 0
        while r0 < rows {
            let live = min(mr, rows - r0)
            let (aSliver, aRows) = a.sliver(r)
            for s in slivers {
                let j0 = s * nr, width = min(nr, cols - j0)
                let (bSliver, bRows) = b.sliver(s)
                registerTile(kc: kc, a: aSliver, aRows: aRows, b: bSliver, bStep: bRows ?? nr, c: c + r0 * ldc + j0,
                             ldc: ldc, rows: live, cols: width, add: add, addend: addend.map { $0 + j0 }, edge: edge)
            }
            r0 += mr
            r += 1
        }
    }

    /// One register tile: C[rows × cols] (+)= A sliver · B sliver over `kc`, where rows ≤ 14 and
    /// cols ≤ 32 are the live part of the tile. `a` is a packed A sliver, or with `aRows` the first
    /// of 14 stored rows that far apart (A read in place; all 14 rows live); `bStep` floats separate
    /// B's depth steps (a packed sliver's by default). A tile of all 32 columns goes straight to C,
    /// through `shortTileKernel` when at most 8 rows are live; a narrower one is computed into
    /// `edge` (14×32 scratch) and only its live part is stored, with the same single add the kernel
    /// would have done, so an element's bits never depend on its position.
    @inline(__always)
    static func registerTile(kc: Int, a: UnsafePointer<Float>, aRows: Int? = nil, b: UnsafePointer<Float>,
                             bStep: Int = packCols, c: UnsafeMutablePointer<Float>, ldc: Int, rows: Int, cols: Int,
                             add: Bool, addend: UnsafePointer<Float>? = nil, edge: UnsafeMutablePointer<Float>) {
        let nr = packCols, short = rows <= shortTileRows
        if let lda = aRows {
            assert(rows == packRows, "A read in place needs a full sliver")
            if cols == nr {
                microKernelRowsInPlace(kc: kc, a: a, lda: lda, b: b, bStep: bStep, c: c, ldc: ldc, add: add, addend: addend)
            } else {
                microKernelRowsInPlace(kc: kc, a: a, lda: lda, b: b, bStep: bStep, c: edge, ldc: nr, add: false)
                storeEdge(edge, rows: rows, cols: cols, into: c, ldc: ldc, add: add, addend: addend)
            }
            return
        }
        if cols == nr {
            if short {
                shortTileKernel(kc: kc, a: a, b: b, bStep: bStep, c: c, ldc: ldc, add: add, rows: rows, addend: addend)
            } else if rows == packRows {
                microKernel(kc: kc, a: a, b: b, bStep: bStep, c: c, ldc: ldc, add: add, addend: addend)
            } else {
                microKernel(kc: kc, a: a, b: b, bStep: bStep, c: edge, ldc: nr, add: false)
                storeEdge(edge, rows: rows, cols: cols, into: c, ldc: ldc, add: add, addend: addend)
            }
            return
        }
        if short {
            shortTileKernel(kc: kc, a: a, b: b, bStep: bStep, c: edge, ldc: nr, add: false, rows: rows)
        } else {
            microKernel(kc: kc, a: a, b: b, bStep: bStep, c: edge, ldc: nr, add: false)
        }
        storeEdge(edge, rows: rows, cols: cols, into: c, ldc: ldc, add: add, addend: addend)
    }

    /// Stores the live rows × cols of an edge tile computed into `edge` (row stride 32), adding
    /// to C when `add`, or to `addend` when given: the one add `storeRow` would have done.
    @inline(__always)
    static func storeEdge(_ edge: UnsafePointer<Float>, rows: Int, cols: Int, into c: UnsafeMutablePointer<Float>,
                          ldc: Int, add: Bool, addend: UnsafePointer<Float>? = nil) {
        let nr = packCols
        for r in 0..<rows {
            let dst = c + r * ldc, src = edge + r * nr
            if let addend {
                for j in 0..<cols { dst[j] = addend[j] + src[j] }
            } else if add {
                for j in 0..<cols { dst[j] = dst[j] + src[j] }
            } else {
                dst.update(from: src, count: cols)
            }
        }
    }

    /// Runs `body` over `0..<count`: on this thread when `serial`, else through `Parallel`.
    @inline(__always)
    static func split(_ count: Int, serial: Bool, _ body: (Range<Int>) -> Void) {
        if serial { body(0..<count) } else { Parallel.forRanges(count, body) }
    }

    /// `split` with guided claims (`Parallel.forRangesGuided`), down to one task.
    @inline(__always)
    static func splitGuided(_ count: Int, serial: Bool, _ body: (Range<Int>) -> Void) {
        if serial { body(0..<count) } else { Parallel.forRangesGuided(count, grain: 1, body) }
    }

    /// An uninitialised 64-byte aligned buffer of `count` floats; release it with `free`.
    static func alignedFloats(_ count: Int) -> UnsafeMutablePointer<Float> {
        var raw: UnsafeMutableRawPointer? = nil
        let status = posix_memalign(&raw, 64, max(1, count) * MemoryLayout<Float>.stride)
        precondition(status == 0 && raw != nil, "out of memory allocating \(count) floats for GEMM packing")
        return raw!.bindMemory(to: Float.self, capacity: max(1, count))
    }
}

/// One block of an operand's slivers as the micro-kernels read them: sliver s starts at
/// `first + s·sliverStep`. Packed slivers have their own layout (`rowStride` nil); an operand read
/// in place has its stored rows `rowStride` floats apart — one row per depth step for B, one per
/// tile row for A — except that sliver `last`, when partial, is read from a packed copy
/// (`packedLast`), since its full-width loads would run past the operand's end.
struct Slivers {
    let first: UnsafePointer<Float>
    let sliverStep: Int
    let rowStride: Int?
    let packedLast: UnsafePointer<Float>?
    let last: Int

    /// Packed slivers, `sliverStep` floats apart.
    static func packed(_ first: UnsafePointer<Float>, sliverStep: Int) -> Slivers {
        Slivers(first: first, sliverStep: sliverStep, rowStride: nil, packedLast: nil, last: -1)
    }

    /// An operand read where it is stored, with sliver `last` packed at `packedLast` if given.
    static func inPlace(_ first: UnsafePointer<Float>, sliverStep: Int, rowStride: Int,
                        packedLast: UnsafePointer<Float>?, last: Int) -> Slivers {
        Slivers(first: first, sliverStep: sliverStep, rowStride: rowStride, packedLast: packedLast, last: last)
    }

    /// Sliver s's first value, and its row stride when it is read in place (nil: packed).
    @inline(__always)
    func sliver(_ s: Int) -> (UnsafePointer<Float>, Int?) {
        if let packedLast, s == last { return (packedLast, nil) }
        return (first + s * sliverStep, rowStride)
    }
}
