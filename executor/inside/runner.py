"""Make a forked child look like a fresh `python main.py`, then run the code and exit like one."""

from __future__ import annotations

import atexit
import builtins
import contextlib
import io
import logging
import os
import signal
import sys
import threading
import traceback
import types
import warnings
import weakref
from typing import Any, NoReturn

from . import devprep

# Python's own start-up dispositions; everything else goes back to the default.
_PYTHON_IGNORES = (signal.SIGPIPE, signal.SIGXFSZ)
# atexit handlers the pool's imports registered that only log (and cost tens of ms per job).
_SKIP_AT_EXIT = frozenset(
    {
        "torch._dynamo.utils.dump_compile_times",
        "torch._subclasses.fake_tensor.dump_cache_stats",
        "torch._dynamo.eval_frame._log_traced_frames",
    }
)


def prepare_device(device: str, framework: str, *, lazy: bool = False) -> dict[str, Any]:
    """The job's device. On CUDA: ready already when the spare prepared it (devprep.py); left for
    the job's code to initialise when the job asked for a lazily initialised CUDA (`lazy`);
    otherwise initialised here, after the fork, before the code runs."""
    if device != "cuda" or not os.environ.get("CUDA_VISIBLE_DEVICES"):
        return {"device": "cpu"}
    if devprep.cuda_ready() and devprep.PREPARED is not None:
        return {"device": devprep.PREPARED["device"]}
    pinned = os.environ["CUDA_VISIBLE_DEVICES"].split(",")[0]
    if lazy:
        return {"device": f"cuda:0 (GPU {pinned}, initialised lazily by the job)"}
    try:
        name = _cuda_device_name(framework)
    except Exception as exc:  # no usable GPU after all: run on the CPU and say so
        return {"device": "cpu", "notes": [f"CUDA unavailable ({type(exc).__name__}: {exc}); ran on CPU"]}
    return {"device": name}


def _cuda_device_name(framework: str) -> str:
    pinned = os.environ["CUDA_VISIBLE_DEVICES"].split(",")[0]
    if framework == "torch":
        import torch

        torch.cuda.init()
        return f"cuda:0 ({torch.cuda.get_device_name(0)}, GPU {pinned})"
    if framework == "tensorflow":
        import tensorflow as tf

        gpus = tf.config.list_physical_devices("GPU")
        if not gpus:
            raise RuntimeError("TensorFlow sees no GPU")
        details = tf.config.experimental.get_device_details(gpus[0])
        return f"cuda:0 ({details.get('device_name', 'GPU')}, GPU {pinned})"
    return f"cuda:0 (GPU {pinned})"


def reset_interpreter(pristine: dict[str, Any]) -> None:
    """Undo what the pool's start-up left behind that a fresh interpreter would not have."""
    _reset_signals()
    _reset_stdio()
    _reset_atexit(pristine["atexit"])
    logging.root.handlers.clear()
    logging.root.setLevel(logging.WARNING)
    warnings.filters[:] = pristine["warnings"]
    warnings._filters_mutated()  # type: ignore[attr-defined]
    for name in [n for n in sys.modules if n == "inside" or n.startswith("inside.")]:
        del sys.modules[name]


def enter_script(script: str, pristine: dict[str, Any]) -> None:
    """sys.argv and sys.path as `python script` sets them; fresh random state for numpy."""
    sys.argv = [script]
    sys.path[:] = [os.path.dirname(script), *pristine["path"]]
    if "numpy.random" in sys.modules:  # random reseeds itself after fork; numpy's global state does not
        sys.modules["numpy.random"].seed()


def _reset_atexit(registered: list[tuple[Any, tuple[Any, ...], dict[str, Any]]]) -> None:
    """Keep the pool's exit handlers that matter to a job (multiprocessing, DataLoader, logging);
    silence finalizers of objects the pool created, so only the job's own run at exit."""
    atexit._clear()
    for func, args, kwargs in registered:
        name = f"{getattr(func, '__module__', None)}.{getattr(func, '__qualname__', None)}"
        if name not in _SKIP_AT_EXIT:
            atexit.register(func, *args, **kwargs)
    for finalizer in list(weakref.finalize._registry):  # type: ignore[attr-defined]
        finalizer.atexit = False


def _reset_signals() -> None:
    for sig in signal.valid_signals():
        if sig in (signal.SIGKILL, signal.SIGSTOP):
            continue
        with contextlib.suppress(OSError, ValueError):
            signal.signal(sig, signal.SIG_DFL)
    for sig in _PYTHON_IGNORES:
        signal.signal(sig, signal.SIG_IGN)
    signal.signal(signal.SIGINT, signal.default_int_handler)


def _reset_stdio() -> None:
    sys.stdin = sys.__stdin__ = io.TextIOWrapper(io.FileIO(0, "r", closefd=False), encoding="utf-8")
    # Line-buffered, so what was printed before a timeout or a crash still comes back.
    sys.stdout = sys.__stdout__ = io.TextIOWrapper(
        io.FileIO(1, "w", closefd=False), encoding="utf-8", errors="backslashreplace", line_buffering=True
    )
    sys.stderr = sys.__stderr__ = io.TextIOWrapper(
        io.FileIO(2, "w", closefd=False), encoding="utf-8", errors="backslashreplace", line_buffering=True
    )


def run_main(script: str, source: str, done_fd: int) -> NoReturn:
    main = types.ModuleType("__main__")
    main.__file__ = script
    main.__builtins__ = builtins
    main.__cached__ = None
    sys.modules["__main__"] = main
    try:
        exec(compile(source, script, "exec"), main.__dict__)
        status = 0
    except SystemExit as exc:
        status = _exit_status(exc)
    except BaseException as exc:
        # Like the interpreter: the traceback without this frame, then exit status 1.
        traceback.print_exception(type(exc), exc, exc.__traceback__.tb_next if exc.__traceback__ else None)
        status = 1
    _finish(status, done_fd)


def _exit_status(exc: SystemExit) -> int:
    code = exc.code
    if code is None:
        return 0
    if isinstance(code, int):
        return code & 0xFF
    print(code, file=sys.stderr)
    return 1


def _finish(status: int, done_fd: int) -> NoReturn:
    """What interpreter shutdown does that matters here: join threads, run atexit, flush; then
    tell the init the exit status, so it can report before the kernel has torn this process down."""
    try:
        threading._shutdown()  # type: ignore[attr-defined]
    except BaseException:
        traceback.print_exc()
    try:
        atexit._run_exitfuncs()
    except BaseException:
        traceback.print_exc()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            stream.flush()
    with contextlib.suppress(OSError):
        os.write(done_fd, b"%d\n" % status)
    os._exit(status)
