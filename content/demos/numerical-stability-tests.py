# framework: pytorch
"""A tiny numerical test suite: gradcheck, assert_close against a reference, edge inputs, and
repeatability. A naive and a stable implementation of the same layer go through the same tests.
"""
import torch
from torch.autograd import gradcheck, gradgradcheck
from torch.testing import assert_close

device = "cuda" if torch.cuda.is_available() else "cpu"
print(f"device: {device}")
torch.manual_seed(0)
torch.use_deterministic_algorithms(True)


def naive_log_softmax(x):
    return torch.log(torch.exp(x) / torch.exp(x).sum(-1, keepdim=True))


def stable_log_softmax(x):
    return x - torch.logsumexp(x, dim=-1, keepdim=True)


class SquareWithBug(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x * x

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return grad * x  # bug: the derivative of x^2 is 2x


results = []


def check(name, fn):
    try:
        fn()
        results.append((name, "PASS", ""))
    except Exception as err:  # a test failure: record the first line of the message
        results.append((name, "FAIL", str(err).strip().splitlines()[0][:70]))


x64 = torch.randn(3, 5, dtype=torch.float64, device=device, requires_grad=True)
check("gradcheck stable_log_softmax (float64)", lambda: gradcheck(stable_log_softmax, (x64,)))
check("gradgradcheck stable_log_softmax", lambda: gradgradcheck(stable_log_softmax, (x64,)))
check("gradcheck SquareWithBug", lambda: gradcheck(SquareWithBug.apply, (x64,)))

x = torch.randn(4, 10, device=device)
reference = torch.log_softmax(x, dim=-1)
check("assert_close naive vs reference", lambda: assert_close(naive_log_softmax(x), reference))
# assert_close picks tolerances from the dtype: bf16 gets rtol=1.6e-2, float32 only 1.3e-6
check("assert_close bf16 vs bf16 reference (default tol)",
      lambda: assert_close(stable_log_softmax(x.bfloat16()), reference.bfloat16()))
check("assert_close bf16 upcast vs fp32 (fp32 tol)",
      lambda: assert_close(stable_log_softmax(x.bfloat16()).float(), reference))

edge_cases = {
    "zeros": torch.zeros(2, 5),
    "large (+-1e4)": torch.tensor([[1e4, -1e4, 0.0, 5.0, 1.0]]),
    "tiny (1e-30)": torch.full((2, 5), 1e-30),
    "empty batch": torch.empty(0, 5),
}
for impl in (naive_log_softmax, stable_log_softmax):
    for case, inp in edge_cases.items():
        inp = inp.to(device).clone().requires_grad_(True)  # fresh leaf: no grad left from earlier runs

        def finite_out_and_grad(impl=impl, inp=inp):
            out = impl(inp)
            out.sum().backward()
            assert torch.isfinite(out).all() and torch.isfinite(inp.grad).all(), "non-finite output or grad"
            assert out.shape == inp.shape

        check(f"{impl.__name__}: {case}", finite_out_and_grad)


def repeatable():
    runs = []
    for _ in range(2):
        torch.manual_seed(123)
        layer = torch.nn.Linear(5, 3).to(device)
        runs.append(layer(torch.randn(4, 5, device=device)))
    assert torch.equal(*runs), "two seeded runs differ"


check("seeded runs are bit-identical", repeatable)

width = max(len(name) for name, _, _ in results)
for name, status, why in results:
    print(f"{name:{width}}  {status}  {why}")
print(f"{sum(s == 'PASS' for _, s, _ in results)}/{len(results)} passed;"
      " the failures are the buggy backward, the naive formula on large inputs and bf16 judged"
      " by fp32 tolerances - all intended")
