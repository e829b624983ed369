# %%
# What a learner sees when a cell asks for more than the machine has: PyTorch's allocator
# error, and the session goes on with everything it had.
import torch
x = torch.ones(3)
big = torch.zeros(100000, 100000, 100)
# %%
torch.ones(100000, 1) + torch.ones(1, 10000000)
# %%
torch.ones(10**7, 1) @ torch.ones(1, 10**7)
# %%
torch.ones(2).repeat(10**6, 10**6)
# %%
x * 2
