# torch.optim beyond the conformance transcript, on plain tensors: Adadelta, Adamax, AdamW
# with amsgrad, L-BFGS (with and without the strong-Wolfe line search), more lr schedulers,
# the state as PyTorch keeps it, DataLoader shuffling and random_split, and more errors.
# %%
import torch
from torch import optim
target = torch.tensor([3.0, -1.0, 0.5])
scale = torch.tensor([1.0, 4.0, 2.0])
def loss_fn(w):
    return ((w - target) ** 2 * scale).sum()
def run(make_opt, steps=5, start=(0.0, 0.0, 0.0)):
    w = torch.tensor(start, requires_grad=True)
    opt = make_opt([w])
    for i in range(steps):
        opt.zero_grad()
        loss = loss_fn(w)
        loss.backward()
        opt.step()
    return opt, w
opt, w = run(lambda p: optim.Adadelta(p, lr=1.0))
w.tolist(), opt.state[w]["square_avg"].tolist(), opt.state[w]["acc_delta"].tolist()
# %%
opt
# %%
opt, w = run(lambda p: optim.Adadelta(p, lr=0.5, rho=0.8, weight_decay=0.1, maximize=True))
w.tolist()
# %%
opt, w = run(lambda p: optim.Adamax(p, lr=0.3))
w.tolist(), sorted(opt.state[w].keys()), opt.state[w]["exp_inf"].tolist(), opt.state[w]["step"]
# %%
opt, w = run(lambda p: optim.Adamax(p, lr=0.3, betas=(0.5, 0.9), weight_decay=0.2))
w.tolist()
# %%
opt, w = run(lambda p: optim.AdamW(p, lr=0.2, amsgrad=True), steps=8)
w.tolist(), opt.state[w]["max_exp_avg_sq"].tolist()
# %%
opt, w = run(lambda p: optim.Adam(p, lr=0.2, maximize=True, weight_decay=0.1), steps=6)
w.tolist()
# %%
opt, w = run(lambda p: optim.RMSprop(p, lr=0.01, weight_decay=0.1, momentum=0.9), steps=6)
w.tolist(), sorted(opt.state[w].keys())
# %%
opt, w = run(lambda p: optim.SGD(p, lr=0.02, momentum=0.8, nesterov=True, weight_decay=0.3), steps=6)
w.tolist(), opt.state[w]["momentum_buffer"].tolist()
# %%
opt, w = run(lambda p: optim.Adagrad(p, lr=0.3, weight_decay=0.2, maximize=True), steps=4)
w.tolist(), opt.state[w]
# %%
opt.state
# %%
type(opt), type(opt).__name__, isinstance(opt, optim.Optimizer), optim.Adagrad.__module__
# %%
def lbfgs(line_search_fn=None, steps=2):
    w = torch.tensor([0.0, 0.0, 0.0], requires_grad=True)
    opt = optim.LBFGS([w], lr=1, max_iter=5, line_search_fn=line_search_fn)
    def closure():
        opt.zero_grad()
        loss = ((w - target) ** 4 * scale).sum() + (w ** 2).sum()
        loss.backward()
        return loss
    losses = [opt.step(closure).item() for _ in range(steps)]
    return losses, w.tolist(), opt.state[w]["func_evals"], opt.state[w]["n_iter"]
lbfgs()
# %%
lbfgs("strong_wolfe")
# %%
def lrs(make_sched, epochs=6, lr=0.1, metrics=None):
    o = optim.SGD([torch.zeros(1, requires_grad=True)], lr=lr, momentum=0.9)
    s = make_sched(o)
    out = [s.get_last_lr()[0]]
    for e in range(epochs):
        o.step()
        if metrics is None:
            s.step()
        else:
            s.step(metrics[e])
        out.append(s.get_last_lr()[0])
    return out, o.param_groups[0]["momentum"]
lrs(lambda o: optim.lr_scheduler.CosineAnnealingLR(o, T_max=4), epochs=9)
# %%
lrs(lambda o: optim.lr_scheduler.CosineAnnealingLR(o, T_max=3, eta_min=0.01))
# %%
lrs(lambda o: optim.lr_scheduler.ReduceLROnPlateau(o, patience=1, factor=0.5), epochs=8, metrics=[5, 4, 4, 4, 4, 3, 3, 3])
# %%
lrs(lambda o: optim.lr_scheduler.ReduceLROnPlateau(o, mode="max", patience=0, cooldown=1, min_lr=0.03), epochs=6, metrics=[1, 1, 1, 1, 1, 1])
# %%
lrs(lambda o: optim.lr_scheduler.OneCycleLR(o, max_lr=1.0, total_steps=10), epochs=9)
# %%
lrs(lambda o: optim.lr_scheduler.OneCycleLR(o, max_lr=0.5, epochs=2, steps_per_epoch=4, anneal_strategy="linear", three_phase=True), epochs=7)
# %%
o = optim.Adam([torch.zeros(2, requires_grad=True)], lr=0.01)
s = optim.lr_scheduler.OneCycleLR(o, max_lr=0.1, total_steps=5)
o.param_groups[0]["betas"], o.param_groups[0]["initial_lr"], o.param_groups[0]["max_lr"], o.param_groups[0]["min_lr"], s.get_last_lr()
# %%
o = optim.SGD([torch.zeros(1, requires_grad=True)], lr=1.0)
s = optim.lr_scheduler.MultiStepLR(o, milestones=[1, 3, 3], gamma=0.5)
out = []
for _ in range(5):
    o.step()
    s.step()
    out.append(s.get_last_lr())
out, s.last_epoch, s.base_lrs
# %%
o = optim.SGD([torch.zeros(1, requires_grad=True)], lr=1.0)
s = optim.lr_scheduler.LambdaLR(o, [lambda e: 0.9 ** e])
s.step(); s.step()
s.get_last_lr(), sorted(s.state_dict().keys())
# %%
class SignSGD(optim.Optimizer):
    def __init__(self, params, lr=0.01):
        super().__init__(params, dict(lr=lr))
    @torch.no_grad()
    def step(self, closure=None):
        for group in self.param_groups:
            for p in group["params"]:
                if p.grad is not None:
                    p.add_(p.grad.sign(), alpha=-group["lr"])
                    self.state[p]["n"] = self.state[p].get("n", 0) + 1
opt, w = run(lambda p: SignSGD(p, lr=0.25), steps=3)
w, opt.state[w], opt
# %%
@torch.no_grad()
def doubled(t):
    return t * 2, torch.is_grad_enabled()
doubled(torch.ones(1, requires_grad=True)), torch.is_grad_enabled()
# %%
from torch.utils.data import DataLoader, TensorDataset, random_split, Subset
torch.manual_seed(7)
X = torch.arange(24.0).reshape(12, 2)
y = torch.arange(12)
ds = TensorDataset(X, y)
loader = DataLoader(ds, batch_size=5, shuffle=True)
len(ds), len(loader), ds[4]
# %%
[yb.tolist() for _, yb in loader], [yb.tolist() for _, yb in loader]
# %%
[yb.tolist() for _, yb in DataLoader(ds, batch_size=5, shuffle=True, drop_last=True)], len(DataLoader(ds, batch_size=5, drop_last=True))
# %%
xb, yb = next(iter(DataLoader(ds, batch_size=3)))
xb, yb, xb.is_contiguous()
# %%
g = torch.Generator().manual_seed(1)
train, test = random_split(ds, [0.75, 0.25], generator=g)
len(train), len(test), train.indices, test.indices, type(train).__name__
# %%
[b.tolist() for b in DataLoader([1.5, 2.5, 3.5], batch_size=2)], [b for b in DataLoader([(1, "a"), (2, "b")], batch_size=2)]
# %%
torch.manual_seed(0)
[yb.tolist() for _, yb in DataLoader(ds, batch_size=4, shuffle=True, generator=torch.Generator().manual_seed(3))], torch.rand(1)
# %%
optim.SGD([torch.zeros(1, requires_grad=True)], lr=0.1, betas=(0.9, 0.99))
# %%
optim.RMSprop([torch.zeros(1, requires_grad=True)], alpha=-0.5)
# %%
optim.Adadelta([torch.zeros(1, requires_grad=True)], rho=1.5)
# %%
optim.SGD([torch.zeros(1, requires_grad=True)], momentum=-1)
# %%
optim.Adam([torch.zeros(1, requires_grad=True)], betas=(0.9, 1))
# %%
optim.SGD([{"params": [torch.zeros(1, requires_grad=True)], "lr": 0.1}])
# %%
optim.SGD([1.0], lr=0.1)
# %%
optim.lr_scheduler.StepLR(None, step_size=1)
# %%
optim.LBFGS([{"params": [torch.zeros(1, requires_grad=True)]}, {"params": [torch.ones(1, requires_grad=True)]}])
# %%
o = optim.Adam([torch.zeros(1, requires_grad=True)], lr=0.1)
o.load_state_dict({"state": {}, "param_groups": []})
# %%
TensorDataset(torch.zeros(3), torch.zeros(4))
