# framework: pytorch
"""A bidirectional LSTM on variable-length sequences: pad, pack, unpack, and pick the right summary."""
import torch
from torch import nn
from torch.nn.utils.rnn import pad_sequence, pack_padded_sequence, pad_packed_sequence

device = "cuda" if torch.cuda.is_available() else "cpu"
print(f"device: {device}")
torch.manual_seed(0)

E, H, LAYERS = 4, 6, 2
seqs = [torch.randn(n, E, device=device) for n in (3, 5, 2)]   # three sentences, unsorted lengths OK
lengths = torch.tensor([len(s) for s in seqs])                  # stays on the CPU
lstm = nn.LSTM(E, H, num_layers=LAYERS, bidirectional=True, batch_first=True).to(device)
lstm.eval()

print("\n1) pad to a rectangle, then pack so the LSTM skips the padding")
padded = pad_sequence(seqs, batch_first=True)                   # (B, T_max, E), zeros appended
print("   padded:", tuple(padded.shape), "| lengths:", lengths.tolist())
packed = pack_padded_sequence(padded, lengths, batch_first=True, enforce_sorted=False)
with torch.no_grad():
    packed_out, (h_n, c_n) = lstm(packed)
out, out_lens = pad_packed_sequence(packed_out, batch_first=True)
print("   output:", tuple(out.shape), "= (B, T_max, 2*hidden)")
print("   h_n:   ", tuple(h_n.shape), "= (num_layers*2, B, hidden)")

print("\n2) h_n of the last layer: forward = h_n[-2], backward = h_n[-1]")
i, n = 0, lengths[0].item()                                     # the length-3 sequence
print("   forward  h_n[-2] == out[i, len-1, :H]:", torch.allclose(h_n[-2, i], out[i, n - 1, :H]))
print("   backward h_n[-1] == out[i, 0, H:]:    ", torch.allclose(h_n[-1, i], out[i, 0, H:]))
summary = torch.cat([h_n[-2], h_n[-1]], dim=1)                  # (B, 2H) sentence vector
print("   sentence vectors:", tuple(summary.shape))
print("   careful: after unpacking, out[i, -1] is padding =", out[i, -1].abs().sum().item())

print("\n3) compare with running each sequence alone (the ground truth)")
with torch.no_grad():
    out_unpacked, _ = lstm(padded)                                # no packing at all
    for idx in (0, 2):
        _, (h_alone, _) = lstm(seqs[idx].unsqueeze(0))
        truth = torch.cat([h_alone[-2, 0], h_alone[-1, 0]])
        with_pack = summary[idx]
        naive = out_unpacked[idx, -1]                             # output[:, -1] on padded data
        print(f"   seq {idx} (len {lengths[idx].item()}): packed h_n matches = "
              f"{torch.allclose(with_pack, truth, atol=1e-6)} | unpacked output[:, -1] matches = "
              f"{torch.allclose(naive, truth, atol=1e-6)}")

print("\n4) mask padded positions in pooling and losses")
mask = torch.arange(out.size(1))[None, :] < lengths[:, None]      # (B, T_max) True = real token
mask = mask.to(device)
mean_pool = (out * mask.unsqueeze(-1)).sum(1) / lengths.to(device).unsqueeze(1)
print("   mask:", mask.int().tolist())
print("   masked mean-pool:", tuple(mean_pool.shape))
