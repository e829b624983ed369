# The Jacobian benchmark's workloads (bench/) at small sizes with their values: PyTorch's "Jacobians, Hessians, hvp, vhp, and more" tutorial and autograd.functional.jacobian.
# %%
import time
import torch
import torch.nn.functional as F
from torch.func import jacrev, jacfwd, hessian, vmap
from torch.autograd.functional import jacobian
_ = torch.manual_seed(0)
def predict(weight, bias, x):
    return F.linear(x, weight, bias).tanh()
weight = torch.randn(3, 4)
bias = torch.randn(3)
x = torch.randn(4)
predict(weight, bias, x)
# %%
jac = jacrev(predict, argnums=2)(weight, bias, x)
jac
# %%
torch.allclose(jac, jacfwd(predict, argnums=2)(weight, bias, x)), jac.shape
# %%
xp = x.clone().requires_grad_()
unit_vectors = torch.eye(3)
rows = [torch.autograd.grad(predict(weight, bias, xp), xp, vec)[0] for vec in unit_vectors]
torch.stack(rows)
# %%
jw, jb = jacrev(predict, argnums=(0, 1))(weight, bias, x)
jw.shape, jb
# %%
hess = hessian(predict, argnums=2)(weight, bias, x)
hess.shape, hess[0]
# %%
torch.allclose(hess, jacfwd(jacfwd(predict, argnums=2), argnums=2)(weight, bias, x), atol=1e-6)
# %%
hessian(lambda x: predict(weight, bias, x).sum())(x)
# %%
xb = torch.randn(2, 4)
batch_jac = vmap(jacrev(predict, argnums=2), in_dims=(None, None, 0))(weight, bias, xb)
batch_jac
# %%
def predict_with_output_summed(weight, bias, x):
    return predict(weight, bias, x).sum(0)
summed = jacrev(predict_with_output_summed, argnums=2)(weight, bias, xb)
summed.shape, summed.movedim(1, 0).shape, torch.allclose(summed.movedim(1, 0), batch_jac)
# %%
def exp_reducer(x):
    return x.exp().sum(dim=1)
inputs = torch.rand(2, 2)
jacobian(exp_reducer, inputs)
# %%
torch.allclose(jacobian(exp_reducer, inputs), jacobian(exp_reducer, inputs, vectorize=True))
# %%
start = time.perf_counter()
elapsed = time.perf_counter() - start
type(start).__name__, elapsed >= 0.0
# %%
times = sorted([0.0031, 0.0012, 0.0027, 0.0009, 0.0015])
median = times[len(times) // 2]
print(f"jacrev Din={4} Dout={3}: {median:.6f} s")
