# %%
# flip and roll: copies with the elements reordered along dims (PyTorch's FlipBackward0, RollBackward0).
import torch
x = torch.arange(6.).reshape(2, 3)
torch.flip(x, [0]), x.flip(1), x.flip((0, 1)), x.flip(-1)
# %%
torch.roll(x, 1), x.roll(1, 1), x.roll(-1, 0), x.roll((1, 2), (0, 1)), x.roll(4, 1)
# %%
a = x.clone().requires_grad_()
y = a.flip(0) * torch.arange(6.).reshape(2, 3)
y
# %%
y.sum().backward()
a.grad
# %%
b = torch.arange(4., requires_grad=True)
z = b.roll(1)
z, (z * torch.tensor([1., 2., 3., 4.])).sum()
# %%
(z * torch.tensor([1., 2., 3., 4.])).sum().backward()
b.grad
# %%
x.flip(0, 1)
# %%
x.flip([0, 0])
# %%
x.flip(2)
# %%
x.roll((1, 2), 0)
# %%
x.roll(1, 2)
# %%
torch.tensor(5.).flip(0)
# %%
torch.tensor(5.).roll(1)
# %%
x.t().flip(0).stride(), x.t().roll(1, 0).stride(), torch.roll(torch.zeros(0), 3)
# %%
torch.func.jacrev(lambda t: t.flip(0) * t)(torch.tensor([1., 2., 3.]))
# %%
torch.func.vmap(lambda r: r.roll(1))(x), torch.func.jacfwd(lambda t: t.roll(1, 0))(torch.tensor([1., 2.]))
# %%
torch.flip(x, dims=[1]), torch.roll(x, shifts=1, dims=1)
# %%
a.flip(0), a.roll(1, 1), torch.func.vmap(lambda m: m.roll(1))(torch.arange(12.).reshape(2, 2, 3))
# %%
torch.func.hessian(lambda t: (t.flip(0) * t.roll(1)).sum())(torch.tensor([1., 2., 3.]))
# %%
torch.func.vmap(lambda m: m.flip(1))(torch.arange(12.).reshape(2, 2, 3)), torch.func.jacrev(lambda t: t.roll(1))(torch.tensor([[1., 2.], [3., 4.]])).shape
