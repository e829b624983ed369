# %%
# Elementwise results keep their operands' memory layout, as PyTorch's TensorIterator lays them out.
import torch
x = torch.arange(12.).reshape(3, 4)
s = torch.arange(9.).reshape(3, 3)
x.stride(), x.t().stride(), x.storage_offset(), x[1:].storage_offset()
# %%
(x.t() * 2).stride(), (2 - x.t()).stride(), x.t().exp().stride(), torch.tanh(x.t()).stride()
# %%
(s.t() + s).stride(), (s + s.t()).stride()
# %%
p = torch.arange(24.).reshape(2, 3, 4).permute(2, 0, 1)
(p * 1).stride(), (p + p).stride(), (p + 1.5).stride()
# %%
r = torch.arange(4.)
(x.t() * r.reshape(4, 1)).stride(), (r.reshape(4, 1) * x.t()).stride()
# %%
(x.t() > 1).stride(), (x.t() ** 2).stride(), (x.t() / 3).stride()
# %%
x.t()[1:3].mul(2).stride(), x.t().unsqueeze(1).mul(2).stride()
# %%
y = x.t() * 2
y.is_contiguous(), y.contiguous().stride(), y.reshape(-1).stride()
# %%
y
# %%
y.view(-1)
# %%
y.stride(1), y.stride(-2)
# %%
torch.tensor(3.).stride()
# %%
torch.tensor(3.).stride(0)
# %%
torch.func.jacrev(torch.tanh)(torch.tensor([0.5, -1.0, 2.0]))
# %%
torch.func.jacfwd(torch.sin)(torch.tensor([0.5, -1.0]))
# %%
# A leaf's .grad is laid out like the leaf (PyTorch's gradient layout contract).
a = torch.arange(6.).reshape(2, 3).t().requires_grad_()
(a * 3).sum().backward()
a.grad.stride(), a.grad
# %%
b = torch.arange(8.).reshape(2, 4)[:, ::2].requires_grad_()
(b * b).sum().backward()
b.grad.stride(), b.grad
# %%
# Jacobians have PyTorch's strides: jacrev's rows come out contiguous, jacfwd's are a
# transposed view (functorch moves the basis dim last), so only jacrev's result can .view(-1).
from torch.func import jacrev, jacfwd, vmap
from torch.autograd.functional import jacobian, hessian
x = torch.tensor([0.5, -1.0, 2.0])
jacrev(torch.sin)(x).stride(), jacfwd(torch.sin)(x).stride()
# %%
jacrev(torch.sin)(x).view(-1)
# %%
jacfwd(torch.sin)(x).view(-1)
# %%
jacobian(torch.sin, x).stride(), jacobian(torch.sin, x, vectorize=True).stride(), jacobian(torch.sin, x, vectorize=True, strategy="forward-mode").stride()
# %%
hessian(lambda t: t.sin().sum(), x).stride(), torch.func.hessian(lambda t: t.sin().sum())(x).stride()
# %%
W = torch.arange(6.).reshape(2, 3) / 10
jacrev(lambda t: (W @ t).tanh())(x).stride(), jacfwd(lambda t: (W @ t).tanh())(x).stride()
# %%
jacrev(lambda t: t.reshape(3, 1).sin())(x).stride(), jacrev(torch.sin, chunk_size=2)(x).stride()
# %%
X = torch.arange(6.).reshape(2, 3)
vmap(torch.sin)(X.t()).stride(), vmap(torch.sin, in_dims=1)(X).stride()
# %%
# Forward-mode tangents are laid out like their primals, batch dims outermost.
from torch.func import jvp
T = torch.eye(3)
vmap(lambda v: W @ v)(T).stride(), vmap(lambda v: jvp(lambda t: W @ t, (x,), (v,))[1])(T).stride()
# %%
vmap(lambda v: jvp(torch.sin, (x,), (v,))[1])(T.t()).stride(), jvp(torch.sin, (x,), (T[0],))[1].stride()
# %%
W4 = torch.arange(12.).reshape(4, 3) / 10
torch.func.hessian(lambda t: (W4 @ t).tanh())(x).stride(), jacfwd(jacrev(lambda t: (W4 @ t).tanh()))(x).stride()
# %%
# Jacobians with over a thousand outputs are pulled back in blocks; values and strides are
# those of one pass.
xs = torch.linspace(-1, 1, 1100)
J = jacrev(torch.sin)(xs)
J.stride(), torch.equal(J, torch.diag(torch.cos(xs)))
# %%
W3 = torch.linspace(-1, 1, 3300).reshape(1100, 3)
x3 = torch.tensor([0.5, -1.0, 2.0])
J3 = jacrev(lambda t: (W3 @ t).tanh())(x3)
J3.shape, J3.stride(), J3[::275]
# %%
J4 = jacobian(lambda t: (W3 @ t).exp(), x3, vectorize=True)
J4.shape, torch.allclose(J4, (W3 @ x3).exp().reshape(-1, 1) * W3)
# %%
# Under vmap, a Jacobian has the vmap dim outermost, as PyTorch lays it out.
X2 = torch.arange(6.).reshape(2, 3) / 7
g2 = lambda t: t.sin().sum()
vmap(jacrev(torch.sin))(X2).stride(), vmap(jacfwd(torch.sin))(X2).stride(), vmap(torch.func.hessian(g2))(X2).stride()
# %%
vmap(jacrev(torch.sin))(X2).view(-1)[:4]
# %%
# autograd.functional's vectorized Jacobian batches like torch._vmap_internals (a matrix times
# a batched vector comes out batch-first), so its result is contiguous where jacrev's is not.
Wl = torch.arange(12.).reshape(4, 3) / 10
jacobian(lambda t: Wl @ t, x, vectorize=True).stride(), jacrev(lambda t: Wl @ t)(x).stride()
# %%
hessian(lambda t: (Wl @ t).tanh().sum(), x, vectorize=True).stride(), hessian(lambda t: (Wl @ t).tanh().sum(), x, vectorize=True, outer_jacobian_strategy="forward-mode").stride()
# %%
# clone, to and the *_like factories keep the layout (preserve_format); masked_fill does not.
tt = torch.arange(12.).reshape(3, 4).t()
tt.clone().stride(), tt.double().stride(), torch.zeros_like(tt).stride(), torch.full_like(tt, 2.).stride()
# %%
torch.where(tt > 3, tt, 0.).stride(), tt.clamp(1, 5).stride(), tt.masked_fill(tt > 3, 0.).stride()
# %%
torch.manual_seed(0)
r = torch.rand_like(tt)
torch.manual_seed(0)
r.stride(), torch.equal(r, torch.rand(3, 4).t())
# %%
(lambda a: torch.autograd.grad((a * a).sum(), a)[0].stride())(tt.clone().requires_grad_())
# %%
# A Python number to a tensor's power is written in C order, unlike tensor ** tensor.
(2 ** tt).stride(), (torch.tensor(2.) ** tt).stride(), (tt ** 2).stride()
# %%
(tt.unsqueeze(0) * 2).stride(), tt.unsqueeze(1).clone().stride()
