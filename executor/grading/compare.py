"""Outside the sandbox: compare what the submission returned with what the reference returned.

Values arrive in the harness's tagged JSON form (tensors as dtype, shape and flat values). Every
mismatch is described for a person: a shape mismatch, a dtype mismatch, or the largest absolute
error and where it is.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class Tolerance:
    atol: float = 1e-5
    rtol: float = 1e-5


def _kind(dtype: str) -> str:
    if dtype == "bool":
        return "bool"
    if "int" in dtype:
        return "int"
    if "complex" in dtype:
        return "complex"
    return "float"


def _index(flat: int, shape: list[int]) -> tuple[int, ...]:
    idx = []
    for size in reversed(shape):
        idx.append(flat % size if size else 0)
        flat = flat // size if size else 0
    return tuple(reversed(idx))


def _is_scalar_tensor(value: Any) -> bool:
    return isinstance(value, dict) and value.get("t") == "tensor" and value.get("shape") == []


def _describe(value: Any) -> str:
    if isinstance(value, dict):
        kind = value.get("t")
        if kind == "tensor":
            return f"a {value['dtype']} tensor of shape {tuple(value['shape'])}"
        if kind in ("tuple", "list"):
            return f"a {kind} of {len(value['v'])}"
        if kind == "other":
            return f"a {value.get('type', '?')}"
        return kind or "?"
    if value is None:
        return "None"
    return type(value).__name__


def compare(expected: Any, got: Any, tol: Tolerance, where: str = "output") -> str | None:
    """None when `got` matches `expected`; otherwise a one-line description of the first difference."""
    if _is_scalar_tensor(expected) and isinstance(got, int | float) and not isinstance(got, bool):
        got = {"t": "tensor", "dtype": expected["dtype"], "shape": [], "v": [got]}
    if _is_scalar_tensor(got) and isinstance(expected, int | float) and not isinstance(expected, bool):
        return _numbers(float(expected), float(got["v"][0]), tol, where)
    if isinstance(expected, dict) and expected.get("t") == "tensor":
        if not (isinstance(got, dict) and got.get("t") == "tensor"):
            return f"{where}: expected {_describe(expected)}, got {_describe(got)}"
        return _tensors(expected, got, tol, where)
    if isinstance(expected, dict) and expected.get("t") in ("tuple", "list"):
        if not (isinstance(got, dict) and got.get("t") in ("tuple", "list")):
            return f"{where}: expected {_describe(expected)}, got {_describe(got)}"
        if len(expected["v"]) != len(got["v"]):
            return f"{where}: expected {len(expected['v'])} items, got {len(got['v'])}"
        for i, (e, g) in enumerate(zip(expected["v"], got["v"], strict=True)):
            problem = compare(e, g, tol, f"{where}[{i}]")
            if problem:
                return problem
        return None
    if isinstance(expected, bool) or expected is None or isinstance(expected, str):
        return (
            None
            if got == expected and type(got) is type(expected)
            else f"{where}: expected {expected!r}, got {_short(got)}"
        )
    if isinstance(expected, int | float):
        if isinstance(got, bool) or not isinstance(got, int | float):
            return f"{where}: expected a number, got {_describe(got)}"
        return _numbers(float(expected), float(got), tol, where)
    return None if got == expected else f"{where}: expected {_describe(expected)}, got {_describe(got)}"


def _short(value: Any) -> str:
    return _describe(value) if isinstance(value, dict) else repr(value)[:60]


def _numbers(expected: float, got: float, tol: Tolerance, where: str) -> str | None:
    if _close(expected, got, tol):
        return None
    return f"{where}: expected {expected:.6g}, got {got:.6g} (abs error {abs(expected - got):.3g})"


def _close(e: float, g: float, tol: Tolerance) -> bool:
    if math.isnan(e) or math.isnan(g):
        return math.isnan(e) and math.isnan(g)
    if math.isinf(e) or math.isinf(g):
        return e == g
    return abs(e - g) <= tol.atol + tol.rtol * abs(e)


def _tensors(expected: dict, got: dict, tol: Tolerance, where: str) -> str | None:
    if list(got.get("shape", [])) != list(expected["shape"]):
        return (
            f"{where}: shape mismatch: expected {tuple(expected['shape'])}, got {tuple(got.get('shape', []))}"
        )
    ek, gk = _kind(expected["dtype"]), _kind(str(got.get("dtype")))
    if ek != gk or (ek == "float" and expected["dtype"] != got["dtype"]):
        return f"{where}: dtype mismatch: expected {expected['dtype']}, got {got.get('dtype')}"
    ev, gv = expected["v"], got.get("v")
    if not isinstance(gv, list) or len(gv) != len(ev):
        return f"{where}: garbled values"
    shape = expected["shape"]
    if ek in ("bool", "int"):
        wrong = [i for i, (e, g) in enumerate(zip(ev, gv, strict=True)) if e != g]
        if wrong:
            i = wrong[0]
            return f"{where}: {len(wrong)} of {len(ev)} values differ; first at index {_index(i, shape)}: expected {ev[i]}, got {gv[i]}"
        return None
    worst, worst_i, bad = 0.0, -1, 0
    for i, (e, g) in enumerate(zip(ev, gv, strict=True)):
        if not isinstance(g, int | float):
            return f"{where}: garbled values"
        if _close(float(e), float(g), tol):
            continue
        bad += 1
        err = math.inf if (math.isnan(g) or math.isinf(g) or math.isnan(e) or math.isinf(e)) else abs(e - g)
        if worst_i < 0 or err > worst:
            worst, worst_i = err, i
    if not bad:
        return None
    e, g = ev[worst_i], gv[worst_i]
    return (
        f"{where}: {bad} of {len(ev)} values off; max abs error {worst:.3g} at index {_index(worst_i, shape)} "
        f"(expected {e:.6g}, got {g:.6g}; allowed {tol.atol:g} + {tol.rtol:g}·|expected|)"
    )
