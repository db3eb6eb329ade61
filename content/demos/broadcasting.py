# framework: pytorch
"""Broadcasting rules, why they cost no memory, and the (N,1) vs (N,) bug that silently ruins a loss."""
import warnings

import torch

device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
print(f"device: {device.type}")

print("-- the rule: align from the right; sizes must be equal or 1; missing dims count as 1 --")
for a, b in (((5, 1, 4), (3, 1)), ((8, 3), (3,)), ((2, 1), (1, 6)), ((3,), (4,))):
    try:
        print(f"{str(a):>10} with {str(b):<7} -> {tuple(torch.broadcast_shapes(a, b))}")
    except RuntimeError:
        print(f"{str(a):>10} with {str(b):<7} -> error: 3 vs 4 in the last dim, neither is 1")

print("-- broadcasting is a stride-0 view, like expand(): no copy --")
col = torch.arange(3.0, device=device).view(3, 1)
bc, _ = torch.broadcast_tensors(col, torch.zeros(4, device=device))
print("expanded shape", tuple(bc.shape), "stride", bc.stride(),
      "| same memory:", bc.data_ptr() == col.data_ptr())

print("-- the silent bug: (N,1) prediction minus (N,) target --")
torch.manual_seed(0)
n = 4
target = torch.randn(n, device=device)
pred = (target + 0.1).unsqueeze(1)  # a model head with out_features=1 returns (N, 1)
print("pred", tuple(pred.shape), "- target", tuple(target.shape), "=", tuple((pred - target).shape), "<- (N, N)!")
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    wrong = torch.nn.functional.mse_loss(pred, target)
print("MSELoss warned:", any("target size" in str(w.message) for w in caught))
right = torch.nn.functional.mse_loss(pred.squeeze(1), target)
print(f"loss with broadcasting {wrong.item():.3f} vs correct {right.item():.3f} (should be 0.010)")

print("-- keepdim=True keeps reductions broadcastable --")
x = torch.randn(4, 3, device=device)
try:
    x - x.mean(dim=1)
except RuntimeError as err:
    print("x - x.mean(1) ->", err)
centered = x - x.mean(dim=1, keepdim=True)
print("with keepdim: row means now ~0:", torch.allclose(centered.mean(1), torch.zeros(4, device=device), atol=1e-6))

print("-- in-place ops cannot grow the destination --")
y = torch.ones(3, device=device)
try:
    y.add_(torch.ones(2, 3, device=device))
except RuntimeError as err:
    print("y(3,).add_((2,3)) ->", err)
z = torch.ones(2, 3, device=device)
z.add_(torch.ones(3, device=device))
print("z(2,3).add_((3,)) is fine:", tuple(z.shape))
