# framework: pytorch
"""PyG-style message passing in plain PyTorch: edge_index, message/aggregate/update, a GCN layer, batching."""
import torch
import torch.nn as nn

torch.manual_seed(0)
torch.set_num_threads(1)
device = "cuda" if torch.cuda.is_available() else "cpu"
print(f"device: {device}")


class MessagePassing(nn.Module):
    """A tiny re-implementation of the PyG contract (flow = source_to_target)."""

    def __init__(self, aggr="add"):
        super().__init__()
        self.aggr = aggr

    def propagate(self, edge_index, x, **kwargs):
        src, dst = edge_index                      # row 0 = source j, row 1 = target i
        msg = self.message(x_j=x[src], x_i=x[dst], **kwargs)     # one message per edge
        out = self.aggregate(msg, dst, x.size(0))  # reduce messages per target node
        return self.update(out)

    def aggregate(self, msg, index, n):
        shape = (n,) + msg.shape[1:]
        idx = index.view(-1, *[1] * (msg.dim() - 1)).expand_as(msg)
        if self.aggr == "add":
            return msg.new_zeros(shape).scatter_add_(0, idx, msg)
        reduce = {"mean": "mean", "max": "amax"}[self.aggr]
        return msg.new_zeros(shape).scatter_reduce_(0, idx, msg, reduce, include_self=False)

    def message(self, x_j, x_i, **kwargs):
        return x_j

    def update(self, aggr_out):
        return aggr_out


class GCNConv(MessagePassing):
    def __init__(self, d_in, d_out):
        super().__init__(aggr="add")
        self.lin = nn.Linear(d_in, d_out, bias=False)

    def forward(self, x, edge_index):
        n = x.size(0)
        loops = torch.arange(n, device=x.device).repeat(2, 1)
        edge_index = torch.cat([edge_index, loops], dim=1)           # 1) add self-loops
        deg = torch.zeros(n, device=x.device).index_add_(0, edge_index[1], torch.ones(edge_index.size(1), device=x.device))
        dinv = deg.pow(-0.5)
        norm = dinv[edge_index[0]] * dinv[edge_index[1]]              # 2) 1/sqrt(d_j d_i)
        return self.propagate(edge_index, self.lin(x), norm=norm)    # 3) transform, 4) sum

    def message(self, x_j, x_i, norm):
        return norm[:, None] * x_j


# a 4-node directed graph: 0->1, 1->2, 2->0, 3->2 (store both directions for undirected graphs)
edge_index = torch.tensor([[0, 1, 2, 3], [1, 2, 0, 2]], device=device)
x = torch.tensor([[1.0], [2.0], [4.0], [8.0]], device=device)
for aggr in ("add", "mean", "max"):
    print(f"aggr={aggr:4s}: per-node result {MessagePassing(aggr).propagate(edge_index, x).flatten().tolist()}"
          "  (node 2 hears nodes 1 and 3; node 3 has no in-edges)")

# GCN on an undirected graph equals the dense formula D^-1/2 (A+I) D^-1/2 X W
und = torch.tensor([[0, 1, 1, 2, 2, 3], [1, 0, 2, 1, 3, 2]], device=device)
feats = torch.randn(4, 3, device=device)
conv = GCNConv(3, 2).to(device)
A = torch.zeros(4, 4, device=device)
A[und[1], und[0]] = 1
A_hat = A + torch.eye(4, device=device)
D = torch.diag(A_hat.sum(1).pow(-0.5))
dense = D @ A_hat @ D @ conv.lin(feats)
print("GCN message passing == dense normalised adjacency:", torch.allclose(conv(feats, und), dense, atol=1e-6))

# mini-batching: two graphs become one disconnected graph; node ids of graph 2 are offset
g1_x, g1_e = torch.randn(3, 3, device=device), torch.tensor([[0, 1], [1, 2]], device=device)
g2_x, g2_e = torch.randn(2, 3, device=device), torch.tensor([[0], [1]], device=device)
big_x = torch.cat([g1_x, g2_x])
big_e = torch.cat([g1_e, g2_e + g1_x.size(0)], dim=1)
batch = torch.tensor([0, 0, 0, 1, 1], device=device)      # which graph each node belongs to
h = conv(big_x, big_e)
pooled = torch.zeros(2, 2, device=device).index_add_(0, batch, h) / torch.bincount(batch)[:, None]
print("edge_index of the batch:", big_e.tolist(), "| batch vector:", batch.tolist())
print("graph 2 alone gives the same node outputs:", torch.allclose(h[3:], conv(g2_x, g2_e), atol=1e-6))
print("per-graph mean pooling shape:", tuple(pooled.shape))
