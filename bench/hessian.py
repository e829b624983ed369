# hessian(predict, argnums=2) at (Din, Dout) = (512, 32), as in PyTorch's "Jacobians,
# Hessians, hvp, vhp, and more" tutorial (a (Dout, Din, Din) Hessian of a vector-valued
# function), next to jacfwd(jacfwd), which the tutorial compares it with. (Its third variant,
# jacrev(jacrev), takes over a second a call under PyTorch on 2 cores, so it is left out.)
# Runs unmodified under `gradbook run` and `python`; prints `NAME: SECONDS s` per measurement.
import time
import torch
import torch.nn.functional as F
from torch.func import jacrev, jacfwd, hessian

torch.manual_seed(0)


def predict(weight, bias, x):
    return F.linear(x, weight, bias).tanh()


def median_time(fn, reps):
    fn()  # warm-up: first calls pay one-off costs (allocation, dispatch caches)
    times = []
    for _ in range(reps):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    times = sorted(times)
    return times[len(times) // 2]


din, dout = 512, 32
weight = torch.randn(dout, din)
bias = torch.randn(dout)
x = torch.randn(din)

hess = hessian(predict, argnums=2)(weight, bias, x)
assert hess.shape == (dout, din, din)
fwdfwd = jacfwd(jacfwd(predict, argnums=2), argnums=2)(weight, bias, x)
assert torch.allclose(hess, fwdfwd, atol=1e-6)

# The Hessian of a scalar: the summed outputs, a (Din, Din) matrix. Checked against
# reverse-over-reverse, which shares no derivative code with hessian's forward-over-reverse
# (the checks above compare forward-mode results with each other).
scalar = hessian(lambda x: predict(weight, bias, x).sum())(x)
revrev = jacrev(jacrev(lambda x: predict(weight, bias, x).sum()))(x)
assert torch.allclose(scalar, revrev, atol=1e-5)
assert torch.allclose(scalar, hess.sum(0), atol=1e-5)
t = median_time(lambda: hessian(predict, argnums=2)(weight, bias, x), 10)
print(f"hessian Din={din} Dout={dout}: {t:.6f} s")
t = median_time(lambda: jacfwd(jacfwd(predict, argnums=2), argnums=2)(weight, bias, x), 3)
print(f"jacfwd(jacfwd) Din={din} Dout={dout}: {t:.6f} s")

t = median_time(lambda: hessian(lambda x: predict(weight, bias, x).sum())(x), 20)
print(f"hessian of sum Din={din} Dout={dout}: {t:.6f} s")
