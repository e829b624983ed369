# A 2-layer MLP (10 -> 64 -> ReLU -> 1) trained with torch.optim.Adam(lr=1e-3) and nn.MSELoss
# on 256 examples of a noisy tanh(X w) target, full batch, 500 steps. One measurement is one
# whole training run (model built from the seed).
# Runs unmodified under `gradbook run` and `python`; prints `NAME: SECONDS s` per measurement.
import time
import torch
from torch import nn

torch.manual_seed(0)
X = torch.randn(256, 10)
true_w = torch.randn(10, 1)
Y = torch.tanh(X @ true_w) + 0.1 * torch.randn(256, 1)


def train():
    torch.manual_seed(1)
    model = nn.Sequential(nn.Linear(10, 64), nn.ReLU(), nn.Linear(64, 1))
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = nn.MSELoss()
    for step in range(500):
        opt.zero_grad()
        loss = loss_fn(model(X), Y)
        loss.backward()
        opt.step()
    return loss.item()


def median_time(fn, reps):
    fn()  # warm-up
    times = []
    for _ in range(reps):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    times = sorted(times)
    return times[len(times) // 2]


final = train()
assert final < 0.1, final
print(f"final loss {final}")
t = median_time(train, 3)
print(f"MLP 10-64-1 Adam 256 examples 500 steps: {t:.6f} s")
