# framework: pytorch
"""ONNX export: fixed vs dynamic batch, shapes baked in by Python ints, and a custom operator.

Uses the legacy exporter (dynamo=False) because the default torch.export-based exporter needs the
`onnxscript` package; torch.export itself (what the default exporter runs first) is shown with
torch.export.Dim, which is how dynamic_shapes is written for dynamo=True.
"""
import os
import tempfile
import warnings

import numpy as np
import onnx
import onnxruntime as ort
import torch
from torch.onnx.symbolic_helper import parse_args

warnings.simplefilter("ignore", DeprecationWarning)  # the legacy exporter warns on every call
torch.manual_seed(0)
print("device: cpu (ONNX Runtime CPUExecutionProvider)")
tmp = tempfile.mkdtemp()
x2, x5 = torch.randn(2, 3, 4), torch.randn(5, 3, 4)


def export(model, name, **kw):
    path = os.path.join(tmp, name)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", torch.jit.TracerWarning)
        torch.onnx.export(model, (x2,), path, dynamo=False, input_names=["x"], output_names=["y"],
                          opset_version=17, **kw)
    tracer = any(w.category is torch.jit.TracerWarning for w in caught)
    dims = [d.dim_param or d.dim_value for d in onnx.load(path).graph.input[0].type.tensor_type.shape.dim]
    return ort.InferenceSession(path, providers=["CPUExecutionProvider"]), dims, tracer


class Good(torch.nn.Module):
    def forward(self, x):
        return x.flatten(1).sum(1, keepdim=True)


class Baked(torch.nn.Module):
    def forward(self, x):
        n = int(x.shape[0])  # a Python int: recorded as the constant 2
        return x.reshape(n, -1).sum(1, keepdim=True)


print("\n1) no dynamic axes: the example's shape is fixed")
sess, dims, _ = export(Good(), "fixed.onnx")
print("   input dims:", dims)
try:
    sess.run(None, {"x": x5.numpy()})
except Exception as err:  # onnxruntime raises its own exception types
    print("   batch 5 ->", type(err).__name__, "(invalid dimensions)")

print("\n2) dynamic_axes={'x': {0: 'batch'}, 'y': {0: 'batch'}}")
axes = {"x": {0: "batch"}, "y": {0: "batch"}}
sess, dims, _ = export(Good(), "dynamic.onnx", dynamic_axes=axes)
print("   input dims:", dims)
for n in (1, 5, 7):
    xn = torch.randn(n, 3, 4)
    ok = np.allclose(sess.run(None, {"x": xn.numpy()})[0], Good()(xn).numpy(), atol=1e-5)
    print(f"   batch {n}: matches PyTorch {ok}")

print("\n3) int(x.shape[0]) inside forward, even with dynamic_axes")
sess, dims, tracer = export(Baked(), "baked.onnx", dynamic_axes=axes)
out = sess.run(None, {"x": x5.numpy()})[0]
print(f"   input dims {dims}, TracerWarning {tracer}; batch 5 gives output shape {out.shape} (silently wrong)")
batch = torch.export.Dim("batch")
for model in (Good(), Baked()):
    try:
        torch.export.export(model, (x2,), dynamic_shapes={"x": {0: batch}})
        print(f"   torch.export with Dim('batch'), {type(model).__name__}: ok, batch stays symbolic")
    except Exception as err:
        line = next(s for s in str(err).splitlines() if "specialized" in s).strip(" -").split(". ")[0]
        print(f"   torch.export with Dim('batch'), {type(model).__name__}: {type(err).__name__}:\n     {line}")


@torch.library.custom_op("demo::scaled_tanh", mutates_args=())
def scaled_tanh(x: torch.Tensor, scale: float) -> torch.Tensor:
    return torch.tanh(x) * scale


@scaled_tanh.register_fake
def _(x, scale):
    return torch.empty_like(x)


class UsesCustomOp(torch.nn.Module):
    def forward(self, x):
        return scaled_tanh(x, 2.0) + 1


@parse_args("v", "f")
def as_custom_domain(g, x, scale):  # emit an op the runtime must implement itself
    return g.op("mydomain::ScaledTanh", x, scale_f=scale)


@parse_args("v", "f")
def as_standard_ops(g, x, scale):  # or decompose into standard ONNX ops
    return g.op("Mul", g.op("Tanh", x), g.op("Constant", value_t=torch.tensor(scale)))


print("\n4) a custom op (torch.library) with register_custom_op_symbolic")
for symbolic in (as_custom_domain, as_standard_ops):
    torch.onnx.register_custom_op_symbolic("demo::scaled_tanh", symbolic, 17)
    path = os.path.join(tmp, symbolic.__name__ + ".onnx")
    torch.onnx.export(UsesCustomOp(), (x2,), path, dynamo=False, input_names=["x"], opset_version=17)
    torch.onnx.unregister_custom_op_symbolic("demo::scaled_tanh", 17)
    ops = [f"{n.domain or 'ai.onnx'}::{n.op_type}" for n in onnx.load(path).graph.node]
    try:
        sess = ort.InferenceSession(path, providers=["CPUExecutionProvider"])
        ok = np.allclose(sess.run(None, {"x": x2.numpy()})[0], UsesCustomOp()(x2).numpy(), atol=1e-6)
        result = f"runs in ONNX Runtime, matches PyTorch: {ok}"
    except Exception as err:
        result = "ONNX Runtime refuses it: " + str(err).split("Fatal error:")[-1].strip()
    print(f"   {symbolic.__name__}: {ops}\n     -> {result}")
