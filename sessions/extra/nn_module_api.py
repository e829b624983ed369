# nn.Module beyond the conformance transcript: hooks, containers' editing, ParameterList/Dict,
# dtype conversion, buffers, state_dict round trips, nn.utils, functional_call with vmap/grad
# (per-sample gradients), stack_module_state, and the registration errors.
# %%
import torch
from torch import nn
from torch.func import functional_call, vmap, grad, stack_module_state
torch.manual_seed(0)
model = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 1))
seen = []
h1 = model[0].register_forward_pre_hook(lambda m, args: seen.append(("pre", tuple(args[0].shape))))
h2 = model[0].register_forward_hook(lambda m, args, out: out * 0 + 1)
out = model(torch.ones(2, 3))
h1.remove()
h2.remove()
seen, out, model(torch.ones(2, 3))
# %%
seq = nn.Sequential(nn.ReLU())
seq.append(nn.Tanh())
seq.insert(0, nn.Identity())
seq.extend([nn.Sigmoid()])
del seq[1]
seq, [type(m).__name__ for m in seq]
# %%
pl = nn.ParameterList([nn.Parameter(torch.zeros(2, 3)), torch.ones(4)])
pd = nn.ParameterDict({"a": nn.Parameter(torch.zeros(2)), "b": torch.ones(1, 1)})
pl, pd, len(pl), [n for n, _ in pd.named_parameters()], type(pl[1]).__name__
# %%
torch.manual_seed(1)
lin = nn.Linear(2, 2).double()
lin.weight.dtype, lin(torch.ones(1, 2, dtype=torch.float64)).dtype, lin.float().bias.dtype, lin.to(torch.float64).weight.dtype
# %%
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(2, 1)
        self.register_buffer("steps", torch.tensor(0))
    def forward(self, x):
        self.steps += 1
        return self.fc(x)

torch.manual_seed(2)
net = Net()
net(torch.ones(1, 2))
sd = net.state_dict()
torch.manual_seed(3)
fresh = Net()
fresh.load_state_dict(sd), fresh.steps, torch.equal(fresh.fc.weight, net.fc.weight), list(sd.keys()), [n for n, _ in net.named_buffers()]
# %%
fresh.load_state_dict({"fc.weight": torch.zeros(1, 2), "fc.bias": torch.zeros(1), "steps": torch.tensor(0), "extra": torch.ones(1)})
# %%
torch.manual_seed(4)
lin = nn.Linear(3, 2)
lin(torch.tensor([[1.0, -2.0, 0.5]])).sum().backward()
norm = nn.utils.clip_grad_norm_(lin.parameters(), 0.5)
vec = nn.utils.parameters_to_vector(lin.parameters())
nn.utils.vector_to_parameters(torch.arange(8.0), lin.parameters())
norm, lin.weight.grad, vec, lin.weight, lin.bias
# %%
torch.manual_seed(5)
model = nn.Sequential(nn.Linear(2, 3), nn.Tanh(), nn.Linear(3, 1))
params = {k: v.detach() for k, v in model.named_parameters()}
xs = torch.tensor([[1.0, 2.0], [0.5, -1.0], [0.0, 3.0]])
ys = torch.tensor([[1.0], [0.0], [2.0]])
def loss_fn(p, x, y):
    out = functional_call(model, p, (x.unsqueeze(0),))
    return ((out - y) ** 2).mean()
per_sample = vmap(grad(loss_fn), in_dims=(None, 0, 0))(params, xs, ys)
{k: v.shape for k, v in per_sample.items()}, per_sample["2.bias"], functional_call(model, params, xs)
# %%
torch.manual_seed(6)
models = [nn.Linear(2, 1) for _ in range(3)]
p, b = stack_module_state(models)
ens = vmap(lambda pp, x: functional_call(models[0], pp, (x,)), in_dims=(0, None))(p, torch.ones(4, 2))
{k: (v.shape, v.requires_grad) for k, v in p.items()}, b, ens.shape, torch.allclose(ens[1], models[1](torch.ones(4, 2)))
# %%
m = nn.Module()
m.register_buffer("x", 3)
# %%
m.register_parameter("w", torch.ones(1))
# %%
m.add_module("a.b", nn.ReLU())
# %%
nn.Linear(2, 2).bias = nn.ReLU()
# %%
m.training = False
m.w = nn.Parameter(torch.ones(1))
m.sub = nn.Linear(1, 1)
m, m.training, hasattr(m, "w"), "w" in dict(m.named_parameters()), [n for n, _ in m.named_parameters()]
