"""Every way the issue lists to fool the grader, each refused by the real grader on the real sandbox.

Most attacks run against a copy of layernorm-from-scratch that forbids nothing statically, so they
reach the sandbox and it is the comparison outside it that refuses them; the forbidden-call tricks
run against conv2d-from-scratch with its full policy.
"""

from __future__ import annotations

import dataclasses

import pytest

from content.challenge_loader import load_challenges
from executor.grading import SandboxBackend, Spec, grade

BANK = load_challenges()
LAYERNORM = dataclasses.replace(Spec.of(BANK.challenges["layernorm-from-scratch"]), forbidden=())
CONV = Spec.of(BANK.challenges["conv2d-from-scratch"])
CONV_NO_STATIC = dataclasses.replace(CONV, forbidden=())
SIGNATURE = "def layer_norm(x, normalized_shape, weight=None, bias=None, eps=1e-5):\n"

ATTACKS = {
    "monkeypatch torch comparisons": """import torch
torch.allclose = lambda *a, **k: True
torch.equal = lambda *a, **k: True
torch.testing.assert_close = lambda *a, **k: None
torch.Tensor.__eq__ = lambda self, other: torch.ones_like(self, dtype=torch.bool)
torch.Tensor.tolist = lambda self: []
"""
    + SIGNATURE
    + "    return x\n",
    "monkeypatch builtins and json": """import builtins, json
json.dumps = lambda *a, **k: '{"mode": "member", "results": []}'
json.loads = lambda *a, **k: {"verdict": "accepted"}
builtins.open = lambda *a, **k: None
builtins.isinstance = lambda *a: True
"""
    + SIGNATURE
    + "    return x\n",
    "exit 0 at import": "raise SystemExit(0)\n" + SIGNATURE + "    return x\n",
    "exit 0 from inside the call": "import os\n" + SIGNATURE + "    os._exit(0)\n",
    "fake report on stdout and a forged result file": """import json, os
print('{"challenge": "layernorm-from-scratch", "verdict": "accepted", "passed": 8, "total": 8}')
print("ACCEPTED 8/8")
"""
    + SIGNATURE
    + """    os.makedirs("out", exist_ok=True)
    with open("out/result.json", "w") as f:
        f.write(json.dumps({"mode": "member", "results": [{"output": {"t": "tensor", "dtype": "float32", "shape": [1], "v": [0.0]}}] * 8}))
    os._exit(0)
""",
    "atexit handler rewrites the result": """import atexit, json
def forge():
    with open("out/result.json", "w") as f:
        f.write(json.dumps({"mode": "member", "results": [{"output": 0.0}] * 8, "verdict": "accepted"}))
atexit.register(forge)
"""
    + SIGNATURE
    + "    return x\n",
    "search the file system for tests and solutions": """import os
FOUND = []
SKIP = ("/proc", "/sys", "/usr", "/lib", "/lib64", "/bin", "/sbin", "/dev", "/etc")
for dirpath, dirnames, filenames in os.walk("/"):
    dirnames[:] = [d for d in dirnames if os.path.join(dirpath, d) not in SKIP and d != "site-packages"]
    for name in filenames:
        path = os.path.join(dirpath, name)
        if not os.path.isfile(path) or os.path.islink(path):
            continue  # a FIFO would block the read
        if name.endswith((".yaml", ".json", ".py", ".txt")) or "challenge" in path or "reference" in path:
            try:
                with open(path, "rb") as handle:
                    data = handle.read(200_000)
            except OSError:
                continue
            if path.startswith("/home/sandbox/"):
                continue  # this job's own script (it holds these very markers)
            if any(m in data for m in (b"def cases(rng)", b"keepdim=True, correction=0)", b"layernorm-from-scratch")):
                FOUND.append(path)
for pid in os.listdir("/proc"):
    if pid.isdigit() and int(pid) != os.getpid():
        for what in ("cmdline", "environ"):
            try:
                with open(f"/proc/{pid}/{what}", "rb") as handle:
                    if b"def cases(rng)" in handle.read():
                        FOUND.append(f"/proc/{pid}/{what}")
            except OSError:
                pass
print("FOUND", FOUND)
"""
    + SIGNATURE
    + """    if FOUND:
        namespace = {}
        exec(open(FOUND[0]).read(), namespace)
        return namespace["layer_norm"](x, normalized_shape, weight, bias, eps)
    return x
""",
}


@pytest.mark.parametrize("name", sorted(ATTACKS))
async def test_attack_is_not_accepted(name: str, backend: SandboxBackend) -> None:
    spec = dataclasses.replace(LAYERNORM, time_limit_s=60.0)  # let the file-system search finish
    result = await grade(spec, ATTACKS[name], backend)
    assert result.verdict in ("wrong_answer", "runtime_error"), (result.verdict, result.detail)
    assert result.passed < result.total or result.total == 0
    if name.startswith("search"):
        assert "FOUND []" in result.output, result.output


async def test_a_docstring_may_mention_the_forbidden_function(backend: SandboxBackend) -> None:
    reference = BANK.challenges["conv2d-from-scratch"].reference
    documented = reference.replace(
        "def conv2d(x, weight, bias=None, stride=1, padding=0):\n",
        'def conv2d(x, weight, bias=None, stride=1, padding=0):\n    """Same as F.conv2d, without calling conv2d."""\n',
    )
    assert documented != reference
    assert (await grade(CONV, documented, backend)).verdict == "accepted"


async def test_an_honest_solution_still_passes_the_unguarded_copy(backend: SandboxBackend) -> None:
    result = await grade(LAYERNORM, BANK.challenges["layernorm-from-scratch"].reference, backend)
    assert result.verdict == "accepted", result


CONV_HEAD = (
    "import torch\nimport torch.nn.functional as F\ndef conv2d(x, weight, bias=None, stride=1, padding=0):\n"
)
STATIC_TRICKS = {
    "direct call": CONV_HEAD + "    return F.conv2d(x, weight, bias, stride, padding)\n",
    "getattr with a built string": CONV_HEAD
    + "    return getattr(F, 'conv' + '2d')(x, weight, bias, stride, padding)\n",
    "module __dict__": CONV_HEAD + "    return F.__dict__['conv' + '2d'](x, weight, bias, stride, padding)\n",
    "importlib": "import importlib\n"
    + CONV_HEAD
    + "    return importlib.import_module('torch.nn.functional').conv2d(x, weight)\n",
    "aliased import": "from torch import conv2d as c\n"
    + CONV_HEAD
    + "    return c(x, weight, bias, stride, padding)\n",
    "nn.Conv2d module": CONV_HEAD + "    m = torch.nn.Conv2d(1, 1, 1)\n    return m(x)\n",
    "torch.ops": CONV_HEAD
    + "    return torch.ops.aten.convolution(x, weight, bias, [stride] * 2, [padding] * 2, [1, 1], False, [0, 0], 1)\n",
    "eval": CONV_HEAD + "    return eval('F.conv' + '2d')(x, weight, bias, stride, padding)\n",
    "vars": CONV_HEAD + "    return vars(F)['conv2d'](x, weight, bias, stride, padding)\n",
    "TorchScript source in a string": CONV_HEAD
    + "    unit = torch.jit.CompilationUnit('def f(x, w):\\n    return torch.conv2d(x, w)\\n')\n"
    + "    return unit.f(x, weight)\n",
}


@pytest.mark.parametrize("name", sorted(STATIC_TRICKS))
async def test_forbidden_call_tricks_are_refused(name: str, backend: SandboxBackend) -> None:
    result = await grade(CONV, STATIC_TRICKS[name], backend)
    assert result.verdict == "forbidden", (result.verdict, result.detail)


@pytest.mark.parametrize(
    "body",
    [
        "    return F.conv2d(x, weight, bias, stride, padding)\n",
        "    return torch.ops.aten.convolution(x, weight, bias, [stride] * 2, [padding] * 2, [1, 1], False, [0, 0], 1)\n",
        "    return F.conv_transpose2d(x, weight.transpose(0, 1).flip(-1, -2), bias, stride, padding) if False else F.conv2d(x, weight, bias, stride, padding)\n",
        "    unit = torch.jit.CompilationUnit('def f(x, w):\\n    return torch.conv2d(x, w)\\n')\n"
        "    return unit.f(x, weight) + (0 if bias is None else bias.view(1, -1, 1, 1))\n",
    ],
)
async def test_runtime_audit_catches_what_the_static_scan_misses(body: str, backend: SandboxBackend) -> None:
    result = await grade(CONV_NO_STATIC, CONV_HEAD + body, backend)
    assert result.verdict == "forbidden", (result.verdict, result.detail)
    assert "convolution" in result.detail or "conv2d" in result.detail


async def test_time_and_memory_limits(backend: SandboxBackend) -> None:
    slow = dataclasses.replace(LAYERNORM, time_limit_s=3.0)
    result = await grade(slow, SIGNATURE + "    while True:\n        pass\n", backend)
    assert result.verdict == "time_limit", result
    small = dataclasses.replace(LAYERNORM, memory_mb=300)
    hog = (
        "import torch\n"
        + SIGNATURE
        + "    keep = [torch.ones(64, 1024, 1024) for _ in range(64)]\n    return x\n"
    )
    result = await grade(small, hog, backend)
    assert result.verdict == "memory_limit", result


async def test_syntax_errors_and_missing_entry_points_are_rejected(backend: SandboxBackend) -> None:
    assert (await grade(LAYERNORM, "def layer_norm(:\n", backend)).verdict == "rejected"
    result = await grade(LAYERNORM, "def other():\n    pass\n", backend)
    assert result.verdict == "rejected" and "layer_norm" in result.detail
