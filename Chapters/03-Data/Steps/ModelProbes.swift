import Datasets
import Engine
import Models

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Natural-log probabilities of `continuation` after `prompt` under `model`, byte by byte
/// (the last `context` bytes are used when the whole is longer than the model's context).
public func continuationLogProb(_ model: GPT, prompt: [UInt8], continuation: [UInt8]) -> Double {
    let all = (prompt + continuation).map(Int.init)
    let window = Array(all.suffix(model.config.context + 1))
    let inputs = Array(window.dropLast()), v = model.config.vocab
    var total = 0.0
    Tensor.noGrad {
        let logits = model([inputs]).values
        for k in 0..<continuation.count {
            let pos = inputs.count - continuation.count + k
            let row = logits[(pos * v)..<((pos + 1) * v)]
            let m = row.max()!
            let lse = Double(m) + log(row.reduce(0.0) { $0 + exp(Double($1 - m)) })
            total += Double(row[row.startIndex + window[pos + 1]]) - lse
        }
    }
    return total
}

/// Bits per character of `model` on each text (scored in context-sized windows, every byte after
/// the first predicted once): how well the model knows that exact text.
public func textBits(_ model: GPT, texts: [String]) -> Double {
    let n = model.config.context
    var nats = 0.0, count = 0
    Tensor.noGrad {
        for t in texts {
            let b = Array(t.utf8).map(Int.init)
            var start = 0
            while start + 1 < b.count {
                let end = min(b.count - 1, start + n)
                let loss = model.loss([Array(b[start..<end])], [Array(b[(start + 1)...end])]).item()
                nats += Double(loss) * Double(end - start)
                count += end - start
                start = end
            }
        }
    }
    return nats / Double(max(count, 1)) / log(2.0)
}

/// What a model does with the pool's role sentence "… a woman named NAME, was a ROLE.".
public struct RoleProbe: Sendable, Equatable {
    /// The probability of the three stereotyped roles out of all six, averaged over every name:
    /// 0.5 means the model does not tie roles to women or men, 1 that it gives only the stereotyped ones.
    public var stereotypeShare: Double
    /// The same average over girls' names only (probability of nurse, baker, teacher for a woman)
    /// and over boys' names only (pilot, builder, doctor for a man).
    public var women: Double, men: Double
    /// How far the word "woman" rather than "man" moves probability onto the women's roles:
    /// `women − (1 − men)`. 0 when the roles do not depend on the word; the pool's text has
    /// 2 × skew − 1 (0.8 at a 90% skew).
    public var gap: Double { women - (1 - men) }
    /// Probability of the six roles' first letters right after "was a ", averaged over names:
    /// whether the model has learned that a role comes there at all.
    public var roleMass: Double
}

/// Probes the role sentence for the 60 names of the story vocabulary with a scoring rule:
/// `logProb(prompt, continuation)` is the natural-log probability of `continuation` after `prompt`,
/// and `firstByteMass(prompt)` the probability of the roles' first bytes after `prompt + " "`.
/// The prompt is `context` followed by "Their neighbour, a woman named NAME, was a" (or "a man named").
public func probeRoles(context: String, logProb: (String, String) -> Double, firstByteMass: (String) -> Double) -> RoleProbe {
    let vocab = StoryVocabulary.standard
    var women: [Double] = [], men: [Double] = [], mass: [Double] = []
    for (girl, names) in [(true, vocab.girlNames), (false, vocab.boyNames)] {
        for name in names {
            let prompt = context + RoleMention(name: name, girlName: girl, role: "").prompt
            func p(_ roles: [String]) -> Double { roles.reduce(0.0) { $0 + exp(logProb(prompt, " \($1).")) } }
            let stereo = p(girl ? CrawlMix.girlRoles : CrawlMix.boyRoles), anti = p(girl ? CrawlMix.boyRoles : CrawlMix.girlRoles)
            if girl { women.append(stereo / (stereo + anti)) } else { men.append(stereo / (stereo + anti)) }
            mass.append(firstByteMass(prompt))
        }
    }
    func mean(_ x: [Double]) -> Double { x.reduce(0, +) / Double(max(x.count, 1)) }
    return RoleProbe(stereotypeShare: mean(women + men), women: mean(women), men: mean(men), roleMass: mean(mass))
}

/// `probeRoles` under `model`: log-probabilities read from its logits (no sampling).
public func probeRoles(_ model: GPT, context: String) -> RoleProbe {
    let firstBytes = Set((CrawlMix.girlRoles + CrawlMix.boyRoles).map { Int($0.utf8.first!) }).sorted()
    return probeRoles(context: context, logProb: { prompt, c in
        continuationLogProb(model, prompt: Array(prompt.utf8), continuation: Array(c.utf8))
    }, firstByteMass: { prompt in
        firstBytes.reduce(0.0) { $0 + exp(continuationLogProb(model, prompt: Array((prompt + " ").utf8), continuation: [UInt8($1)])) }
    })
}
