# framework: pytorch
"""Contiguity: strides, which ops break it, what .contiguous() copies, and channels_last."""
import torch

device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
print(f"device: {device.type}")


def describe(name, t):
    print(f"{name:<22} shape={str(tuple(t.shape)):<13} stride={str(t.stride()):<14} contiguous={t.is_contiguous()}")


x = torch.arange(24, device=device).reshape(2, 3, 4)
describe("x", x)
print("  row-major rule: stride[i] = product of sizes after i ->", (3 * 4, 4, 1))
describe("x.transpose(0, 2)", x.transpose(0, 2))
describe("x.permute(2, 0, 1)", x.permute(2, 0, 1))
describe("x[:, :, ::2]", x[:, :, ::2])
describe("x[:, 1]", x[:, 1])
describe("x[1]", x[1])
describe("ones(3,1).expand(3,4)", torch.ones(3, 1, device=device).expand(3, 4))

print("-- .contiguous() --")
print("already contiguous -> same object:", x.contiguous() is x)
t = x.transpose(1, 2)
c = t.contiguous()
print("non-contiguous -> new memory:", c.data_ptr() != t.data_ptr(), "| stride now", c.stride())

print("-- why it matters for view() --")
try:
    t.view(2, 12)
except RuntimeError as err:
    print("t.view(2, 12) ->", str(err)[:70], "...")
print("t.contiguous().view(2, 12) ok:", tuple(t.contiguous().view(2, 12).shape))
r = t.reshape(2, 12)
print("t.reshape(2, 12) copied instead:", r.data_ptr() != t.data_ptr())

print("-- channels_last is a different memory format, same shape --")
img = torch.randn(8, 3, 16, 16, device=device)
cl = img.to(memory_format=torch.channels_last)
print("NCHW strides:", img.stride(), "| channels_last strides:", cl.stride(), "| shape unchanged:", cl.shape == img.shape)
print("is_contiguous():", cl.is_contiguous(),
      "| is_contiguous(memory_format=torch.channels_last):", cl.is_contiguous(memory_format=torch.channels_last))
conv = torch.nn.Conv2d(3, 4, 3).to(device).to(memory_format=torch.channels_last)
print("conv output keeps channels_last:", conv(cl).is_contiguous(memory_format=torch.channels_last))
