# framework: pytorch
"""Profile a few steady-state training steps and let the table point at the bottleneck.

The loop has a deliberately slow, Python-heavy "data" stage and a model; record_function labels
both, a schedule skips warm-up steps, and a trace file is written for chrome://tracing or Perfetto.
"""
import random

import torch
from torch import nn
from torch.profiler import ProfilerActivity, profile, record_function, schedule

device = "cuda" if torch.cuda.is_available() else "cpu"
print(f"device: {device}")
torch.manual_seed(0)
torch.set_num_threads(1)  # steadier CPU numbers on a small shared machine

activities = [ProfilerActivity.CPU] + ([ProfilerActivity.CUDA] if device == "cuda" else [])
sort_key = "cuda_time_total" if device == "cuda" else "self_cpu_time_total"

model = nn.Sequential(nn.Linear(256, 512), nn.ReLU(), nn.Linear(512, 10)).to(device)
opt = torch.optim.SGD(model.parameters(), lr=0.01)


rng = random.Random(0)


def slow_batch():
    # per-element Python work: the kind of data code that starves an accelerator
    rows = [[rng.gauss(0.0, 1.0) for _ in range(256)] for _ in range(128)]
    return torch.tensor(rows, device=device), torch.randint(0, 10, (128,), device=device)


traces = []


def on_ready(prof):
    path = f"profiler_trace_step{prof.step_num}.json"  # in the working dir: large, not a chat artefact
    prof.export_chrome_trace(path)
    traces.append(path)


with profile(activities=activities,
             schedule=schedule(wait=1, warmup=1, active=3, repeat=1),
             on_trace_ready=on_ready, record_shapes=True, profile_memory=True) as prof:
    for step in range(6):
        with record_function("data"):
            x, y = slow_batch()
        with record_function("forward+loss"):
            loss = nn.functional.cross_entropy(model(x), y)
        with record_function("backward"):
            opt.zero_grad(set_to_none=True)
            loss.backward()
        with record_function("optimizer"):
            opt.step()
        prof.step()  # tell the schedule that one iteration finished

events = prof.key_averages()
print(events.table(sort_by=sort_key, row_limit=8, max_name_column_width=28))

labels = {e.key: e.cpu_time_total for e in events if e.key in ("data", "forward+loss", "backward", "optimizer")}
total = sum(labels.values())
print("share of labelled CPU time over the 3 active steps:")
for name, t in sorted(labels.items(), key=lambda kv: -kv[1]):
    print(f"  {name:14} {100 * t / total:5.1f}%")
worst = max(labels, key=labels.get)
print(f"bottleneck: '{worst}'" + (" -> vectorise it / use DataLoader workers" if worst == "data" else ""))
print("trace for chrome://tracing or ui.perfetto.dev (when run locally):", traces[0] if traces else "none")
