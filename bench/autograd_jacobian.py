# Jacobians without torch.func: the row-by-row torch.autograd.grad baseline of PyTorch's
# "Jacobians, Hessians, hvp, vhp, and more" tutorial (Din = Dout = 16), and
# torch.autograd.functional.jacobian of exp_reducer(x) = x.exp().sum(dim=1) at a 64x64 input
# (the example of its documentation, scaled up): 64 outputs, a (64, 64, 64) Jacobian, computed
# with one backward pass per output, and with vectorize=True (one vmapped pass).
# Runs unmodified under `gradbook run` and `python`; prints `NAME: SECONDS s` per measurement.
import time
import torch
import torch.nn.functional as F
from torch.autograd.functional import jacobian

torch.manual_seed(0)


def predict(weight, bias, x):
    return F.linear(x, weight, bias).tanh()


def exp_reducer(x):
    return x.exp().sum(dim=1)


def median_time(fn, reps):
    fn()  # warm-up: first calls pay one-off costs (allocation, dispatch caches)
    times = []
    for _ in range(reps):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    times = sorted(times)
    return times[len(times) // 2]


# Row-by-row Jacobian with torch.autograd.grad, one unit vector per output.
d = 16
weight = torch.randn(d, d)
bias = torch.randn(d)
xp = torch.randn(d).requires_grad_()
unit_vectors = torch.eye(d)


def compute_jac(xp):
    rows = [torch.autograd.grad(predict(weight, bias, xp), xp, vec)[0] for vec in unit_vectors]
    return torch.stack(rows)


reference = jacobian(lambda x: predict(weight, bias, x), xp.detach())
assert torch.allclose(compute_jac(xp), reference, atol=1e-6)
t = median_time(lambda: compute_jac(xp), 100)
print(f"autograd.grad rows Din={d} Dout={d}: {t:.6f} s")

inputs = torch.rand(64, 64)
loop = jacobian(exp_reducer, inputs)
vectorized = jacobian(exp_reducer, inputs, vectorize=True)
assert loop.shape == (64, 64, 64)
assert torch.allclose(loop, vectorized)

t = median_time(lambda: jacobian(exp_reducer, inputs), 30)
print(f"jacobian exp_reducer 64x64: {t:.6f} s")
t = median_time(lambda: jacobian(exp_reducer, inputs, vectorize=True), 30)
print(f"jacobian exp_reducer 64x64 vectorize=True: {t:.6f} s")
