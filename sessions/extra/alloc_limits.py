# %%
# Allocations the machine cannot hold and sizes that overflow fail like PyTorch; the session goes on.
import torch
import torch.nn.functional as F
torch.eye(100000)
# %%
torch.arange(10**11)
# %%
torch.linspace(0, 1, 10**11)
# %%
torch.randperm(10**11)
# %%
t = torch.tensor([1, 2])
F.one_hot(t, 10**11)
# %%
F.pad(torch.ones(2), (10**11, 0))
# %%
e = torch.ones(10**6).expand(10**5, -1)
e.exp()
# %%
e.clone()
# %%
e.contiguous()
# %%
e.sort()
# %%
torch.cat([e, e])
# %%
torch.eye(2**31 - 1)
# %%
torch.eye(2**62)
# %%
torch.zeros(2**32, dtype=torch.float64)
# %%
torch.diag(torch.ones(3), diagonal=2**62)
# %%
torch.diag(torch.ones(3), diagonal=2**40)
# %%
torch.diag(torch.tensor([1., 2., 3.]), diagonal=9223372036854775807)
# %%
torch.argmin(torch.randn(3, 0, 10**9), -2)
# %%
torch.tensor(3).topk(0)
# %%
torch.split(torch.randn(()), 3)
# %%
torch.ones(3)
