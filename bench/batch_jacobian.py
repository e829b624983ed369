# Batched Jacobians from PyTorch's "Jacobians, Hessians, hvp, vhp, and more" tutorial: a batch
# of 64 inputs with (Din, Dout) = (31, 33), once with vmap(jacrev(...)) and once with the
# "sum the outputs, then one jacrev" trick. (The tutorial's row-by-row autograd.grad baseline is
# in autograd_jacobian.py, which needs no torch.func.)
# Runs unmodified under `gradbook run` and `python`; prints `NAME: SECONDS s` per measurement.
import time
import torch
import torch.nn.functional as F
from torch.func import jacrev, vmap

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


batch_size, din, dout = 64, 31, 33
weight = torch.randn(dout, din)
bias = torch.randn(dout)
x = torch.randn(batch_size, din)

compute_batch_jacobian = vmap(jacrev(predict, argnums=2), in_dims=(None, None, 0))


def predict_with_output_summed(weight, bias, x):
    return predict(weight, bias, x).sum(0)


batch0 = compute_batch_jacobian(weight, bias, x)
batch1 = jacrev(predict_with_output_summed, argnums=2)(weight, bias, x).movedim(1, 0)
assert batch0.shape == (batch_size, dout, din)
assert torch.allclose(batch0, batch1, atol=1e-6)

t = median_time(lambda: compute_batch_jacobian(weight, bias, x), 100)
print(f"vmap(jacrev) B={batch_size} Din={din} Dout={dout}: {t:.6f} s")
t = median_time(lambda: jacrev(predict_with_output_summed, argnums=2)(weight, bias, x), 100)
print(f"jacrev of sum B={batch_size} Din={din} Dout={dout}: {t:.6f} s")
