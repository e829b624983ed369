# The polynomial fit of PyTorch's "Learning PyTorch with Examples" (its nn + optim version):
# y = sin(x) on 2,000 points of [-pi, pi], fitted by a + b x + c x^2 + d x^3 with
# nn.Sequential(nn.Linear(3, 1), nn.Flatten(0, 1)), nn.MSELoss(reduction='sum') and
# torch.optim.RMSprop(lr=1e-3), 2,000 steps. One measurement is one whole training run (model
# built from the seed, 2,000 forward/backward/step iterations).
# Runs unmodified under `gradbook run` and `python`; prints `NAME: SECONDS s` per measurement.
import math
import time
import torch

x = torch.linspace(-math.pi, math.pi, 2000)
y = torch.sin(x)
p = torch.tensor([1, 2, 3])
xx = x.unsqueeze(-1).pow(p)


def train():
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(3, 1), torch.nn.Flatten(0, 1))
    loss_fn = torch.nn.MSELoss(reduction="sum")
    optimizer = torch.optim.RMSprop(model.parameters(), lr=1e-3)
    for t in range(2000):
        y_pred = model(xx)
        loss = loss_fn(y_pred, y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    return model, loss.item()


def median_time(fn, reps):
    fn()  # warm-up
    times = []
    for _ in range(reps):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    times = sorted(times)
    return times[len(times) // 2]


model, final = train()
linear = model[0]
assert final < 20.0, final
print(f"final loss {final}")
print(
    f"Result: y = {linear.bias.item()} + {linear.weight[:, 0].item()} x"
    f" + {linear.weight[:, 1].item()} x^2 + {linear.weight[:, 2].item()} x^3"
)
t = median_time(train, 3)
print(f"polynomial RMSprop 2000 points 2000 steps: {t:.6f} s")
