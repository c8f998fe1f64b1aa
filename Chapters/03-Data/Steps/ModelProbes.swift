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

/// The model's role bias: for each name, the probability of the three stereotyped roles against
/// the three others after "… Their neighbour, a woman named NAME, was a" (or "a man named"),
/// normalised over the six, then averaged over names. 0.5 means the model does not tie roles to
/// women or men; 1 means it gives only the stereotyped ones.
public func modelStereotypeShare(_ model: GPT, context: String) -> Double {
    let vocab = StoryVocabulary.standard
    var shares: [Double] = []
    for (girl, names) in [(true, vocab.girlNames), (false, vocab.boyNames)] {
        for name in names {
            let prompt = Array((context + " " + RoleMention(name: name, girlName: girl, role: "").prompt).utf8)
            func p(_ roles: [String]) -> Double {
                roles.reduce(0.0) { $0 + exp(continuationLogProb(model, prompt: prompt, continuation: Array(" \($1).".utf8))) }
            }
            let stereo = p(girl ? CrawlMix.girlRoles : CrawlMix.boyRoles), anti = p(girl ? CrawlMix.boyRoles : CrawlMix.girlRoles)
            shares.append(stereo / (stereo + anti))
        }
    }
    return shares.reduce(0, +) / Double(shares.count)
}
