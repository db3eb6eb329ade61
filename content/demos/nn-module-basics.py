# framework: pytorch
"""What nn.Module registers, why model(x) beats model.forward(x), and what the output really is."""
import torch
from torch import nn

device = "cuda" if torch.cuda.is_available() else "cpu"
print(f"device: {device}")
torch.manual_seed(0)


class Classifier(nn.Module):
    def __init__(self, in_dim=20, hidden=32, n_classes=10):
        super().__init__()                       # must run before assigning layers
        self.body = nn.Sequential(nn.Linear(in_dim, hidden), nn.ReLU())
        self.head = nn.Linear(hidden, n_classes)
        self.temperature = nn.Parameter(torch.ones(1))
        self.extra = [nn.Linear(hidden, hidden)]  # plain list: NOT registered

    def forward(self, x):
        return self.head(self.body(x)) / self.temperature   # raw logits, no softmax


model = Classifier().to(device)
print("\n1) what got registered")
for name, p in model.named_parameters():
    print(f"   param {name:14} {tuple(p.shape)}")
print("   children:", [name for name, _ in model.named_children()])
print("   state_dict keys:", len(model.state_dict()), "| 'extra' in any key:",
      any(k.startswith("extra") for k in model.state_dict()))

print("\n2) model(x) runs hooks; model.forward(x) skips them")
calls = []
model.register_forward_hook(lambda mod, inp, out: calls.append("hook"))
x = torch.randn(32, 20, device=device)
model(x)
print("   after model(x):         hooks fired =", len(calls))
model.forward(x)
print("   after model.forward(x): hooks fired =", len(calls))

print("\n3) the output is logits, not probabilities")
logits = model(x)
print("   shape:", tuple(logits.shape), "| row sums:", [round(v, 3) for v in logits.sum(1)[:3].tolist()],
      "| min:", round(logits.min().item(), 3))
probs = logits.softmax(dim=1)
print("   after softmax row sums:", [round(v, 3) for v in probs.sum(1)[:3].tolist()])
target = torch.randint(0, 10, (32,), device=device)
print("   CrossEntropyLoss takes the logits directly: loss =",
      round(nn.CrossEntropyLoss()(logits, target).item(), 4))

print("\n4) train()/eval(), to()/half(), zero_grad()")
model.eval()
print("   training flags after eval():", {m.training for m in model.modules()})
model.train()
half = Classifier().half()
print("   dtype after .half():", half.head.weight.dtype,
      "| the unregistered list layer stays", half.extra[0].weight.dtype)
logits.sum().backward()
model.zero_grad()
print("   grad after zero_grad():", model.head.weight.grad)
