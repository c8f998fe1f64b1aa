"""Makes gpt_reference.safetensors: the PyTorch side of the llm.c-style GPT reference test.

A 2-layer, width-32 GPT with the same structure and parameter names as the Swift `GPT` in
Sources/Models. The file holds the initial weights, the input tokens and targets, PyTorch's
logits, loss and every parameter gradient, and the weights after 3 AdamW steps. The Swift test
(Tests/ModelsTests/GPTReferenceTests.swift) loads the same weights and must match.

    pip install torch safetensors numpy
    python3 make_gpt_reference.py        # rewrites gpt_reference.safetensors beside this file
"""
import math, os
import torch, torch.nn as nn, torch.nn.functional as F
from safetensors.torch import save_file

V, T, D, H, L, B = 17, 8, 32, 4, 2, 2
LR, BETAS, EPS, WD, STEPS = 1e-2, (0.9, 0.999), 1e-8, 0.1, 3


class Attention(nn.Module):
    def __init__(self):
        super().__init__()
        self.qkv, self.proj = nn.Linear(D, 3 * D), nn.Linear(D, D)

    def forward(self, x):
        b, t, c = x.shape
        q, k, v = self.qkv(x).split(c, 2)
        q, k, v = (z.view(b, t, H, c // H).transpose(1, 2) for z in (q, k, v))
        att = (q @ k.transpose(-2, -1)) / math.sqrt(c // H)
        att = att.masked_fill(torch.ones(t, t).tril() == 0, float("-inf")).softmax(-1)
        return self.proj((att @ v).transpose(1, 2).reshape(b, t, c))


class FeedForward(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc, self.proj = nn.Linear(D, 4 * D), nn.Linear(4 * D, D)

    def forward(self, x):
        return self.proj(F.gelu(self.fc(x)))


class Block(nn.Module):
    def __init__(self):
        super().__init__()
        self.ln1, self.attn, self.ln2, self.mlp = nn.LayerNorm(D), Attention(), nn.LayerNorm(D), FeedForward()

    def forward(self, x):
        x = x + self.attn(self.ln1(x))
        return x + self.mlp(self.ln2(x))


class GPT(nn.Module):
    def __init__(self):
        super().__init__()
        self.tok, self.pos = nn.Embedding(V, D), nn.Embedding(T, D)
        self.blocks = nn.Sequential(*[Block() for _ in range(L)])
        self.ln, self.head = nn.LayerNorm(D), nn.Linear(D, V, bias=False)

    def forward(self, idx):
        x = self.tok(idx) + self.pos(torch.arange(idx.shape[1]))
        return self.head(self.ln(self.blocks(x)))


def main():
    torch.manual_seed(1234)
    model = GPT()
    with torch.no_grad():  # LayerNorm starts at (1, 0); perturb it so its gradients are tested
        for name, p in model.named_parameters():
            if ".ln" in name or name.startswith("ln."):
                p.add_(0.1 * torch.randn_like(p))
    idx = torch.randint(0, V, (B, T))
    targets = torch.randint(0, V, (B, T))
    out = {f"init.{n}": p.detach().clone() for n, p in model.named_parameters()}
    out["tokens"], out["targets"] = idx.float(), targets.float()

    opt = torch.optim.AdamW(model.parameters(), lr=LR, betas=BETAS, eps=EPS, weight_decay=WD)
    for step in range(STEPS):
        logits = model(idx)
        loss = F.cross_entropy(logits.view(-1, V), targets.view(-1))
        opt.zero_grad()
        loss.backward()
        if step == 0:
            out["logits"], out["loss"] = logits.detach().clone(), loss.detach().reshape(1).clone()
            out.update({f"grad.{n}": p.grad.detach().clone() for n, p in model.named_parameters()})
        out[f"loss.step{step}"] = loss.detach().reshape(1).clone()
        opt.step()
    out.update({f"after{STEPS}.{n}": p.detach().clone() for n, p in model.named_parameters()})
    meta = dict(vocab=str(V), context=str(T), width=str(D), heads=str(H), layers=str(L), batch=str(B),
                lr=str(LR), beta1=str(BETAS[0]), beta2=str(BETAS[1]), eps=str(EPS), weight_decay=str(WD),
                steps=str(STEPS), torch=torch.__version__)
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "gpt_reference.safetensors")
    save_file({k: v.contiguous().float() for k, v in out.items()}, path, metadata=meta)
    print(f"wrote {path}: {len(out)} tensors, loss {out['loss'].item():.6f}")


if __name__ == "__main__":
    main()
