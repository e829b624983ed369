# d2l's concise linear regression ("Dive into Deep Learning", 3.3): 1,000 synthetic examples
# y = X w + b + noise with w = [2, -3.4], b = 4.2; a TensorDataset, a DataLoader with
# batch_size=10 and shuffle=True, nn.Sequential(nn.Linear(2, 1)) initialised with normal_ and
# fill_ on .data, nn.MSELoss and torch.optim.SGD(lr=0.03), 3 epochs (300 mini-batch steps).
# One measurement is one whole training run.
# Runs unmodified under `gradbook run` and `python`; prints `NAME: SECONDS s` per measurement.
import time
import torch
from torch import nn
from torch.utils import data


def synthetic_data(w, b, num_examples):
    X = torch.normal(0, 1, (num_examples, len(w)))
    y = torch.matmul(X, w) + b
    y += torch.normal(0, 0.01, y.shape)
    return X, y.reshape((-1, 1))


torch.manual_seed(0)
true_w = torch.tensor([2, -3.4])
true_b = 4.2
features, labels = synthetic_data(true_w, true_b, 1000)


def load_array(data_arrays, batch_size, is_train=True):
    dataset = data.TensorDataset(*data_arrays)
    return data.DataLoader(dataset, batch_size, shuffle=is_train)


def train():
    torch.manual_seed(1)
    data_iter = load_array((features, labels), 10)
    net = nn.Sequential(nn.Linear(2, 1))
    net[0].weight.data.normal_(0, 0.01)
    net[0].bias.data.fill_(0)
    loss = nn.MSELoss()
    trainer = torch.optim.SGD(net.parameters(), lr=0.03)
    for epoch in range(3):
        for X, y in data_iter:
            l = loss(net(X), y)
            trainer.zero_grad()
            l.backward()
            trainer.step()
    return net, loss(net(features), labels).item()


def median_time(fn, reps):
    fn()  # warm-up
    times = []
    for _ in range(reps):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    times = sorted(times)
    return times[len(times) // 2]


net, final = train()
assert final < 1e-3, final
print(f"final loss {final}")
print(f"w {net[0].weight.data.reshape(-1).tolist()} b {net[0].bias.data.item()}")
t = median_time(train, 5)
print(f"linear regression SGD DataLoader 1000x2 batch 10 3 epochs: {t:.6f} s")
