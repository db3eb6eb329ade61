# framework: pytorch
"""cat joins along an existing dim, stack adds one, chunk/split cut, pad_sequence evens out lengths."""
import time

import torch
from torch.nn.utils.rnn import pad_sequence

device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
print(f"device: {device.type}")

a = torch.ones(2, 3, device=device)
b = torch.zeros(2, 3, device=device)
print("-- cat vs stack --")
print("cat dim=0:", tuple(torch.cat([a, b]).shape), "| cat dim=1:", tuple(torch.cat([a, b], dim=1).shape))
print("stack dim=0:", tuple(torch.stack([a, b]).shape), "| stack dim=2:", tuple(torch.stack([a, b], dim=2).shape))
print("cat with a (1,3) row works:", tuple(torch.cat([a, torch.ones(1, 3, device=device)]).shape))
for name, fn in (("cat", lambda: torch.cat([a, torch.ones(2, 4, device=device)])),
                 ("stack", lambda: torch.stack([a, torch.ones(1, 3, device=device)]))):
    try:
        fn()
    except RuntimeError as err:
        print(f"{name} mismatch ->", err)

print("-- chunk / split: views, not copies --")
x = torch.arange(10, device=device)
print("chunk(3):", [t.tolist() for t in x.chunk(3)])
print("split(4):", [t.tolist() for t in x.split(4)], "| split([2, 8]):", [len(t) for t in x.split([2, 8])])
print("pieces share x's storage:", all(t.untyped_storage().data_ptr() == x.untyped_storage().data_ptr()
                                       for t in x.split(4)))

print("-- pad_sequence --")
seqs = [torch.tensor([1, 2, 3, 4]), torch.tensor([5, 6]), torch.tensor([7])]
print("default (batch_first=False) shape:", tuple(pad_sequence(seqs).shape), "= (max_len, batch)")
print("batch_first=True, padding_value=-1:\n", pad_sequence(seqs, batch_first=True, padding_value=-1))
print("padding_side='left':", pad_sequence(seqs, batch_first=True, padding_side="left").tolist())

print("-- cat in a loop is quadratic; collect then cat once --")
row = torch.ones(1, 64, device=device)
for n in (500, 1000, 2000):
    start = time.perf_counter()
    out = torch.empty(0, 64, device=device)
    for _ in range(n):
        out = torch.cat([out, row])  # copies everything so far, every time
    loop = time.perf_counter() - start
    start = time.perf_counter()
    parts = [row for _ in range(n)]
    once = torch.cat(parts)
    single = time.perf_counter() - start
    print(f"n={n:5d}: cat in loop {loop * 1e3:7.1f} ms | list + one cat {single * 1e3:5.2f} ms | same: {torch.equal(out, once)}")
