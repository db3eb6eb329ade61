# framework: pytorch
"""A Child-Sum Tree-LSTM two ways: Python recursion per tree, and level-by-level batching."""
import torch
import torch.nn as nn

torch.manual_seed(0)
torch.set_num_threads(1)
device = "cuda" if torch.cuda.is_available() else "cpu"
print(f"device: {device}")


class ChildSumTreeLSTM(nn.Module):
    def __init__(self, d_in, d_h):
        super().__init__()
        self.d_h = d_h
        self.W = nn.Linear(d_in, 4 * d_h)              # i, o, u, f from the node's input
        self.U_iou = nn.Linear(d_h, 3 * d_h, bias=False)  # from the SUM of children's h
        self.U_f = nn.Linear(d_h, d_h, bias=False)        # applied to EACH child's h

    def cell(self, x, h_kids, c_kids, parent_of_kid, n):
        """x: (n, d_in) nodes; h_kids/c_kids: (m, d_h) their children; parent_of_kid: (m,) in 0..n-1."""
        wi, wo, wu, wf = self.W(x).chunk(4, -1)
        h_sum = torch.zeros(n, self.d_h, device=x.device).index_add(0, parent_of_kid, h_kids)
        ui, uo, uu = self.U_iou(h_sum).chunk(3, -1)
        i, o, u = torch.sigmoid(wi + ui), torch.sigmoid(wo + uo), torch.tanh(wu + uu)
        f = torch.sigmoid(wf[parent_of_kid] + self.U_f(h_kids))  # one forget gate per child
        c = i * u + torch.zeros_like(i).index_add(0, parent_of_kid, f * c_kids)
        return o * torch.tanh(c), c

    def recursive(self, tree, feats, node=0):
        """Plain Python recursion: the graph follows this sample's tree."""
        kids = [self.recursive(tree, feats, k) for k in tree.get(node, [])]
        if kids:
            h_k, c_k = torch.cat([k[0] for k in kids]), torch.cat([k[1] for k in kids])
        else:
            h_k = c_k = torch.zeros(0, self.d_h, device=feats.device)
        idx = torch.zeros(len(kids), dtype=torch.long, device=feats.device)
        return self.cell(feats[node:node + 1], h_k, c_k, idx, 1)

    def batched(self, parents, feats):
        """All nodes of all trees at once: process by height (leaves first), one cell call per level."""
        n = len(parents)
        height = [0] * n
        for v in range(n - 1, -1, -1):  # children have larger ids than parents here
            if parents[v] >= 0:
                height[parents[v]] = max(height[parents[v]], height[v] + 1)
        h = torch.zeros(n, self.d_h, device=feats.device)
        c = torch.zeros_like(h)
        par = torch.tensor(parents, device=feats.device)
        hgt = torch.tensor(height, device=feats.device)
        for level in range(max(height) + 1):
            nodes = (hgt == level).nonzero().flatten()
            kids = torch.isin(par, nodes).nonzero().flatten()  # children of this level's nodes
            pos = torch.full((n,), -1, dtype=torch.long, device=feats.device)
            pos[nodes] = torch.arange(len(nodes), device=feats.device)
            h_new, c_new = self.cell(feats[nodes], h[kids], c[kids], pos[par[kids]], len(nodes))
            h, c = h.index_copy(0, nodes, h_new), c.index_copy(0, nodes, c_new)
        return h, max(height) + 1


# two parse-like trees of different shape, as child lists (node 0 is each root)
trees = [{0: [1, 2], 1: [3, 4, 5]}, {0: [1], 1: [2], 2: [3, 4]}]
sizes = [6, 5]
model = ChildSumTreeLSTM(8, 16).to(device)
feats = [torch.randn(s, 8, device=device) for s in sizes]

roots = [model.recursive(t, f)[0] for t, f in zip(trees, feats)]
for k, t in enumerate(trees):
    print(f"tree {k}: children {t} -> root h[:3] {[round(v, 4) for v in roots[k][0, :3].tolist()]}")

# flatten both trees into one forest (offset ids), then batch by level
parents, offset = [], 0
for t, s in zip(trees, sizes):
    p = [-1] * s
    for parent, kids in t.items():
        for kid in kids:
            p[kid] = parent + offset
    parents += p
    offset += s
h_all, levels = model.batched(parents, torch.cat(feats))
same = torch.allclose(h_all[0], roots[0][0], atol=1e-6) and torch.allclose(h_all[sizes[0]], roots[1][0], atol=1e-6)
print(f"level-batched forest: {sum(sizes)} nodes in {levels} cell calls instead of {sum(sizes)}; "
      f"roots match recursion: {same}")

loss = torch.stack([r.sum() for r in roots]).sum()
loss.backward()
print("backward through two differently shaped graphs works; grad norm of U_f:",
      round(model.U_f.weight.grad.norm().item(), 4))
