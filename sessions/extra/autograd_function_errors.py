# Custom autograd.Function backward errors: raising, returning garbage, recursion; the session keeps its state.
# %%
import torch
from torch.autograd import Function
class Raises(Function):
    @staticmethod
    def forward(ctx, x):
        return x * 2
    @staticmethod
    def backward(ctx, g):
        raise ValueError("broken backward")
x = torch.tensor([1.0, 2.0], requires_grad=True)
Raises.apply(x).sum().backward()
# %%
class ReturnsStr(Function):
    @staticmethod
    def forward(ctx, x):
        return x * 2
    @staticmethod
    def backward(ctx, g):
        return "nope"
ReturnsStr.apply(x).sum().backward()
# %%
class ReturnsInt(Function):
    @staticmethod
    def forward(ctx, x, y):
        return x * y
    @staticmethod
    def backward(ctx, g):
        return g, 3
ReturnsInt.apply(x, x).sum().backward()
# %%
class WrongDtype(Function):
    @staticmethod
    def forward(ctx, x):
        return x * 2
    @staticmethod
    def backward(ctx, g):
        return torch.ones(2, dtype=torch.float64)
y = WrongDtype.apply(x)
y.sum().backward()
x.grad, x.grad.dtype
# %%
class IntGrad(Function):
    @staticmethod
    def forward(ctx, x):
        return x * 2
    @staticmethod
    def backward(ctx, g):
        return torch.ones(2, dtype=torch.int64)
x.grad = None
IntGrad.apply(x).sum().backward()
x.grad
# %%
class TooManyNone(Function):
    @staticmethod
    def forward(ctx, x):
        return x * 2
    @staticmethod
    def backward(ctx, g):
        return g, None, None
x.grad = None
TooManyNone.apply(x).sum().backward()
x.grad
# %%
class Recurse(Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x * 2
    @staticmethod
    def backward(ctx, g):
        x, = ctx.saved_tensors
        return torch.autograd.grad(Recurse.apply(x).sum(), x)[0]
Recurse.apply(x).sum().backward()
# %%
x.grad = None
(x * 3).sum().backward()
x.grad, x
# %%
class Ret(Function):
    @staticmethod
    def forward(ctx, x):
        return x
    @staticmethod
    def backward(ctx, g):
        return g
r = Ret.apply(x)
r is x, r.grad_fn.name(), r._version
# %%
class NotTensorOut(Function):
    @staticmethod
    def forward(ctx, x):
        return 3
    @staticmethod
    def backward(ctx, g):
        return g
NotTensorOut.apply(x)
# %%
class ListGrad(Function):
    @staticmethod
    def forward(ctx, x):
        return x * 2
    @staticmethod
    def backward(ctx, g):
        return [g * 2]
x.grad = None
ListGrad.apply(x).sum().backward()
x.grad
# %%
class Fn(Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x * 2
    @staticmethod
    def backward(ctx, g):
        return g
out = Fn.apply(x)
out.grad_fn.saved_tensors, out.grad_fn.needs_input_grad, isinstance(out.grad_fn, torch.autograd.graph.Node), type(out.grad_fn).__mro__[1].__name__
# %%
def deep(n):
    return deep(n + 1)
class Recursive(Function):
    @staticmethod
    def forward(ctx, x):
        return x * 2
    @staticmethod
    def backward(ctx, g):
        return deep(0)
Recursive.apply(x).sum().backward()
# %%
x.grad = None
(x * 5).sum().backward()
x.grad, torch.is_grad_enabled()
