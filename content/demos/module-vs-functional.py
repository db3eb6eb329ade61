# framework: pytorch
"""nn layers own state; torch.nn.functional is stateless. Where the difference bites."""
import torch
from torch import nn
import torch.nn.functional as F

device = "cuda" if torch.cuda.is_available() else "cpu"
print(f"device: {device}")
torch.manual_seed(0)
x = torch.randn(4, 8, device=device)

print("\n1) same maths: nn.Linear owns its weights, F.linear needs them passed in")
lin = nn.Linear(8, 3).to(device)
print("   equal outputs:", torch.allclose(lin(x), F.linear(x, lin.weight, lin.bias)))


class BuggyDropoutNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(8, 8)

    def forward(self, x):
        return F.dropout(self.fc(x), p=0.5)              # training defaults to True!


class FixedDropoutNet(BuggyDropoutNet):
    def forward(self, x):
        return F.dropout(self.fc(x), p=0.5, training=self.training)


class ModuleDropoutNet(BuggyDropoutNet):
    def __init__(self):
        super().__init__()
        self.drop = nn.Dropout(0.5)                      # follows train()/eval()

    def forward(self, x):
        return self.drop(self.fc(x))


print("\n2) F.dropout ignores eval() unless you pass training=self.training")
for cls in (BuggyDropoutNet, FixedDropoutNet, ModuleDropoutNet):
    net = cls().to(device).eval()
    with torch.no_grad():
        deterministic = torch.equal(net(x), net(x))
    print(f"   {cls.__name__:17} in eval(): deterministic = {deterministic}")


class RawWeightNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.w_plain = torch.randn(3, 8)                 # plain tensor: invisible
        self.w_param = nn.Parameter(torch.randn(3, 8))   # registered

    def forward(self, x):
        return F.linear(x, self.w_plain) + F.linear(x, self.w_param)


print("\n3) functional calls need their weights registered somewhere")
net = RawWeightNet().double()
print("   parameters():", [n for n, _ in net.named_parameters()])
print("   state_dict():", list(net.state_dict()))
print("   after .double(): w_param", net.w_param.dtype, "| w_plain", net.w_plain.dtype)


class Block(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 4, 3)
        self.bn = nn.BatchNorm2d(4)                      # running stats live here

    def forward(self, x):
        return F.max_pool2d(F.relu(self.bn(self.conv(x))), 2)   # stateless ops as F.*


print("\n4) modules show up in print(model); F.relu / F.max_pool2d do not")
print("   " + str(Block()).replace("\n", "\n   "))
