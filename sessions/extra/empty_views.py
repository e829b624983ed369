# Views of empty tensors: an in-place op on a slice that starts past an empty storage's end.
# %%
import torch
v2 = torch.ones((2, 0))
v2[1:] *= 3
v2, v2[1:].sum(), v2[1:].clone(), v2[1:].tolist()
# %%
x = torch.zeros(3, 0, requires_grad=True) * 1
x[2:].mul_(2)
x.shape, x.grad_fn.name()
