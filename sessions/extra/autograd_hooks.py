# Autograd beyond backward(): retain_grad, hooks, backward(inputs=...), accumulation and zero_, in-place ops on non-leaves, .data.
# %%
import torch
x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
y = x * 2
y.retain_grad()
z = (y ** 2).sum()
z.backward()
x.grad, y.grad
# %%
y.retains_grad, x.retains_grad, z.retains_grad
# %%
x = torch.tensor([1.0, 2.0], requires_grad=True)
y = x * 3
s = y.sum()
s.backward()
y.grad
# %%
seen = []
x = torch.tensor([1.0, 2.0], requires_grad=True)
h = x.register_hook(lambda g: seen.append(g.clone()))
(x * x).sum().backward()
seen, x.grad
# %%
h.remove()
(x * x).sum().backward()
len(seen), x.grad
# %%
x = torch.tensor([1.0, 2.0], requires_grad=True)
h = x.register_hook(lambda g: g * 10)
(x ** 2).sum().backward()
x.grad
# %%
a = torch.tensor([1.0, 2.0], requires_grad=True)
b = a * a
hb = b.register_hook(lambda g: print("grad of b:", g))
b.sum().backward()
a.grad
# %%
a = torch.tensor(2.0, requires_grad=True)
b = torch.tensor(3.0, requires_grad=True)
loss = a * b + b ** 2
torch.autograd.backward(loss, inputs=[a])
a.grad, b.grad
# %%
loss = a * b + b ** 2
loss.backward(inputs=[b])
a.grad, b.grad
# %%
w = torch.tensor([1.0, -1.0], requires_grad=True)
for step in range(3):
    (w * (step + 1)).sum().backward()
    print(step, w.grad)
# %%
w.grad.zero_()
w.grad
# %%
w.grad = None
(w * 5).sum().backward()
w.grad
# %%
x = torch.tensor([1.0, 2.0], requires_grad=True)
y = x * 2
y.add_(1)
y
# %%
y.grad_fn.name(), y.is_leaf
# %%
y.mul_(3)
y.sum().backward()
x.grad
# %%
x = torch.tensor([1.0, 2.0], requires_grad=True)
y = x.exp()
y.sub_(1)
y.sum().backward()
x.grad
# %%
x = torch.tensor([1.0, 2.0], requires_grad=True)
d = x.data
d.requires_grad, d.is_leaf, d
# %%
x.data.mul_(10)
x
# %%
with torch.no_grad():
    x -= 1
x, x.requires_grad, x.is_leaf
# %%
x.data = torch.tensor([0.5, 0.25])
x
# %%
x = torch.tensor([3.0], requires_grad=True)
y = x.detach().requires_grad_()
y.is_leaf, y.grad_fn is None
# %%
x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
y = x.clone()
y[0] = 10.0
y
# %%
y.sum().backward()
x.grad
# %%
x = torch.tensor([2.0], requires_grad=True)
y = x ** 3
(g,) = torch.autograd.grad(y, x, create_graph=True)
g, g.requires_grad
# %%
g.backward()
x.grad
# %%
x = torch.tensor(1.0, requires_grad=True)
with torch.enable_grad():
    y = x * 2
torch.is_grad_enabled(), y.requires_grad
# %%
with torch.no_grad():
    with torch.enable_grad():
        y = x * 2
    z = x * 2
y.requires_grad, z.requires_grad
# %%
torch.set_grad_enabled(False)
y = x * 2
torch.set_grad_enabled(True)
y.requires_grad, torch.is_grad_enabled()
# %%
x = torch.tensor([1.0, 2.0], requires_grad=True)
y = (x * 2).detach_()
y.requires_grad, y.grad_fn is None
