# framework: pytorch
"""Dynamic PTQ vs static PTQ vs QAT's fake-quant on one tiny model, plus the torch.ao status."""
import io
import warnings

import torch
import torch.ao.quantization as tq
import torch.nn as nn

torch.manual_seed(0)
torch.backends.quantized.engine = "x86"  # server CPUs; ARM phones would use "qnnpack"
print("device: cpu (torch.ao int8 modules are built for CPU backends: x86/fbgemm, qnnpack)")


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.quant, self.dequant = tq.QuantStub(), tq.DeQuantStub()  # float <-> int8 boundaries
        self.conv, self.bn, self.relu = nn.Conv2d(3, 16, 3), nn.BatchNorm2d(16), nn.ReLU()
        self.flat, self.fc = nn.Flatten(), nn.Linear(16 * 6 * 6, 10)

    def forward(self, x):
        x = self.relu(self.bn(self.conv(self.quant(x))))
        return self.dequant(self.fc(self.flat(x)))


def size_kb(model):
    buf = io.BytesIO()
    torch.save(model.state_dict(), buf)
    return buf.tell() / 1024


def kind(module):
    return f"{type(module).__module__.replace('torch.ao.nn.', '')}.{type(module).__name__}"


fp32 = Net().eval()
x = torch.randn(32, 3, 8, 8)
ref = fp32(x)

# 1) dynamic PTQ: weights -> int8 ahead of time, activations quantised per call; no calibration
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    dyn = tq.quantize_dynamic(fp32, {nn.Linear}, dtype=torch.qint8)  # returns a copy
deprecated = any("torch.ao.quantization is deprecated" in str(w.message) for w in caught)
warnings.simplefilter("ignore")

# 2) static PTQ: fuse conv+bn+relu, insert observers, calibrate, convert
static = Net().eval()
static.load_state_dict(fp32.state_dict())
static.qconfig = tq.get_default_qconfig("x86")
static = tq.fuse_modules(static, [["conv", "bn", "relu"]])
tq.prepare(static, inplace=True)
with torch.no_grad():
    for _ in range(4):  # observers record activation ranges on "calibration" batches
        static(torch.randn(8, 3, 8, 8))
tq.convert(static, inplace=True)

print(f"torch {torch.__version__}: torch.ao.quantization raises DeprecationWarning -> {deprecated}")
print(f"fp32        {size_kb(fp32):5.1f} KB")
print(f"dynamic PTQ {size_kb(dyn):5.1f} KB  fc -> {kind(dyn.fc)}, conv stays {kind(dyn.conv)}")
print(f"static PTQ  {size_kb(static):5.1f} KB  conv -> {kind(static.conv)}")
for name, model in (("dynamic", dyn), ("static", static)):
    rel = ((model(x) - ref).norm() / ref.norm()).item()
    print(f"{name:7s} relative output error vs fp32: {rel:.3%}")

# 3) QAT trains through fake-quant: quantise -> dequantise in float, so weights adapt to rounding
w = torch.randn(6)
scale = w.abs().max() / 127
fq = torch.clamp(torch.round(w / scale), -128, 127) * scale
print(f"fake-quant output dtype {fq.dtype}, max rounding error {(fq - w).abs().max():.4f}")
print("order to try: dynamic -> static (needs calibration data) -> QAT if accuracy still drops")
