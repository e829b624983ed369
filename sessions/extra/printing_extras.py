# More of how tensors and torch objects print: linewidth/edgeitems, summarised 3-D tensors, dtypes, torch.Size, return_types named tuples.
# %%
import torch
torch.set_printoptions(linewidth=50)
torch.arange(16.0) / 3
# %%
torch.arange(12.0).reshape(2, 6) * 1000
# %%
torch.set_printoptions(profile="default")
torch.set_printoptions(edgeitems=1, threshold=10)
torch.arange(24.0).reshape(2, 3, 4)
# %%
torch.set_printoptions(profile="default")
torch.arange(1001.0).reshape(7, 11, 13) % 10 - 4.5
# %%
torch.arange(2400).reshape(3, 2, 400)
# %%
torch.ones(2, 1, 3, dtype=torch.float64) / 3
# %%
torch.tensor([[1, -2], [3, 4]], dtype=torch.int32)
# %%
torch.tensor([[True, False], [False, True]])
# %%
torch.zeros(2, 2, dtype=torch.bool), torch.ones(3, dtype=torch.int64)
# %%
torch.tensor([1.0, 2.5], dtype=torch.float64) * torch.tensor([2, 3])
# %%
torch.tensor([1, 2]) / 2, torch.tensor([1, 2]) // 2, torch.tensor([True]) + 1
# %%
torch.tensor([1e-10, 1e10], dtype=torch.float64)
# %%
torch.tensor([0.1, 0.25], dtype=torch.float64)
# %%
torch.tensor([1, 2], dtype=torch.int32).dtype, torch.tensor(True).dtype, torch.float32, torch.double, torch.long
# %%
s = torch.zeros(2, 3, 4).shape
s, s[0], s[-1], s[1:], len(s), s.numel()
# %%
s == (2, 3, 4), s + (5,), list(s), tuple(s), torch.Size([1, 2])
# %%
a, b, c = s
a * b * c, torch.zeros(()).shape, torch.zeros(0).shape
# %%
m = torch.tensor([[4.0, 1.0, 3.0], [2.0, 6.0, 5.0]])
r = m.min(dim=1)
r
# %%
r.values, r.indices, r[0], r[1]
# %%
vals, idx = m.max(dim=0)
vals, idx
# %%
m.sort(dim=1)
# %%
m.topk(2)
# %%
torch.median(m, dim=1)
# %%
type(r).__name__, len(r), m.max(dim=1, keepdim=True)
# %%
m.argmax(), m.argmax(dim=1), m.sum(), m.sum(dim=0).tolist()
# %%
torch.tensor([[1.123456789, 22.5], [333.0, 4444.25]])
# %%
torch.tensor([1.0, 2.0, 3.0]).unsqueeze(1).expand(3, 4)
# %%
torch.zeros(3, 0, 2)
# %%
torch.tensor([[[1.5]]]), torch.tensor([[]]).shape
# %%
print(torch.arange(6.0).reshape(1, 2, 3))
# %%
repr(torch.tensor([1.0, 2.0])), str(torch.Size([2])), str(torch.float32)
