# framework: pytorch
"""view() always aliases, reshape() may or may not, resize_() changes the tensor in place."""
import torch

device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
print(f"device: {device.type}")


def shares(a, b):
    return a.untyped_storage().data_ptr() == b.untyped_storage().data_ptr()


x = torch.arange(6.0, device=device)

print("-- view(): a new shape over the same storage --")
v = x.view(2, 3)
v[0, 0] = 100.0
print("wrote v[0,0]=100 -> x[0] =", x[0].item(), "| shares storage:", shares(v, x))
x[0] = 0.0
t = v.t()
try:
    t.view(6)
except RuntimeError as err:
    print("t.view(6) on a transposed view ->", str(err)[:60], "...")

print("-- reshape(): a view when possible, otherwise a copy --")
r1 = v.reshape(3, 2)
r2 = t.reshape(6)
print("reshape of contiguous v shares:", shares(r1, x), "| reshape of transposed t shares:", shares(r2, x))
r2[0] = -1.0
print("after writing r2[0] = -1, x[0] is still", x[0].item(), "(r2 was a copy)")

print("-- clone() for independent data --")
c = x.view(2, 3).clone()
c[0, 0] = 42.0
print("clone changed, x[0] still", x[0].item(), "| shares:", shares(c, x))

print("-- -1, flatten, unflatten --")
b = torch.arange(24, device=device).reshape(2, 3, 4)
print("view(2, -1):", tuple(b.view(2, -1).shape), "| flatten(1):", tuple(b.flatten(1).shape),
      "| unflatten(2, (2, 2)):", tuple(b.unflatten(2, (2, 2)).shape))
try:
    b.view(-1, -1)
except RuntimeError as err:
    print("view(-1, -1) ->", err)

print("-- resize_(): in place, no rearranging, new elements uninitialised --")
m = torch.arange(6.0, device=device).reshape(2, 3)
m.resize_(3, 2)
print("(2,3) resized to (3,2) keeps the flat order:", m.tolist())
s = torch.arange(6.0, device=device)
s.resize_(2, 2)
print("shrunk to (2,2):", s.tolist(), "| storage still holds", s.untyped_storage().nbytes(), "bytes")
s.resize_(3, 3)
print("grown to (3,3): first 6 values", s.flatten()[:6].tolist(), "+ 3 uninitialised values")
w = torch.ones(3, requires_grad=True)
try:
    w.resize_(4)
except RuntimeError as err:
    print("resize_ on a tensor that requires grad ->", err)
