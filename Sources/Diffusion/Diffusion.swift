/// Denoising diffusion: noise schedules, the forward process, samplers and denoisers.
public enum Diffusion {}
