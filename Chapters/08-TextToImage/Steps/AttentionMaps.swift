import Ch06Latent
import Diffusion
import Engine

/// How much each position of the full-resolution (8×8) feature map takes from each text token,
/// while the U-Net denoises `latent` [1, C, h, w] noised to timestep `t` under `prompt`.
///
/// The weights of the two cross-attention blocks at full resolution (first of the down path,
/// last of the up path) are averaged over their heads and over the two blocks. Returns one map
/// of h·w weights (row-major) per token, in token order: `<start>`, the words, `<end>`, padding.
/// Each map's values are shares of that position's attention (every position's weights over all
/// tokens sum to 1).
public func crossAttentionMaps(_ unet: TextConditionedUNet, latent: Tensor, prompt: String, encoder: CaptionEncoder,
                               t: Int, rng: inout RNG) -> [[Float]] {
    precondition(latent.rank == 4 && latent.shape[0] == 1, "crossAttentionMaps: one latent [1, C, h, w], got \(latent.shape)")
    let blocks = unet.attentionBlocks
    let chosen = [blocks.first!, blocks.last!]
    for b in chosen { b.recordWeights = true }
    defer { for b in chosen { b.recordWeights = false } }
    let xt = Tensor.noGrad { chapterSchedule.noised(latent, t: [t], noise: Tensor.randn(latent.shape, rng: &rng)) }
    _ = Tensor.noGrad { unet(xt, [t], encoder.encodeKnown([prompt])) }
    let weights = chosen.map { $0.lastAttentionWeights! }   // each [1, heads, hw, T]
    let heads = weights[0].shape[1], hw = weights[0].shape[2], tokens = weights[0].shape[3]
    var maps = [[Float]](repeating: [Float](repeating: 0, count: hw), count: tokens)
    let share = 1 / Float(heads * chosen.count)
    for w in weights {
        for h in 0..<heads {
            for p in 0..<hw {
                for k in 0..<tokens { maps[k][p] += share * w.data[(h * hw + p) * tokens + k] }
            }
        }
    }
    return maps
}
