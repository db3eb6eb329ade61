# framework: pytorch
"""The tensor attributes worth checking first: what a tensor is, where it lives, how it is laid out."""
import torch

device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
print(f"device: {device.type}")

x = torch.arange(12, dtype=torch.float32, device=device).reshape(3, 4)
print("-- what and where --")
print(f"shape={tuple(x.shape)} size(1)={x.size(1)} dtype={x.dtype} device={x.device} layout={x.layout}")
print(f"ndim={x.ndim} numel={x.numel()} element_size={x.element_size()} bytes -> {x.numel() * x.element_size()} bytes")
print("sparse layout:", x.to_sparse().layout)

print("-- memory layout --")
t = x.t()
print(f"x:   stride={x.stride()} contiguous={x.is_contiguous()}")
print(f"x.t(): stride={t.stride()} contiguous={t.is_contiguous()} (same storage, new strides)")
print(f"x[1:]: storage_offset={x[1:].storage_offset()} (starts 4 elements into the storage)")

print("-- autograd state --")
w = torch.ones(3, device=device, requires_grad=True)
y = (w * 2).sum()
print(f"w: requires_grad={w.requires_grad} is_leaf={w.is_leaf} grad_fn={w.grad_fn}")
print(f"y: requires_grad={y.requires_grad} is_leaf={y.is_leaf} grad_fn={type(y.grad_fn).__name__}")
y.backward()
print("w.grad after backward:", w.grad.tolist())

print("-- dtype promotion and device rules --")
i = torch.ones(2, dtype=torch.int64, device=device)
print("int64 + float32 ->", (i + torch.ones(2, device=device)).dtype)
print("float16 + python float ->", (torch.ones(2, dtype=torch.float16) + 1.5).dtype)
try:
    i += 0.5  # in-place cannot change the dtype
except RuntimeError as err:
    print("int64 += 0.5 ->", err)
if device.type == "cuda":
    try:
        torch.ones(2, device=device) + torch.ones(2)  # GPU tensor + 1-D CPU tensor
    except RuntimeError as err:
        print("mixed devices ->", err)
else:
    print("mixed devices -> on a GPU machine: 'Expected all tensors to be on the same device ...' (CPU only here)")
print("0-dim CPU tensors are the exception:", (torch.ones(2, device=device) + torch.tensor(1.0)).device.type)

print("-- .item() --")
s = x.sum()
print("x.sum().item() =", s.item(), type(s.item()).__name__, "(on a GPU this waits for the kernel: a sync)")
