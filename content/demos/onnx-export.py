# framework: pytorch
"""Export a small PyTorch model to ONNX, check the file, and compare ONNX Runtime with PyTorch.

torch.onnx.export defaults to the torch.export-based exporter (dynamo=True) since PyTorch 2.9; it
needs the `onnxscript` package. Where that is missing, this demo says so and uses the legacy
TorchScript-based exporter (dynamo=False), which still works but is deprecated.
"""
import os
import tempfile
import warnings

import numpy as np
import onnx
import onnxruntime as ort
import torch

torch.manual_seed(0)
print("device: cpu (export and ONNX Runtime CPUExecutionProvider)")
print("torch", torch.__version__, "| onnx", onnx.__version__, "| onnxruntime", ort.__version__)

model = torch.nn.Sequential(
    torch.nn.Conv2d(3, 8, 3, padding=1), torch.nn.BatchNorm2d(8), torch.nn.ReLU(),
    torch.nn.AdaptiveAvgPool2d(1), torch.nn.Flatten(), torch.nn.Dropout(0.5), torch.nn.Linear(8, 4),
).eval()  # eval(): BatchNorm uses running stats, Dropout is off
example = torch.randn(2, 3, 16, 16)
path = os.path.join(tempfile.mkdtemp(), "model.onnx")
names = {"input_names": ["image"], "output_names": ["logits"], "opset_version": 18}

try:
    batch = torch.export.Dim("batch")
    torch.onnx.export(model, (example,), path, dynamic_shapes=({0: batch},), **names)  # dynamo=True
    print("exporter: torch.export-based (dynamo=True, the default)")
except ModuleNotFoundError as err:
    print(f"default exporter unavailable here ({err}); falling back to dynamo=False")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        torch.onnx.export(model, (example,), path, dynamo=False,
                          dynamic_axes={"image": {0: "batch"}, "logits": {0: "batch"}}, **names)
    for w in caught:
        if issubclass(w.category, DeprecationWarning) and "legacy" in str(w.message):
            print("  warning:", str(w.message).split(".")[0])
    print("exporter: legacy TorchScript-based (dynamo=False)")

proto = onnx.load(path)
onnx.checker.check_model(proto)  # raises if the graph is malformed
dims = [d.dim_param or d.dim_value for d in proto.graph.input[0].type.tensor_type.shape.dim]
print("checker: ok | opset:", [o.version for o in proto.opset_import if o.domain in ("", "ai.onnx")])
print("input 'image' dims:", dims)
ops = sorted({n.op_type for n in proto.graph.node})
print("ONNX ops:", ops, "| BatchNorm folded into Conv:", "BatchNormalization" not in ops)

session = ort.InferenceSession(path, providers=["CPUExecutionProvider"])
for n in (1, 5):
    x = torch.randn(n, 3, 16, 16)
    (onnx_out,) = session.run(["logits"], {"image": x.numpy()})
    with torch.no_grad():
        torch_out = model(x).numpy()
    diff = np.abs(onnx_out - torch_out).max()
    print(f"batch {n}: output {onnx_out.shape}, max |ORT - PyTorch| = {diff:.1e}, "
          f"allclose(atol=1e-5): {np.allclose(onnx_out, torch_out, atol=1e-5)}")
