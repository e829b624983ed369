# jacrev / jacfwd of predict(weight, bias, x) with respect to x, at the three (Din, Dout)
# shapes of PyTorch's "Jacobians, Hessians, hvp, vhp, and more" tutorial.
# Runs unmodified under `gradbook run` and `python`; prints `NAME: SECONDS s` per measurement.
import time
import torch
import torch.nn.functional as F
from torch.func import jacrev, jacfwd

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


for din, dout, reps in [(16, 16, 100), (32, 2048, 30), (2048, 32, 30)]:
    weight = torch.randn(dout, din)
    bias = torch.randn(dout)
    x = torch.randn(din)
    rev = jacrev(predict, argnums=2)(weight, bias, x)
    fwd = jacfwd(predict, argnums=2)(weight, bias, x)
    assert rev.shape == (dout, din)
    assert torch.allclose(rev, fwd, atol=1e-6)
    t = median_time(lambda: jacrev(predict, argnums=2)(weight, bias, x), reps)
    print(f"jacrev Din={din} Dout={dout}: {t:.6f} s")
    t = median_time(lambda: jacfwd(predict, argnums=2)(weight, bias, x), reps)
    print(f"jacfwd Din={din} Dout={dout}: {t:.6f} s")
