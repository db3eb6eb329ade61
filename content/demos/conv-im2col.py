# framework: pytorch
"""Convolution as im2col + one matrix multiply, checked against F.conv2d, plus a direct loop version."""
import torch
import torch.nn.functional as F

device = "cuda" if torch.cuda.is_available() else "cpu"
print(f"device: {device}")
torch.manual_seed(0)


def out_size(h, k, p, s, d=1):
    return (h + 2 * p - d * (k - 1) - 1) // s + 1


def conv2d_im2col(x, weight, bias=None, stride=1, padding=0, dilation=1):
    n, c_in, h, w = x.shape
    c_out, _, kh, kw = weight.shape
    cols = F.unfold(x, (kh, kw), dilation=dilation, padding=padding, stride=stride)  # (N, C_in*kh*kw, L)
    out = weight.view(c_out, -1) @ cols                                              # (N, C_out, L)
    if bias is not None:
        out = out + bias.view(1, -1, 1)
    h_out, w_out = out_size(h, kh, padding, stride, dilation), out_size(w, kw, padding, stride, dilation)
    return out.view(n, c_out, h_out, w_out), cols


def conv2d_direct(x, weight, stride=1, padding=0):
    """Six nested loops collapsed to two: slide the kernel, multiply-accumulate."""
    x = F.pad(x, (padding,) * 4)
    n, c_in, h, w = x.shape
    c_out, _, kh, kw = weight.shape
    h_out, w_out = (h - kh) // stride + 1, (w - kw) // stride + 1
    out = x.new_zeros(n, c_out, h_out, w_out)
    for i in range(h_out):
        for j in range(w_out):
            patch = x[:, :, i * stride:i * stride + kh, j * stride:j * stride + kw]    # (N, C_in, kh, kw)
            out[:, :, i, j] = torch.einsum("nchw,ochw->no", patch, weight)
    return out


x = torch.randn(2, 3, 9, 9, device=device)
weight = torch.randn(4, 3, 3, 3, device=device)
bias = torch.randn(4, device=device)

print("\n1) im2col + GEMM == F.conv2d")
for stride, padding, dilation in [(1, 0, 1), (1, 1, 1), (2, 1, 1), (1, 2, 2)]:
    ref = F.conv2d(x, weight, bias, stride=stride, padding=padding, dilation=dilation)
    ours, cols = conv2d_im2col(x, weight, bias, stride, padding, dilation)
    print(f"   s={stride} p={padding} d={dilation}: out {tuple(ours.shape)} "
          f"cols {tuple(cols.shape)} match={torch.allclose(ours, ref, atol=1e-5)}")

print("\n2) the output-size formula  H_out = floor((H + 2p - d(k-1) - 1) / s) + 1")
print("   H=9, k=3, p=1, s=2, d=1 ->", out_size(9, 3, 1, 2), "| H=9, k=3, p=2, s=1, d=2 ->", out_size(9, 3, 2, 1, 2))

print("\n3) direct sliding-window loop == F.conv2d:",
      torch.allclose(conv2d_direct(x, weight, 1, 1), F.conv2d(x, weight, None, padding=1), atol=1e-5))

print("\n4) the memory price of im2col (3x3 kernel, stride 1, same padding)")
big = torch.randn(1, 64, 56, 56, device=device)
cols = F.unfold(big, 3, padding=1)
print(f"   input {big.numel():,} values -> cols {cols.numel():,} values ({cols.numel() / big.numel():.0f}x)")

print("   -> that copy is why backends also have implicit-GEMM, Winograd, FFT and direct kernels;")
print("      cuDNN / oneDNN pick one per shape, and explicit im2col + GEMM is only one option")
