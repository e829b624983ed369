# %%
# In-place ops on views of non-leaf tensors rebase the base's history (CopySlices) as PyTorch does.
import torch
x = torch.ones(3, requires_grad=True)
y = x * 1
v = y[1:]
v.mul_(2)
y.grad_fn.name(), v.grad_fn.name(), y
# %%
y.sum().backward()
x.grad
# %%
x = torch.ones(3, requires_grad=True)
y = x * 1
v = y.view(3)
v *= 2
v.grad_fn.name(), y.grad_fn.name()
# %%
(y * torch.tensor([1., 2., 3.])).sum().backward()
x.grad
# %%
x = torch.ones(4, requires_grad=True)
y = x * 2
y[1:].add_(x[1:] * 3)
y.grad_fn.name(), y
# %%
y.sum().backward()
x.grad
# %%
x = torch.ones(2, 3, requires_grad=True)
w = torch.tensor([1., 2., 3.], requires_grad=True)
y = x * 1
y[0].copy_(w * w)
y.grad_fn.name(), y[0].grad_fn.name()
# %%
(y * torch.arange(6.).reshape(2, 3)).sum().backward()
x.grad, w.grad
# %%
x = torch.ones(3, requires_grad=True)
y = x * 5
y[:2].zero_()
y.grad_fn.name(), y
# %%
y.sum().backward()
x.grad
# %%
x = torch.ones(3, requires_grad=True)
y = x * 5
y[1].fill_(7)
y.grad_fn.name(), y
# %%
y.sum().backward()
x.grad
# %%
x = torch.tensor([-2., 0.5, 3.], requires_grad=True)
y = x * 1
y[1:].clamp_(0, 1)
y.grad_fn.name(), y
# %%
y.sum().backward()
x.grad
# %%
x = torch.ones(3, requires_grad=True)
y = x * 1
y[1:] = x[:2] * 4
y.grad_fn.name(), y
# %%
y.sum().backward()
x.grad
# %%
x = torch.ones(2, 4, requires_grad=True)
y = x * 1
v = y[1]
w = v[1:3]
w.mul_(3)
y.grad_fn.name(), v.grad_fn.name(), w.grad_fn.name()
# %%
y.sum().backward()
x.grad
# %%
x = torch.ones(3, requires_grad=True)
y = x * 1
v = y[1:]
v.mul_(2)
v.sum().backward()
x.grad
# %%
x = torch.ones(3, requires_grad=True)
y = x * 1
y.t()[0:2].mul_(2)
y
# %%
x = torch.ones(3, requires_grad=True)
x.view(3).mul_(2)
# %%
x[1:] *= 2
# %%
x.mul_(2)
# %%
torch.zeros(4, 0, requires_grad=True).t().narrow(1, 3, 1).fill_(1.0)
# %%
x[1:] = 0
# %%
with torch.no_grad():
    x[1:] *= 2
x
# %%
z = torch.zeros(3)
z[1:].copy_(x[1:] * 2)
z, z.grad_fn.name(), z.is_leaf
# %%
z.sum().backward()
x.grad
