"""Makes conv_edge_cases.json: PyTorch's conv2d outputs and gradients on the shapes of issue 27.

Each case holds x, w (and b), the upstream gradient g, and what torch.nn.functional.conv2d gives:
the output y and the gradients dx, dw (and db) of sum(y * g). The first two cases are the ones
that crashed the engine's backward (padding above kernel − 1, and a kernel that does not fit the
unpadded input); the others cover strides, non-square kernels, and the Winograd and implicit-GEMM
shapes. The Swift test (Tests/EngineTests/ConvTorchTests.swift) runs the engine on the same values.

    pip install torch
    python3 make_conv_edge_cases.py      # rewrites conv_edge_cases.json beside this file
"""
import json, os
import torch
import torch.nn.functional as F

CASES = [
    # name, x shape, w shape, bias, stride, padding, upstream gradient ("ones" = y.sum())
    ("1x1 kernel, padding 1 on 2x2 (issue 27)", [1, 1, 2, 2], [1, 1, 1, 1], False, 1, 1, "ones"),
    ("3x3 kernel, padding 2 on 1x1 (issue 27)", [1, 1, 1, 1], [1, 1, 3, 3], False, 1, 2, "ones"),
    ("2x2 kernel, padding 2, bias", [1, 2, 3, 3], [2, 2, 2, 2], True, 1, 2, "random"),
    ("3x2 kernel, stride 2, padding 3", [2, 3, 5, 4], [4, 3, 3, 2], True, 2, 3, "random"),
    ("1x1 kernel, stride 3, padding 4 on 1x1", [1, 2, 1, 1], [3, 2, 1, 1], True, 3, 4, "random"),
    ("5x5 same, 32 pixels (implicit GEMM)", [2, 2, 4, 8], [8, 2, 5, 5], True, 1, 2, "random"),
    ("3x3 same, 8 channels, 16x16 (Winograd)", [1, 8, 16, 16], [8, 8, 3, 3], True, 1, 1, "random"),
]


def values(t):
    return [float(v) for v in t.detach().reshape(-1).tolist()]


def main():
    torch.manual_seed(27)
    out = []
    for name, xs, ws, bias, stride, padding, upstream in CASES:
        x = torch.randn(xs, requires_grad=True)
        w = torch.randn(ws, requires_grad=True)
        b = torch.randn(ws[0], requires_grad=True) if bias else None
        y = F.conv2d(x, w, b, stride=stride, padding=padding)
        g = torch.ones_like(y) if upstream == "ones" else torch.randn(y.shape)
        (y * g).sum().backward()
        case = {"name": name, "stride": stride, "padding": padding,
                "x_shape": xs, "w_shape": ws, "y_shape": list(y.shape),
                "x": values(x), "w": values(w), "g": values(g),
                "y": values(y), "dx": values(x.grad), "dw": values(w.grad)}
        if bias:
            case["b"] = values(b)
            case["db"] = values(b.grad)
        out.append(case)
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "conv_edge_cases.json")
    with open(path, "w") as f:
        # One case per line, so a diff shows which case moved.
        f.write('{"torch": %s, "cases": [\n' % json.dumps(torch.__version__))
        f.write(",\n".join(json.dumps(c, separators=(",", ":")) for c in out))
        f.write("\n]}\n")


if __name__ == "__main__":
    main()
