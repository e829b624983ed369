# The pattern torch.nn.Module is built on, written by hand: __setattr__ routing tensors and
# submodules into registries, __getattr__ reading them back, __call__ -> forward, generators
# over parameters, super().__init__() chains, and training a two-layer net with it.
# %%
import torch
class Module:
    def __init__(self):
        object.__setattr__(self, "_params", {})
        object.__setattr__(self, "_modules", {})
    def __setattr__(self, name, value):
        if isinstance(value, torch.Tensor):
            self._params[name] = value
        elif isinstance(value, Module):
            self._modules[name] = value
        else:
            object.__setattr__(self, name, value)
    def __getattr__(self, name):
        if name in self._params:
            return self._params[name]
        if name in self._modules:
            return self._modules[name]
        raise AttributeError(f"'{type(self).__name__}' object has no attribute '{name}'")
    def __call__(self, *args, **kwargs):
        return self.forward(*args, **kwargs)
    def parameters(self):
        yield from self._params.values()
        for m in self._modules.values():
            yield from m.parameters()
    def __repr__(self):
        inner = ", ".join(f"{k}={v!r}" for k, v in self._modules.items())
        return f"{type(self).__name__}({inner})"
class Linear(Module):
    def __init__(self, n_in, n_out):
        super().__init__()
        self.weight = torch.randn(n_out, n_in, requires_grad=True)
        self.bias = torch.zeros(n_out, requires_grad=True)
        self.shape = (n_in, n_out)
    def forward(self, x):
        return x @ self.weight.T + self.bias
    def __repr__(self):
        return f"Linear{self.shape}"
class Net(Module):
    def __init__(self):
        super().__init__()
        self.l1 = Linear(3, 4)
        self.l2 = Linear(4, 1)
    def forward(self, x):
        return self.l2(self.l1(x).tanh())
torch.manual_seed(0)
net = Net()
net, len(list(net.parameters())), [tuple(p.shape) for p in net.parameters()], "l1" in vars(net)
# %%
net.nothing
# %%
x = torch.randn(8, 3)
y = x.sum(dim=1, keepdim=True)
for step in range(50):
    loss = ((net(x) - y) ** 2).mean()
    for p in net.parameters():
        p.grad = None
    loss.backward()
    with torch.no_grad():
        for p in net.parameters():
            p -= 0.1 * p.grad
loss
