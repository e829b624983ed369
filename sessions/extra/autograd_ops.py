# Gradients and grad_fn names of ops lessons use: clamp, where, norm, var/std, logsumexp, fancy and boolean indexing, outer, mse_loss, linear, batched matmul.
# %%
import torch
import torch.nn.functional as F
x = torch.tensor([-2.0, -0.5, 0.5, 2.0], requires_grad=True)
y = x.clamp(-1.0, 1.0)
y
# %%
y.sum().backward()
x.grad
# %%
x.grad = None
x.clamp(min=0).sum().backward()
x.grad, x.clamp(max=0.0)
# %%
x.grad = None
w = torch.where(x > 0, x ** 2, -x)
w
# %%
w.sum().backward()
x.grad
# %%
v = torch.tensor([3.0, 4.0], requires_grad=True)
n = v.norm()
n
# %%
n.backward()
v.grad
# %%
v.grad = None
torch.norm(v, p=1), v.norm(dim=0), torch.linalg.norm(v)
# %%
s = torch.tensor([1.0, 2.0, 4.0, 7.0], requires_grad=True)
s.var(), s.std(), s.var(unbiased=False), s.std(correction=0)
# %%
s.var().backward()
s.grad
# %%
s.grad = None
s.std().backward()
s.grad
# %%
m = torch.tensor([[1.0, 2.0], [3.0, 5.0]], requires_grad=True)
m.var(dim=0), m.std(dim=1, keepdim=True)
# %%
l = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
lse = torch.logsumexp(l, dim=0)
lse
# %%
lse.backward()
l.grad
# %%
m.logsumexp(dim=1)
# %%
a = torch.tensor([10.0, 20.0, 30.0], requires_grad=True)
picked = a[[0, 2]]
picked
# %%
picked.sum().backward()
a.grad
# %%
a[torch.tensor([1, 1, 0])]
# %%
v = torch.tensor([0.5, 1.5, 2.5], requires_grad=True)
big = v[v > 1]
big
# %%
big.sum().backward()
v.grad
# %%
a[1], a[1:], a[-1]
# %%
p = torch.tensor([1.0, 2.0], requires_grad=True)
q = torch.tensor([3.0, 4.0, 5.0], requires_grad=True)
o = torch.outer(p, q)
o
# %%
o.sum().backward()
p.grad, q.grad
# %%
pred = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
target = torch.tensor([1.5, 2.0, 2.0])
loss = F.mse_loss(pred, target)
loss
# %%
loss.backward()
pred.grad
# %%
F.mse_loss(pred, target, reduction="sum"), F.mse_loss(pred, target, reduction="none")
# %%
W = torch.tensor([[1.0, 0.5], [-1.0, 2.0], [0.0, 1.0]], requires_grad=True)
b = torch.tensor([0.1, 0.2, 0.3], requires_grad=True)
inp = torch.tensor([[1.0, 2.0]])
out = F.linear(inp, W, b)
out
# %%
out.sum().backward()
W.grad, b.grad
# %%
F.linear(inp, W)
# %%
A = torch.arange(12.0).reshape(2, 3, 2).requires_grad_()
B = torch.tensor([[1.0, -1.0], [0.5, 2.0]], requires_grad=True)
C = A @ B
C
# %%
C.sum().backward()
A.grad, B.grad
# %%
torch.matmul(A, torch.tensor([1.0, 1.0]))
# %%
e = torch.tensor([1.0, 4.0], requires_grad=True)
(e.sqrt() + e.rsqrt()).sum().backward()
e.grad
# %%
t = torch.tensor([[1.0, -2.0], [3.0, 0.5]], requires_grad=True)
t.abs().max(), t.amax(dim=0), t.min(dim=1)
