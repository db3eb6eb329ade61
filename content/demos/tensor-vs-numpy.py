# framework: pytorch
"""Tensor vs NumPy array: what they share, what tensors add, and when memory is shared."""
import numpy as np
import torch

device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
print(f"device: {device.type}")

# 1. Same idea: a strided n-d array with a dtype and a shape.
a = np.arange(6, dtype=np.float32).reshape(2, 3)
t = torch.arange(6, dtype=torch.float32).reshape(2, 3)
print("numpy strides (bytes):", a.strides, "| torch strides (elements):", t.stride())
print("same broadcasting:", np.array_equal(a + a[0], (t + t[0]).numpy()))

# 2. Default float dtypes differ.
print("np.array([1.0]).dtype =", np.array([1.0]).dtype, "| torch.tensor([1.0]).dtype =", torch.tensor([1.0]).dtype)
print("from_numpy keeps float64:", torch.from_numpy(np.array([1.0])).dtype)

# 3. Memory sharing: from_numpy / .numpy() share, torch.tensor copies.
src = np.zeros(3)
shared, copied = torch.from_numpy(src), torch.tensor(src)
src[0] = 7.0
print("after src[0] = 7 -> from_numpy:", shared.tolist(), "| torch.tensor:", copied.tolist())
view = shared.numpy()
view[1] = 5.0
print("writing through .numpy() changes the tensor too:", shared.tolist())

# 4. What tensors add: autograd and devices.
w = torch.tensor([1.0, 2.0], requires_grad=True)
loss = (w ** 2).sum()
loss.backward()
print("autograd: grad_fn =", type(loss.grad_fn).__name__, "| w.grad =", w.grad.tolist())
try:
    w.numpy()
except RuntimeError as err:
    print("w.numpy() ->", str(err).split(".")[0])
print("w.detach().numpy() ->", w.detach().numpy())
g = w.detach().to(device)
print("device tensor back to numpy needs .cpu():", g.cpu().numpy(), "(tensor was on", g.device.type + ")")
