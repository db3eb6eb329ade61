# framework: pytorch
"""What default_collate does, and three custom collate_fns: padding, detection targets, dropping bad samples."""
import functools
import pickle

import torch
from torch.nn.utils.rnn import pad_sequence
from torch.utils.data import DataLoader, default_collate

device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
print(f"device: {device.type}")

# 1. default_collate stacks tensors, turns numbers into tensors, recurses into dicts/tuples.
samples = [{"img": torch.ones(2, 2), "label": 1}, {"img": torch.zeros(2, 2), "label": 0}]
batch = default_collate(samples)
print("default_collate:", {k: (tuple(v.shape), v.dtype) for k, v in batch.items()})
try:
    default_collate([torch.ones(3), torch.ones(5)])
except RuntimeError as err:
    print("variable length ->", err)

# 2. Variable-length sequences: pad, and return lengths plus a mask.
def pad_collate(batch, pad_value=0):
    seqs, labels = zip(*batch)
    lengths = torch.tensor([len(s) for s in seqs])
    padded = pad_sequence(seqs, batch_first=True, padding_value=pad_value)
    mask = torch.arange(padded.size(1))[None, :] < lengths[:, None]
    return padded, lengths, mask, torch.tensor(labels)

seq_data = [(torch.tensor([5, 6, 7]), 0), (torch.tensor([8]), 1), (torch.tensor([9, 10]), 1)]
padded, lengths, mask, labels = next(iter(DataLoader(seq_data, batch_size=3, collate_fn=pad_collate)))
print("padded:\n", padded, "\nlengths:", lengths.tolist(), "| mask row 1:", mask[1].int().tolist())
padded = padded.to(device)  # move after collation, in the training loop

# 3. Detection: images stack, but each image has its own number of boxes -> keep a list.
def detection_collate(batch):
    images, targets = zip(*batch)
    return torch.stack(images), list(targets)

det_data = [(torch.rand(3, 8, 8), torch.rand(n, 4)) for n in (2, 0, 5)]
images, targets = next(iter(DataLoader(det_data, batch_size=3, collate_fn=detection_collate)))
print("images:", tuple(images.shape), "| boxes per image:", [len(t) for t in targets])

# 4. Drop samples the Dataset marked as broken (returned None).
def skip_none_collate(batch):
    return default_collate([s for s in batch if s is not None])

raw = [torch.tensor([1.0]), None, torch.tensor([3.0])]
print("without None:", next(iter(DataLoader(raw, batch_size=3, collate_fn=skip_none_collate))).flatten().tolist())

# 5. Under spawn/forkserver the collate_fn is pickled: top-level functions and partials work, lambdas do not.
for name, fn in [("partial", functools.partial(pad_collate, pad_value=-1)), ("lambda", lambda b: b)]:
    try:
        pickle.dumps(fn)
        print(name, "-> picklable")
    except (pickle.PicklingError, AttributeError) as err:
        print(name, "-> NOT picklable:", type(err).__name__)
