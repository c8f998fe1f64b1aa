"""The course's GPT in PyTorch: load a checkpoint chapter 10 wrote, check the logits, train on.

Chapter 10 saves its models as safetensors files whose tensor names are PyTorch module paths
(`blocks.0.attn.qkv.weight`, with `lora_A` and `lora_B` beside an adapted weight) and whose
metadata holds the configuration. This file defines the same network with torch.nn, loads such a
checkpoint, and

  1. compares its logits with the ones the Swift engine computed for the same bytes
     (`--reference`, a JSON file the chapter writes beside the checkpoint), and
  2. optionally continues training it with torch.optim.AdamW on a text file (`--train-text`),
     on a GPU when one is present.

    python3 Chapters/10-FineTuning/torch_twin.py --checkpoint .cache/10-finetuning/export/recipes-lora-r4.safetensors \
        --reference .cache/10-finetuning/export/reference-logits.json [--train-text .cache/10-finetuning/export/recipes.txt --steps 50]

Only the standard library and torch are needed (the safetensors header is JSON; the data are
little-endian float32). Exit status 1 when the logits disagree.
"""
import argparse, json, math, struct, sys

import torch
import torch.nn as nn
import torch.nn.functional as F


def read_safetensors(path):
    """Returns ({name: tensor}, metadata) for a file of float32 tensors."""
    with open(path, "rb") as f:
        blob = f.read()
    (header_len,) = struct.unpack("<Q", blob[:8])
    header = json.loads(blob[8:8 + header_len])
    meta = header.pop("__metadata__", {})
    data = blob[8 + header_len:]
    tensors = {}
    for name, entry in header.items():
        if entry["dtype"] != "F32":
            raise ValueError(f"{path}: tensor {name} has dtype {entry['dtype']}, expected F32")
        begin, end = entry["data_offsets"]
        values = torch.frombuffer(bytearray(data[begin:end]), dtype=torch.float32)
        tensors[name] = values.reshape(entry["shape"]).clone()
    return tensors, meta


class AdaptedLinear(nn.Linear):
    """nn.Linear plus an optional LoRA term (alpha / r) * (x A^T) B^T, as the Swift `Linear`."""

    def __init__(self, n_in, n_out, bias=True, rank=0, alpha=1.0):
        super().__init__(n_in, n_out, bias=bias)
        self.scale = alpha / rank if rank else 0.0
        if rank:
            self.lora_A = nn.Parameter(torch.zeros(rank, n_in))
            self.lora_B = nn.Parameter(torch.zeros(n_out, rank))

    def forward(self, x):
        y = super().forward(x)
        if self.scale:
            y = y + self.scale * (x @ self.lora_A.T) @ self.lora_B.T
        return y


class Block(nn.Module):
    def __init__(self, d, heads, rank, alpha):
        super().__init__()
        self.heads = heads
        self.ln1, self.ln2 = nn.LayerNorm(d), nn.LayerNorm(d)
        self.attn = nn.Module()
        self.attn.qkv = AdaptedLinear(d, 3 * d, rank=rank, alpha=alpha)
        self.attn.proj = AdaptedLinear(d, d, rank=rank, alpha=alpha)
        self.mlp = nn.Module()
        self.mlp.fc = AdaptedLinear(d, 4 * d, rank=rank, alpha=alpha)
        self.mlp.proj = AdaptedLinear(4 * d, d, rank=rank, alpha=alpha)

    def forward(self, x):
        b, t, d = x.shape
        # q, k and v are the three thirds of the fused projection; head h owns columns h*d/H.. of each.
        q, k, v = (z.view(b, t, self.heads, d // self.heads).transpose(1, 2) for z in self.attn.qkv(self.ln1(x)).split(d, 2))
        mixed = F.scaled_dot_product_attention(q, k, v, is_causal=True).transpose(1, 2).reshape(b, t, d)
        x = x + self.attn.proj(mixed)
        return x + self.mlp.proj(F.gelu(self.mlp.fc(self.ln2(x))))


class GPT(nn.Module):
    def __init__(self, vocab, context, width, heads, layers, rank=0, alpha=1.0):
        super().__init__()
        self.tok, self.pos = nn.Embedding(vocab, width), nn.Embedding(context, width)
        self.blocks = nn.ModuleList(Block(width, heads, rank, alpha) for _ in range(layers))
        self.ln, self.head = nn.LayerNorm(width), nn.Linear(width, vocab, bias=False)

    def forward(self, ids):
        x = self.tok(ids) + self.pos(torch.arange(ids.shape[1], device=ids.device))
        for block in self.blocks:
            x = block(x)
        return self.head(self.ln(x))


def load(path):
    tensors, meta = read_safetensors(path)
    if meta.get("format") != "course-gpt-v1":
        raise ValueError(f"{path}: not a course GPT checkpoint (metadata format {meta.get('format')!r})")
    rank = int(meta.get("lora_rank", 0))
    model = GPT(*(int(meta[k]) for k in ("vocab", "context", "width", "heads", "layers")),
                rank=rank, alpha=float(meta.get("lora_alpha", 1)))
    # strict=True: every name must match both ways, or load_state_dict raises naming the tensors.
    model.load_state_dict(tensors, strict=True)
    return model.eval(), meta


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--checkpoint", required=True)
    p.add_argument("--reference", help="JSON with 'ids' and the engine's 'logits' for them")
    p.add_argument("--train-text", help="a UTF-8 text file to continue training on")
    p.add_argument("--steps", type=int, default=50)
    args = p.parse_args()

    torch.manual_seed(0)
    model, meta = load(args.checkpoint)
    print(f"loaded {args.checkpoint}: {sum(t.numel() for t in model.parameters()):,} parameters, "
          f"LoRA rank {meta.get('lora_rank', 'none')}")
    if args.reference:
        with open(args.reference) as f:
            ref = json.load(f)
        ids = torch.tensor([ref["ids"]])
        with torch.no_grad():
            logits = model(ids)[0]
        swift = torch.tensor(ref["logits"]).reshape(logits.shape)
        gap = (logits - swift).abs().max().item()
        scale = swift.abs().max().item()
        # Float32 sums in another order through a few layers: agreement to ~1e-5 of the logit scale.
        ok = gap <= 1e-4 * max(1.0, scale)
        print(f"logits of {len(ref['ids'])} positions: largest |PyTorch - Swift| = {gap:.2e} (logit scale {scale:.1f}): "
              + ("match" if ok else "MISMATCH"))
        if not ok:
            sys.exit(1)
    if args.train_text:
        device = "cuda" if torch.cuda.is_available() else "mps" if torch.backends.mps.is_available() else "cpu"
        model.to(device).train()
        data = torch.tensor(list(open(args.train_text, "rb").read()), dtype=torch.long)
        context = int(meta["context"])
        trainable = [p for n, p in model.named_parameters() if "lora_" in n] or list(model.parameters())
        if meta.get("lora_rank"):
            for n, p in model.named_parameters():
                p.requires_grad = "lora_" in n
        opt = torch.optim.AdamW(trainable, lr=1e-3, weight_decay=0.0)

        def batch():
            starts = torch.randint(0, len(data) - context - 1, (16,))
            x = torch.stack([data[s:s + context] for s in starts]).to(device)
            y = torch.stack([data[s + 1:s + context + 1] for s in starts]).to(device)
            return x, y

        for step in range(args.steps + 1):
            x, y = batch()
            loss = F.cross_entropy(model(x).flatten(0, 1), y.flatten())
            if step % max(1, args.steps // 5) == 0 or step == args.steps:
                print(f"step {step:4d} on {device}: loss {loss.item() / math.log(2):.3f} bits/char")
            if step < args.steps:
                opt.zero_grad()
                loss.backward()
                opt.step()


if __name__ == "__main__":
    main()
