# framework: pytorch
"""Knowledge distillation on a toy task: soft targets, the T^2 factor, and a student that learns from a teacher."""
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0)
torch.set_num_threads(1)
device = "cuda" if torch.cuda.is_available() else "cpu"
print(f"device: {device}")

# 1) temperature softens the teacher's distribution and reveals how it ranks the wrong classes
logits = torch.tensor([6.0, 3.0, 1.0, -2.0])
for T in (1, 4):
    print(f"T={T}: softmax(z/T) = {[round(p, 3) for p in F.softmax(logits / T, -1).tolist()]}")

# 2) gradients of the soft loss shrink like 1/T^2, hence the T^2 factor
s, t = torch.randn(16, 10), 3 * torch.randn(16, 10)
for T in (1, 4):
    s_ = s.clone().requires_grad_()
    F.kl_div(F.log_softmax(s_ / T, -1), F.softmax(t / T, -1), reduction="batchmean").backward()
    print(f"T={T}: grad norm {s_.grad.norm():.4f}, times T^2 {s_.grad.norm() * T * T:.4f}")


# 3) distil a big teacher into a small student: 3 classes from rings in 2-D
def make(n):
    x = torch.randn(n, 2) * 1.6
    r = x.norm(dim=1)
    return x.to(device), ((r > 1.2).long() + (r > 2.2).long()).to(device)


x_train, y_train = make(600)
x_test, y_test = make(2000)
teacher = nn.Sequential(nn.Linear(2, 128), nn.ReLU(), nn.Linear(128, 128), nn.ReLU(), nn.Linear(128, 3)).to(device)
opt = torch.optim.Adam(teacher.parameters(), lr=1e-2)
for _ in range(300):
    opt.zero_grad()
    F.cross_entropy(teacher(x_train), y_train).backward()
    opt.step()
teacher.eval()  # frozen: eval mode, no grad, not in the student's optimizer


def acc(model):
    with torch.no_grad():
        return (model(x_test).argmax(1) == y_test).float().mean().item()


def train_student(alpha, T=4.0, n_labeled=60, steps=300):
    torch.manual_seed(1)
    student = nn.Sequential(nn.Linear(2, 16), nn.ReLU(), nn.Linear(16, 3)).to(device)
    opt = torch.optim.Adam(student.parameters(), lr=1e-2)  # student parameters only
    xl, yl = x_train[:n_labeled], y_train[:n_labeled]
    for _ in range(steps):
        out = student(x_train)
        with torch.no_grad():
            soft = F.softmax(teacher(x_train) / T, -1)
        kd = F.kl_div(F.log_softmax(out / T, -1), soft, reduction="batchmean") * T * T
        ce = F.cross_entropy(out[:n_labeled], yl)  # hard labels exist for a few points only
        loss = alpha * kd + (1 - alpha) * ce
        opt.zero_grad()
        loss.backward()
        opt.step()
    return acc(student)


print(f"teacher (128-128 MLP) test acc                    : {acc(teacher):.3f}")
print(f"student, 60 hard labels only (alpha=0)            : {train_student(alpha=0.0):.3f}")
print(f"student, + teacher soft targets on 600 (alpha=0.9): {train_student(alpha=0.9):.3f}")
