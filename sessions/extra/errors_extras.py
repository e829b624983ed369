# More of what a learner sees when something is wrong: shape, dtype and autograd errors with PyTorch's own wording.
# %%
import torch
import torch.nn.functional as F
torch.arange(6.0).view(4, 2)
# %%
torch.arange(6.0).view(-1, 4)
# %%
torch.arange(6.0).view(-1, -1)
# %%
torch.arange(6.0).reshape(2, 3).t().view(6)
# %%
x = torch.tensor([1, 2, 3])
x.sum().backward()
# %%
torch.tensor([1.0, 2.0]).long().requires_grad_()
# %%
torch.mv(torch.ones(2, 3), torch.ones(2))
# %%
torch.dot(torch.ones(3), torch.ones(4))
# %%
torch.dot(torch.ones(2, 2), torch.ones(2, 2))
# %%
torch.bmm(torch.ones(2, 3, 4), torch.ones(2, 5, 6))
# %%
torch.bmm(torch.ones(3, 4), torch.ones(4, 5))
# %%
torch.mm(torch.ones(3), torch.ones(3))
# %%
torch.cat([torch.tensor(1.0), torch.tensor(2.0)])
# %%
torch.cat([torch.ones(2), torch.ones(2)], dim=1)
# %%
torch.tensor([1.0, 2.0, 3.0]).item()
# %%
torch.ones(2, 2).item()
# %%
torch.tensor([[1, 2], [3]])
# %%
torch.tensor([[1.0], [2.0, 3.0]])
# %%
torch.tensor([1.0, "a"])
# %%
torch.ones(2, 3).transpose(0, 2)
# %%
torch.ones(2, 3).permute(1, 0, 2)
# %%
torch.ones(2, 3).unsqueeze(3)
# %%
torch.ones(2, 3).expand(4, 3)
# %%
torch.ones(2, 3)[:, 3]
# %%
torch.ones(2, 3)[0, 0, 0]
# %%
x = torch.tensor([1.0, 2.0], requires_grad=True)
torch.autograd.grad(x.sum(), x)
torch.autograd.grad(x * 2, x)
# %%
y = x ** 2
torch.autograd.grad(y.sum(), [x])
torch.autograd.grad(y.sum(), [x])
# %%
F.mse_loss(torch.ones(3), torch.ones(3, dtype=torch.float64))
# %%
F.linear(torch.ones(2, 3), torch.ones(4, 2))
# %%
torch.ones(2, 3) @ torch.ones(4, 5, 6)
# %%
torch.zeros(2).backward()
# %%
bool(torch.tensor([1.0, 2.0]))
# %%
for v in torch.tensor(3.0):
    print(v)
# %%
torch.ones(3).grad.zero_()
# %%
torch.softmax(torch.ones(2, 2), dim=3)
# %%
torch.ones(2, 2).max(dim=5)
# %%
torch.arange(5).float().mean(), torch.arange(5).mean()
