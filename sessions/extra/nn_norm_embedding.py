# %%
import torch
import torch.nn.functional as F
torch.manual_seed(10)
w = torch.randn(5, 3, requires_grad=True)
idx = torch.tensor([[1, 0], [4, 1]])
e = F.embedding(idx, w, padding_idx=0)
(e * torch.arange(12.0).reshape(2, 2, 3)).sum().backward()
e, w.grad
# %%
F.embedding(torch.tensor([5]), w)
# %%
h = torch.tensor([[1.0, 2.0, 3.0, 4.0], [0.0, 0.0, 1.0, -1.0]], requires_grad=True)
g = torch.tensor([1.5, 0.5, -1.0, 2.0], requires_grad=True)
bb = torch.tensor([0.1, 0.2, 0.3, 0.4], requires_grad=True)
y = F.layer_norm(h, (4,), g, bb)
(y * torch.tensor([[1.0, -2.0, 3.0, 0.5]])).sum().backward()
y, h.grad, g.grad, bb.grad
# %%
batch = torch.tensor([[1.0, 10.0], [2.0, 40.0], [6.0, 22.0]], requires_grad=True)
rm, rv = torch.zeros(2), torch.ones(2)
wt = torch.tensor([1.0, 2.0], requires_grad=True)
out = F.batch_norm(batch, rm, rv, wt, None, training=True)
(out * torch.tensor([[1.0, 2.0]])).pow(2).sum().backward()
out, rm, rv, torch.where(batch.grad.abs() < 1e-4, 0.0, batch.grad), wt.grad
# %%
F.batch_norm(batch, rm, rv, training=False), F.batch_norm(torch.ones(1, 2), rm, rv, training=True)
# %%
x = torch.randn(2, 3, 4, dtype=torch.float64, requires_grad=True)
ln = lambda x: F.layer_norm(x, (3, 4)).pow(3).sum()
torch.func.jacrev(lambda x: F.layer_norm(x, (3, 4)).pow(3).sum())(x).shape
# %%
H = torch.func.hessian(lambda x: F.layer_norm(x, (4,)).pow(3).sum())(torch.tensor([1.0, 2.0, 0.5, -1.0]))
torch.where(H.abs() < 1e-4, 0.0, H)
# %%
torch.func.vmap(lambda x: F.layer_norm(x, (4,)))(torch.tensor([[1.0, 2.0, 0.5, -1.0], [0.0, 1.0, 2.0, 4.0]]))
