# framework: pytorch
"""torch.Tensor (legacy constructor) versus torch.tensor and the factory functions."""
import numpy as np
import torch

device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
print(f"device: {device.type}")

print("-- dtype inference --")
print("torch.tensor([1, 2])     ->", torch.tensor([1, 2]).dtype, "(ints stay ints)")
print("torch.Tensor([1, 2])     ->", torch.Tensor([1, 2]).dtype, "(the default float dtype for non-tensor data)")
print("torch.tensor(float64 ndarray) ->", torch.tensor(np.ones(2)).dtype)
print("torch.Tensor(float64 ndarray) ->", torch.Tensor(np.ones(2)).dtype)

print("-- ints are read as a shape by torch.Tensor --")
print("torch.Tensor(2, 3).shape ->", tuple(torch.Tensor(2, 3).shape), "(uninitialised memory!)")
print("torch.tensor(3)          ->", torch.tensor(3), "shape", tuple(torch.tensor(3).shape))
print("torch.Tensor(3)          -> shape", tuple(torch.Tensor(3).shape), "(3 garbage floats)")

print("-- torch.Tensor follows the default dtype; FloatTensor does not --")
old = torch.get_default_dtype()
torch.set_default_dtype(torch.float64)
print("after set_default_dtype(float64): torch.Tensor ->", torch.Tensor([1]).dtype,
      "| torch.FloatTensor ->", torch.FloatTensor([1]).dtype)
torch.set_default_dtype(old)

print("-- copies and sharing --")
src = np.zeros(3, dtype=np.float32)
copied, shared_as, shared_from = torch.tensor(src), torch.as_tensor(src), torch.from_numpy(src)
src[0] = 1.0
print("torch.tensor:", copied[0].item(), "| as_tensor:", shared_as[0].item(), "| from_numpy:", shared_from[0].item())

print("-- preferred factories with dtype= and device= --")
z = torch.zeros(2, 3, dtype=torch.float16, device=device)
r = torch.rand(2, 3, generator=torch.Generator().manual_seed(0)).to(device)
print("zeros:", z.dtype, z.device.type, "| rand:", r.dtype, "| zeros_like keeps dtype:", torch.zeros_like(z).dtype)
print("full((2,), 7) ->", torch.full((2,), 7).dtype, "| arange(3) ->", torch.arange(3).dtype,
      "| arange(3.0) ->", torch.arange(3.0).dtype)
