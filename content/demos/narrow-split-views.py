# framework: pytorch
"""Which slicing ops return views (no copy) and which allocate, and why a small view can pin a big tensor."""
import torch

device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
print(f"device: {device.type}")

x = torch.arange(12.0, device=device).reshape(3, 4)
base_ptr = x.untyped_storage().data_ptr()


def shares(t):
    return t.untyped_storage().data_ptr() == base_ptr


ops = {
    "x[1:]": lambda: x[1:],
    "x[:, ::2]": lambda: x[:, ::2],
    "x.narrow(1, 1, 2)": lambda: x.narrow(1, 1, 2),
    "x.select(0, 1)": lambda: x.select(0, 1),
    "x.split(2, dim=1)[1]": lambda: x.split(2, dim=1)[1],
    "x.chunk(3, dim=0)[2]": lambda: x.chunk(3, dim=0)[2],
    "x.unbind(0)[0]": lambda: x.unbind(0)[0],
    "x.tensor_split([1], 1)[1]": lambda: x.tensor_split([1], dim=1)[1],
    "x[torch.tensor([0, 2])]": lambda: x[torch.tensor([0, 2], device=device)],
    "x[x > 5]": lambda: x[x > 5],
    "x.index_select(0, idx)": lambda: x.index_select(0, torch.tensor([1], device=device)),
    "x.masked_select(x > 5)": lambda: x.masked_select(x > 5),
    "torch.cat([x, x])": lambda: torch.cat([x, x]),
    "torch.stack([x, x])": lambda: torch.stack([x, x]),
}
print(f"{'operation':<28} view (shares storage)?")
for name, fn in ops.items():
    print(f"{name:<28} {shares(fn())}")

print("-- narrow vs split: both views, writes go through --")
n = x.narrow(1, 0, 1)
s = x.split(1, dim=1)[0]
n[0, 0] = -1.0
print("after n[0,0] = -1: x[0,0] =", x[0, 0].item(), "| split piece sees it:", s[0, 0].item())
print("storage_offset of x.narrow(1, 2, 2):", x.narrow(1, 2, 2).storage_offset())

print("-- checking aliasing --")
v = x[1:]
print("v._base is x:", v._base is x, "| x is itself a view of arange:", x._base is not None)
print("so compare storages instead:", v.untyped_storage().data_ptr() == x.untyped_storage().data_ptr())

print("-- a small view keeps the whole storage alive --")
big = torch.zeros(1_000_000, device=device)
small_view = big[:10]
small_copy = big[:10].clone()
del big
print("bytes kept by the view :", small_view.untyped_storage().nbytes())
print("bytes kept by the clone:", small_copy.untyped_storage().nbytes())
