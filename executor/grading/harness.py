# ruff: noqa: F821  (MODE, FRAMEWORK, ... are defined by the preamble the grader puts above this source)
"""The sandbox side of grading: this file's SOURCE is pasted into each grading job, never imported.

Two kinds of job use it. The trusted *reference* job (content's `tests` and `reference` only) makes
the cases from a seed, runs the reference on them and reports inputs and outputs. The *member* job
gets only those inputs (never the tests' source, the reference or its outputs), runs the
submission on them and reports what it returned. Both write one JSON object to out/result.json;
the grader outside the sandbox compares them. Nothing this file reports can make a wrong answer
pass: a submission that tampers with it can only spoil its own outputs.

The preamble defines MODE ("reference" | "member"), FRAMEWORK ("pytorch" | "tensorflow"), DEVICE, ENTRY,
SOURCE (the code to run), TESTS (reference job only), PAYLOAD (JSON text), FORBIDDEN_OPS, PERF.
"""

import json
import time
import traceback

_clock = time.perf_counter
_dumps = json.dumps
_loads = json.loads
_open = open
_format_exception = traceback.format_exception
_RESULT = "out/result.json"

if FRAMEWORK == "pytorch":
    import torch
    from torch.overrides import TorchFunctionMode
    from torch.utils._python_dispatch import TorchDispatchMode

    _torch_tensor = torch.tensor
    # `--device cuda` / a GPU worker: inputs go to the GPU when the job has one; results come back to CPU.
    _DEVICE = "cuda" if DEVICE == "cuda" and torch.cuda.is_available() else "cpu"
    _grad = torch.autograd.grad
    _gradcheck = torch.autograd.gradcheck
    _randn = torch.randn
    _Tensor = torch.Tensor

    class _FunctionAudit(TorchFunctionMode):
        """Records the name of every torch function the submission reaches (F.conv2d, x.softmax ...)."""

        def __init__(self, seen):
            super().__init__()
            self.seen = seen

        def __torch_function__(self, func, types, args=(), kwargs=None):
            self.seen.add(getattr(func, "__name__", str(func)))
            return func(*args, **(kwargs or {}))

    class _OpAudit(TorchDispatchMode):
        """Records every aten op (aten.convolution ...), however the submission reached it."""

        def __init__(self, seen):
            super().__init__()
            self.seen = seen

        def __torch_dispatch__(self, func, types, args=(), kwargs=None):
            self.seen.add(func.overloadpacket.__name__)
            return func(*args, **(kwargs or {}))

else:
    import numpy as np
    import tensorflow as tf

    _np_array = np.array
    _tf_constant = tf.constant
    _GradientTape = tf.GradientTape


def _is_tensor(value):
    if FRAMEWORK == "pytorch":
        return isinstance(value, _Tensor)
    return isinstance(value, tf.Tensor | tf.Variable | np.ndarray)


def _encode(value):
    """A JSON-safe tagged form; tensors become dtype, shape and flat values."""
    if value is None or isinstance(value, bool | str):
        return value
    if isinstance(value, int | float):
        return value
    if _is_tensor(value):
        if FRAMEWORK == "pytorch":
            data = value.detach().cpu()
            dtype = str(data.dtype).removeprefix("torch.")
            shape = list(data.shape)
            flat = data.reshape(-1).tolist()
        else:
            data = np.asarray(value)
            dtype = str(data.dtype)
            shape = list(data.shape)
            flat = data.reshape(-1).tolist()
        return {"t": "tensor", "dtype": dtype, "shape": shape, "v": flat}
    if isinstance(value, tuple | list):
        return {"t": "tuple" if isinstance(value, tuple) else "list", "v": [_encode(v) for v in value]}
    if isinstance(value, dict):
        return {"t": "dict", "v": {str(k): _encode(v) for k, v in value.items()}}
    if FRAMEWORK == "pytorch" and isinstance(value, torch.Size):
        return {"t": "tuple", "v": list(value)}
    return {"t": "other", "type": type(value).__name__}


def _decode(value):
    if not isinstance(value, dict):
        return value
    kind = value.get("t")
    if kind == "tensor":
        if FRAMEWORK == "pytorch":
            made = _torch_tensor(value["v"], dtype=getattr(torch, value["dtype"])).reshape(value["shape"])
            return made.to(_DEVICE) if _DEVICE != "cpu" else made
        return _tf_constant(_np_array(value["v"], dtype=value["dtype"]).reshape(value["shape"]))
    if kind in ("tuple", "list"):
        items = [_decode(v) for v in value["v"]]
        return tuple(items) if kind == "tuple" else items
    if kind == "dict":
        return {k: _decode(v) for k, v in value["v"].items()}
    return None


def _short_error(exc):
    """The exception with the submission's own frames only: no harness paths, no sandbox internals."""
    lines = _format_exception(type(exc), exc, exc.__traceback__)
    keep = [line for line in lines[1:-1] if "submission.py" in line]
    return ("".join(keep[-3:]) + lines[-1]).strip()[-1500:]


def _tensors_in(value):
    if _is_tensor(value):
        return [value]
    if isinstance(value, tuple | list):
        return [t for v in value for t in _tensors_in(v)]
    return []


def _run_case(fn, case, audit_names):
    """Call fn on the case's inputs; the outputs, gradients and forbidden ops seen, or the error."""
    args = _decode(case["args"])
    kwargs = _decode(case["kwargs"])
    grad_keys = case.get("grad") or []
    seen = set()
    result = {}
    try:
        inputs = [args[k] if isinstance(k, int) else kwargs[k] for k in grad_keys]
        if FRAMEWORK == "pytorch":
            for tensor in inputs:
                tensor.requires_grad_(True)
            start = _clock()
            with _FunctionAudit(seen), _OpAudit(seen):
                out = fn(*args, **kwargs)
            result["ms"] = (_clock() - start) * 1000
            result["output"] = _encode(out)
            if inputs:
                outs = [t for t in _tensors_in(out) if t.is_floating_point()]
                ups = _upstream(case, outs)
                if ups is not None:
                    # Outputs that do not depend on the inputs in the reference (running statistics,
                    # say) take no part, in either job: the reference decides which ones do.
                    if MODE == "reference":
                        case["grad_mask"] = [bool(o.requires_grad) for o in outs]
                    mask = case.get("grad_mask") or [True] * len(outs)
                    pairs = [(o, u) for o, u, m in zip(outs, ups, mask, strict=True) if m and o.requires_grad]
                    grads = [None] * len(inputs)
                    if pairs:
                        with _FunctionAudit(seen), _OpAudit(seen):
                            grads = _grad(
                                [o for o, _ in pairs], inputs, [u for _, u in pairs], allow_unused=True
                            )
                    result["grads"] = [_encode(g) for g in grads]
            if case.get("gradcheck"):
                fresh = [_decode(case["args"])[k] for k in grad_keys if isinstance(k, int)]
                for tensor in fresh:
                    tensor.requires_grad_(True)
                with _FunctionAudit(seen), _OpAudit(seen):
                    result["gradcheck"] = bool(_gradcheck(fn, tuple(fresh), raise_exception=False))
        else:
            start = _clock()
            with _GradientTape(persistent=True) as tape:
                for tensor in inputs:
                    tape.watch(tensor)
                out = fn(*args, **kwargs)
            result["ms"] = (_clock() - start) * 1000
            result["output"] = _encode(out)
            if inputs:
                outs = [t for t in _tensors_in(out) if t.dtype.is_floating]
                ups = _upstream(case, outs)
                if ups is not None:
                    grads = (
                        tape.gradient(outs, inputs, output_gradients=ups) if outs else [None] * len(inputs)
                    )
                    result["grads"] = [_encode(g) for g in grads]
    except Exception as exc:  # the submission's fault: reported per case
        result = {"error": _short_error(exc)}
    banned = sorted(seen & audit_names)
    if banned:
        result["forbidden"] = banned
    return result


def _upstream(case, outs):
    """The gradient flowing into each output: drawn by the reference job, replayed by the member's."""
    if MODE == "reference":
        made = []
        for i, out in enumerate(outs):
            if FRAMEWORK == "pytorch":
                gen = torch.Generator().manual_seed(1000 + i)
                made.append(_randn(out.shape, generator=gen, dtype=out.dtype).to(out.device))
            else:
                rng = np.random.default_rng(1000 + i)
                made.append(_tf_constant(rng.standard_normal(out.shape).astype(out.dtype.as_numpy_dtype)))
        case["upstream"] = _encode(made)
        return made
    ups = _decode(case.get("upstream") or {"t": "list", "v": []})
    if len(ups) != len(outs) or any(tuple(u.shape) != tuple(o.shape) for u, o in zip(ups, outs, strict=True)):
        return None  # the outputs are already wrong; the grader reports their shapes
    return ups


def _resolve(namespace):
    parts = ENTRY.split(".")
    if parts[0] not in namespace:
        raise NameError(f"{parts[0]} is not defined")
    obj = namespace[parts[0]]
    for part in parts[1:]:
        obj = getattr(obj, part)
    return obj


def _performance(fn):
    if FRAMEWORK == "pytorch":
        gen = torch.Generator().manual_seed(7)
        args = [_randn(a, generator=gen).to(_DEVICE) if isinstance(a, list) else a for a in PERF["args"]]
    else:
        rng = np.random.default_rng(7)
        args = [
            _tf_constant(rng.standard_normal(a).astype("float32")) if isinstance(a, list) else a
            for a in PERF["args"]
        ]
    fn(*args, **PERF["kwargs"])
    best = None
    for _ in range(3):
        start = _clock()
        fn(*args, **PERF["kwargs"])
        took = (_clock() - start) * 1000
        best = took if best is None else min(best, took)
    return best


def _main():
    payload = _loads(PAYLOAD)
    report = {"mode": MODE}
    if MODE == "reference":
        tests_ns = {"__name__": "challenge_tests"}
        exec(compile(TESTS, "tests.py", "exec"), tests_ns)
        if FRAMEWORK == "pytorch":
            rng = torch.Generator().manual_seed(payload["seed"])
        else:
            rng = np.random.default_rng(payload["seed"])
        made = tests_ns["cases"](rng)
        cases = [
            {
                "name": c["name"],
                "args": _encode(list(c.get("args", []))),
                "kwargs": _encode(dict(c.get("kwargs", {}))),
                "grad": list(c.get("grad", [])),
                "gradcheck": bool(c.get("gradcheck", False)),
            }
            for c in made
        ]
    else:
        cases = payload["cases"]
    namespace = {"__name__": "submission"}
    try:
        exec(compile(SOURCE, "submission.py", "exec"), namespace)
        fn = _resolve(namespace)
    except Exception as exc:
        report["load_error"] = _short_error(exc)
        fn = None
    if fn is not None:
        audit = set(FORBIDDEN_OPS)
        report["results"] = [_run_case(fn, case, audit) for case in cases]
        if MODE == "member" and PERF:
            try:
                report["perf_ms"] = _performance(fn)
            except Exception as exc:
                report["perf_error"] = _short_error(exc)
    if MODE == "reference":
        report["cases"] = cases
    with _open(_RESULT, "w") as handle:
        handle.write(_dumps(report))


_main()
