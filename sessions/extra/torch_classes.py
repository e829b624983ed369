# torch.Tensor as a class (unbound methods, legacy constructor), grad-mode decorators, and user
# classes meeting tensors from either side of an operator.
# %%
import torch
x = torch.tensor([1.0, 2.0])
isinstance(x, torch.Tensor), torch.Tensor.exp(x), torch.Tensor([1.0, 2]), torch.Tensor(2, 3).shape, type(x), type(x) is torch.Tensor, torch.Tensor.__name__
# %%
torch.Tensor.exp(3)
# %%
@torch.no_grad
def f(t):
    return t * 2
@torch.inference_mode()
def g(t):
    return t * 2
@torch.set_grad_enabled(False)
def h(t):
    return t * 2
w = torch.ones(2, requires_grad=True)
f(w).requires_grad, g(w).requires_grad, h(w).requires_grad, torch.is_grad_enabled(), (w * 2).requires_grad
# %%
with torch.enable_grad():
    print(torch.is_grad_enabled())
issubclass(torch.Tensor, object), torch.Tensor.__module__, torch.Size([2, 3]) == (2, 3), isinstance(torch.Size([1]), tuple)
# %%
class Scaled:
    def __init__(self, k):
        self.k = k
    def __mul__(self, t):
        return t * self.k
    def __rmul__(self, t):
        return t * self.k
    def __radd__(self, t):
        return t + self.k
    def __repr__(self):
        return f"Scaled({self.k})"
torch.ones(2) * Scaled(3), Scaled(2) * torch.ones(2), torch.ones(2) + Scaled(5), sum([torch.ones(1), Scaled(1)])
