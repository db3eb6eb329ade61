# framework: pytorch
"""model.train()/eval() flip one flag; Dropout and BatchNorm read it; autograd does not."""
import torch
from torch import nn

device = "cuda" if torch.cuda.is_available() else "cpu"
print(f"device: {device}")
torch.manual_seed(0)

model = nn.Sequential(nn.Linear(6, 6), nn.BatchNorm1d(6), nn.ReLU(), nn.Dropout(0.5),
                      nn.Linear(6, 2)).to(device)
x = torch.randn(8, 6, device=device)

print("\n1) the only thing eval()/train() change is .training, recursively")
model.eval()
print("   after eval():  ", [m.training for m in model.modules()])
model.train()
print("   after train(): ", [m.training for m in model.modules()])

print("\n2) gradients are still tracked in eval mode")
model.eval()
out = model(x)
print("   out.requires_grad =", out.requires_grad, "| grad_fn =", type(out.grad_fn).__name__)
out.sum().backward()
print("   backward in eval mode filled grads:", model[0].weight.grad is not None)
with torch.no_grad():
    print("   under no_grad: requires_grad =", model(x).requires_grad)

print("\n3) Dropout: random in train, identity in eval")
drop = model[3]
ones = torch.ones(1, 8, device=device)
drop.train()
print("   train:", drop(ones).tolist()[0])
drop.eval()
print("   eval: ", drop(ones).tolist()[0])

print("\n4) BatchNorm normalises in BOTH modes, with different statistics")
bn = nn.BatchNorm1d(1).to(device)
data = torch.tensor([[10.0], [12.0], [14.0]], device=device)
bn.train()
with torch.no_grad():
    for _ in range(50):
        y_train = bn(data)                 # batch stats; running stats drift towards 12 / 4
print("   train output:", [round(v, 3) + 0.0 for v in y_train.flatten().tolist()], "(batch mean 12, var 8/3)")
print("   running_mean / var:", round(bn.running_mean.item(), 3), "/", round(bn.running_var.item(), 3))
bn.eval()
with torch.no_grad():
    y_eval = bn(data)
print("   eval output: ", [round(v, 3) for v in y_eval.flatten().tolist()], "(running stats)")

print("\n5) forgetting train() after validation silently turns off dropout and BN updates")
model.eval()                               # validation ...
before = model[1].running_mean.clone()
model(x).sum().backward()                  # ... then training resumes without model.train()
print("   BN running_mean updated:", not torch.equal(before, model[1].running_mean),
      "| dropout active:", model[3].training)
