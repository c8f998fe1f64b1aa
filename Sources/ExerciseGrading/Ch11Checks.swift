import Foundation

/// Chapter 11's checks: the window's defining values, tones that fall in one bin, hand-counted
/// word errors.
func ch11Checks(_ f: any Ch11Exercises.Type) -> [Exercise] {
    [
        Exercise(chapter: 11, id: "hann-window", title: "the periodic Hann window",
                 hint: "0.5 − 0.5·cos(2π·i/n), dividing by n (periodic), not n − 1") {
            let h = 0.5 - 0.5 * cos(Double.pi / 4), h3 = 0.5 - 0.5 * cos(3 * Double.pi / 4)
            try expectClose(try f.hannWindow(8), [0, h, 0.5, h3, 1, h3, 0.5, h], tol: 1e-12, "hannWindow(8)")
            return "n = 8"
        },
        Exercise(chapter: 11, id: "power-spectrum", title: "the power spectrum of a windowed frame",
                 hint: "|Σ x[n]·e^(−2πikn/N)|² for k = 0…N/2, with x = frame ⊙ window") {
            let n = 16, ones = [Double](repeating: 1, count: 16)
            // cos with 3 cycles in 16 samples: all power in bin 3, (N/2)² = 64.
            let tone = (0..<n).map { cos(2 * Double.pi * 3 * Double($0) / Double(n)) }
            var want = [Double](repeating: 0, count: n / 2 + 1)
            want[3] = 64
            try expectClose(try f.powerSpectrum(frame: tone, window: ones), want, tol: 1e-9, "powerSpectrum(cos 3 cycles in 16, no window)")
            // 2·sin with 2 cycles: (2·N/2)² = 256 in bin 2. The Hann window is ½ − ¼e^(iθ) − ¼e^(−iθ),
            // so it halves bin 2's amplitude (power 64) and leaks a quarter into bins 1 and 3 (power 16).
            let sine = (0..<n).map { 2 * sin(2 * Double.pi * 2 * Double($0) / Double(n)) }
            want = [Double](repeating: 0, count: n / 2 + 1)
            want[2] = 256
            try expectClose(try f.powerSpectrum(frame: sine, window: ones), want, tol: 1e-9, "powerSpectrum(2·sin 2 cycles in 16, no window)")
            let hann = (0..<n).map { 0.5 - 0.5 * cos(2 * Double.pi * Double($0) / Double(n)) }
            want = [Double](repeating: 0, count: n / 2 + 1)
            want[1] = 16; want[2] = 64; want[3] = 16
            try expectClose(try f.powerSpectrum(frame: sine, window: hann), want, tol: 1e-9, "powerSpectrum(the same sine, Hann window)")
            return "pure tones, with and without the window"
        },
        Exercise(chapter: 11, id: "word-error-rate", title: "word error rate",
                 hint: "word-level edit distance (sub, del, ins cost 1) over the reference's word count") {
            let ref = "the cat sat on the mat"
            try expectClose(try f.wordErrorRate(reference: ref, hypothesis: ref), 0, tol: 1e-12, "WER of a perfect transcript")
            try expectClose(try f.wordErrorRate(reference: ref, hypothesis: "the cat sat on mat"), 1.0 / 6, tol: 1e-12, "one deletion")
            try expectClose(try f.wordErrorRate(reference: ref, hypothesis: "a cat sat on the the mat"), 2.0 / 6, tol: 1e-12,
                            "one substitution and one insertion")
            try expectClose(try f.wordErrorRate(reference: "the  cat", hypothesis: " the cat "), 0, tol: 1e-12, "extra whitespace")
            try expectClose(try f.wordErrorRate(reference: "yes", hypothesis: "no no no no"), 4, tol: 1e-12, "WER can exceed 1")
            return "deletions, substitutions, insertions, whitespace"
        },
    ]
}
