# framework: pytorch
"""Scaled dot-product and multi-head attention from scratch, checked against PyTorch's versions."""
import math

import torch
from torch import nn
import torch.nn.functional as F
from torch.nn.attention import SDPBackend, sdpa_kernel

device = "cuda" if torch.cuda.is_available() else "cpu"
print(f"device: {device}")
torch.manual_seed(0)


def attention(q, k, v, mask=None):
    """softmax(Q K^T / sqrt(d_k) + mask) V; mask is a bool tensor, True = may attend."""
    scores = q @ k.transpose(-2, -1) / math.sqrt(q.size(-1))
    if mask is not None:
        scores = scores.masked_fill(~mask, float("-inf"))
    weights = scores.softmax(dim=-1)
    return weights @ v, weights


B, T, D, H = 2, 5, 16, 4
x = torch.randn(B, T, D, device=device)

print("\n1) single-head attention vs F.scaled_dot_product_attention")
q = k = v = x
ours, w = attention(q, k, v)
print("   weights rows sum to 1:", torch.allclose(w.sum(-1), torch.ones(B, T, device=device)))
print("   matches SDPA:", torch.allclose(ours, F.scaled_dot_product_attention(q, k, v), atol=1e-5))

print("\n2) causal mask: is_causal=True == explicit lower-triangular mask")
causal = torch.tril(torch.ones(T, T, dtype=torch.bool, device=device))
ours_c, w_c = attention(q, k, v, causal)
print("   matches SDPA(is_causal=True):",
      torch.allclose(ours_c, F.scaled_dot_product_attention(q, k, v, is_causal=True), atol=1e-5))
print("   row 1 weights:", [round(p, 3) for p in w_c[0, 1].tolist()], "(no weight on the future)")

print("\n3) multi-head attention by hand, using nn.MultiheadAttention's own weights")
mha = nn.MultiheadAttention(D, H, batch_first=True).to(device).eval()
lengths = torch.tensor([5, 3], device=device)
pad = torch.arange(T, device=device)[None, :] >= lengths[:, None]        # True = padding
ref, _ = mha(x, x, x, key_padding_mask=pad)                               # MHA: True = ignore

Wq, Wk, Wv = mha.in_proj_weight.chunk(3)
bq, bk, bv = mha.in_proj_bias.chunk(3)
split = lambda t: t.view(B, T, H, D // H).transpose(1, 2)                 # (B, H, T, d_head)
Q, K, V = split(x @ Wq.T + bq), split(x @ Wk.T + bk), split(x @ Wv.T + bv)
allowed = ~pad[:, None, None, :]                                          # our convention: True = keep
heads, _ = attention(Q, K, V, allowed)
concat = heads.transpose(1, 2).reshape(B, T, D)                          # concatenate the heads
ours_mha = mha.out_proj(concat)                                           # output projection
print("   matches nn.MultiheadAttention:", torch.allclose(ours_mha, ref, atol=1e-5))
short = x[1:, :3]                                                         # sample 1 without padding
alone, _ = mha(short, short, short)
print("   padded sample == same sample run unpadded:", torch.allclose(ours_mha[1, :3], alone[0], atol=1e-5))


class AdditiveAttention(nn.Module):
    """Bahdanau-style: score(s, h) = v^T tanh(W_s s + W_h h), used with RNN encoders."""

    def __init__(self, dim):
        super().__init__()
        self.w_s, self.w_h = nn.Linear(dim, dim, bias=False), nn.Linear(dim, dim)
        self.v = nn.Linear(dim, 1, bias=False)

    def forward(self, state, enc, pad_mask):            # state (B, D), enc (B, T, D)
        scores = self.v(torch.tanh(self.w_s(state)[:, None] + self.w_h(enc))).squeeze(-1)
        weights = scores.masked_fill(pad_mask, float("-inf")).softmax(-1)
        return (weights[..., None] * enc).sum(1), weights


print("\n4) additive (Bahdanau) attention, the older RNN seq2seq variant")
add_attn = AdditiveAttention(D).to(device)
context, w_add = add_attn(x[:, -1], x, pad)
print("   context:", tuple(context.shape), "| weights on padding of sample 1:",
      w_add[1, 3:].sum().item())

print("\n5) fused SDPA kernels")
with sdpa_kernel(SDPBackend.MATH):                       # force the reference implementation
    math_out = F.scaled_dot_product_attention(q, k, v, is_causal=True)
print("   MATH backend == default dispatch:",
      torch.allclose(math_out, F.scaled_dot_product_attention(q, k, v, is_causal=True), atol=1e-5))
if device == "cuda":
    print("   flash enabled:", torch.backends.cuda.flash_sdp_enabled(),
          "| mem-efficient enabled:", torch.backends.cuda.mem_efficient_sdp_enabled())
else:
    print("   on CPU, SDPA runs a fused flash-style CPU kernel; the FlashAttention, memory-efficient")
    print("   and cuDNN backends are CUDA kernels picked per call (restrict with nn.attention.sdpa_kernel)")
