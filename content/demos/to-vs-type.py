# framework: pytorch
"""tensor.to() vs tensor.type(): same cast, different API. Timing shows the method is not what costs."""
import time

import torch

device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
print(f"device: {device.type}")

x = torch.randn(500, 500, device=device)
print("-- what each returns --")
print("x.type()                ->", repr(x.type()), "(a legacy type string, not a dtype)")
print("x.dtype                 ->", x.dtype)
print("x.to(torch.float64)     ->", x.to(torch.float64).dtype)
print("x.type(torch.float64)   ->", x.type(torch.float64).dtype)
print("x.double() / x.half() / x.long() ->", x.double().dtype, x.half().dtype, x.long().dtype)
print("x.to(other_tensor) copies dtype and device:", x.to(torch.zeros(1, dtype=torch.bfloat16)).dtype)

print("-- no change needed: the same tensor comes back --")
print("x.to(torch.float32) is x:", x.to(torch.float32) is x, "| x.type(torch.float32) is x:",
      x.type(torch.float32) is x, "| x.float() is x:", x.float() is x)
print("x.to(torch.float32, copy=True) is x:", x.to(torch.float32, copy=True) is x)

print("-- only .to() also takes device, non_blocking, memory_format --")
img = torch.randn(2, 3, 8, 8)
moved = img.to(device, torch.float16, non_blocking=True, memory_format=torch.channels_last)
print("one call:", moved.device.type, moved.dtype, "channels_last:",
      moved.is_contiguous(memory_format=torch.channels_last))


def timed(fn):
    if device.type == "cuda":
        torch.cuda.synchronize()
    start = time.perf_counter()
    fn()
    if device.type == "cuda":
        torch.cuda.synchronize()
    return time.perf_counter() - start


print("-- cost: the cast itself (250k float32 -> float64), whichever spelling --")
spellings = {"to(float64)": lambda: x.to(torch.float64), "type(float64)": lambda: x.type(torch.float64),
             "double()": lambda: x.double()}
best = {name: float("inf") for name in spellings}
for _ in range(30):  # interleave the spellings; keep the best time (least disturbed by other work)
    for name, fn in spellings.items():
        best[name] = min(best[name], timed(fn))
for name, secs in best.items():
    print(f"{name:<14} {secs * 1e3:6.3f} ms")
noop = min(timed(lambda: x.to(torch.float32)) for _ in range(30))
print(f"no-op x.to(float32): {noop * 1e6:.1f} us (returns x, no copy)")

print("-- modules: model.to() converts parameters and buffers in place --")
model = torch.nn.Linear(4, 2)
weight_before = model.weight
returned = model.to(torch.float64)
print("returns the same module:", returned is model, "| same Parameter object:", model.weight is weight_before,
      "| dtype:", model.weight.dtype)
try:
    model.to(torch.int64)
except TypeError as err:
    print("model.to(int64) ->", err)
