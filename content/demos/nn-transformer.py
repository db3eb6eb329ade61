# framework: pytorch
"""A complete seq2seq model around nn.Transformer: embeddings, positions, masks, output head."""
import math
import warnings

import torch
from torch import nn
import torch.nn.functional as F

device = "cuda" if torch.cuda.is_available() else "cpu"
print(f"device: {device}")
torch.manual_seed(0)
PAD = 0
# In eval mode the encoder's fast path packs padded batches into (prototype) nested tensors
# and warns about it; the warning is harmless here.
warnings.filterwarnings("ignore", message="The PyTorch API of nested tensors")


class PositionalEncoding(nn.Module):
    def __init__(self, d_model, max_len=64):
        super().__init__()
        pos = torch.arange(max_len).unsqueeze(1)
        div = torch.exp(torch.arange(0, d_model, 2) * (-math.log(10000.0) / d_model))
        pe = torch.zeros(max_len, d_model)
        pe[:, 0::2], pe[:, 1::2] = torch.sin(pos * div), torch.cos(pos * div)
        self.register_buffer("pe", pe, persistent=False)    # fixed, moves with .to()

    def forward(self, x):                                    # x: (B, T, d_model)
        return x + self.pe[: x.size(1)]


class Seq2Seq(nn.Module):
    def __init__(self, src_vocab, tgt_vocab, d_model=32, nhead=4):
        super().__init__()
        self.d_model = d_model
        self.src_emb = nn.Embedding(src_vocab, d_model, padding_idx=PAD)   # nn.Transformer has
        self.tgt_emb = nn.Embedding(tgt_vocab, d_model, padding_idx=PAD)   # no embeddings,
        self.pos = PositionalEncoding(d_model)                             # no positions,
        self.core = nn.Transformer(d_model, nhead, num_encoder_layers=2, num_decoder_layers=2,
                                   dim_feedforward=64, dropout=0.1, batch_first=True)
        self.head = nn.Linear(d_model, tgt_vocab)                          # and no output head

    def forward(self, src, tgt, src_pad=None):
        src_pad = (src == PAD) if src_pad is None else src_pad    # True = padding, ignore it
        causal = nn.Transformer.generate_square_subsequent_mask(   # True = future, blocked
            tgt.size(1), device=tgt.device, dtype=torch.bool)
        h = self.core(self.pos(self.src_emb(src) * math.sqrt(self.d_model)),
                      self.pos(self.tgt_emb(tgt) * math.sqrt(self.d_model)),
                      tgt_mask=causal,                       # no peeking at future targets
                      src_key_padding_mask=src_pad,
                      tgt_key_padding_mask=tgt == PAD,
                      memory_key_padding_mask=src_pad)
        return self.head(h)                                  # (B, T_tgt, tgt_vocab) logits


model = Seq2Seq(src_vocab=20, tgt_vocab=30).to(device).eval()     # eval: dropout off for the checks
src = torch.tensor([[5, 6, 7, 8, PAD, PAD], [3, 4, 9, 2, 11, 12]], device=device)
tgt = torch.tensor([[1, 14, 15, 16, 17], [1, 21, 22, PAD, PAD]], device=device)

print("\n1) shapes")
with torch.no_grad():
    logits = model(src, tgt)
print("   src", tuple(src.shape), "tgt", tuple(tgt.shape), "-> logits", tuple(logits.shape))
print("   generate_square_subsequent_mask(4) (float, added to the scores):\n  ",
      str(nn.Transformer.generate_square_subsequent_mask(4)).replace("\n", "\n   "))

print("\n2) the causal mask: changing target token 3 leaves positions 0-2 unchanged")
tgt2 = tgt.clone()
tgt2[0, 3] = 29
with torch.no_grad():
    logits2 = model(src, tgt2)
print("   positions 0-2 equal:", torch.allclose(logits[0, :3], logits2[0, :3], atol=1e-5),
      "| position 3 equal:", torch.allclose(logits[0, 3], logits2[0, 3], atol=1e-5))

print("\n3) the key-padding mask: whatever sits in padded source slots is ignored")
src2 = src.clone()
src2[0, 4:] = 13                                             # garbage tokens in the padded slots
with torch.no_grad():
    logits3 = model(src2, tgt, src_pad=(src == PAD))         # same padding mask as before
    logits4 = model(src2, tgt, src_pad=torch.zeros_like(src2, dtype=torch.bool))  # no mask
print("   with the padding mask, output unchanged:", torch.allclose(logits3[0], logits[0], atol=1e-5))
print("   without it, output changes:           ", not torch.allclose(logits4[0], logits[0], atol=1e-5))

print("\n4) bool masks mean opposite things in two APIs")
q = k = v = torch.randn(1, 1, 4, 8, device=device)
block = torch.triu(torch.ones(4, 4, dtype=torch.bool, device=device), diagonal=1)  # True = blocked
ref = F.scaled_dot_product_attention(q, k, v, is_causal=True)
print("   SDPA with ~block (True = may attend) == causal:",
      torch.allclose(F.scaled_dot_product_attention(q, k, v, attn_mask=~block), ref, atol=1e-6))
print("   SDPA with  block (MHA convention)    == causal:",
      torch.allclose(F.scaled_dot_product_attention(q, k, v, attn_mask=block), ref, atol=1e-6))

print("\n5) decoder-only LM = encoder layers + causal mask")
layer = nn.TransformerEncoderLayer(32, 4, dim_feedforward=64, batch_first=True, norm_first=True)
lm = nn.TransformerEncoder(layer, num_layers=2, enable_nested_tensor=False).to(device).eval()
x = torch.randn(1, 5, 32, device=device)
mask = nn.Transformer.generate_square_subsequent_mask(5, device=device)
with torch.no_grad():
    y1 = lm(x, mask=mask, is_causal=True)
    x[0, 4] += 1.0                                           # change the last token only
    y2 = lm(x, mask=mask, is_causal=True)
print("   earlier positions unaffected by the last token:", torch.allclose(y1[0, :4], y2[0, :4], atol=1e-5))
