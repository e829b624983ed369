# Convolution and pooling layers and their functionals: default init under a seed, reprs,
# values, gradients, second derivatives, vmap, errors.
# %%
import torch
from torch import nn
import torch.nn.functional as F
torch.manual_seed(0)
conv = nn.Conv2d(2, 3, 3, padding=1)
conv, conv.weight.shape, conv.bias
# %%
x = torch.arange(32.0).reshape(1, 2, 4, 4) / 10
y = conv(x)
y.sum().backward()
y, torch.allclose(conv.weight.grad.sum(), torch.tensor(930.0)), conv.bias.grad
# %%
torch.manual_seed(1)
c1 = nn.Conv1d(2, 2, 2, stride=2, bias=False)
seq = torch.tensor([[[1.0, 2.0, 3.0, 4.0, 5.0], [0.5, -1.0, 0.0, 2.0, 1.0]]])
c1, c1(seq), nn.Conv2d(4, 4, (2, 3), stride=(2, 1), padding=(0, 1), dilation=2, groups=2, bias=False)
# %%
img = torch.tensor([[[[1.0, 5.0, 2.0, 0.0], [3.0, 4.0, 8.0, 1.0], [0.0, 2.0, 6.0, 7.0], [9.0, 1.0, 3.0, 2.0]]]], requires_grad=True)
mp, ap, aap = nn.MaxPool2d(2), nn.AvgPool2d(2, stride=1), nn.AdaptiveAvgPool2d((1, 3))
out = mp(img), ap(img), aap(img)
(out[0].sum() + out[1].sum() + out[2].sum()).backward()
mp, ap, aap, out, img.grad
# %%
F.max_pool2d(img, 3, stride=1, padding=1), F.avg_pool2d(img, 3, stride=2, padding=1, count_include_pad=False), F.adaptive_avg_pool2d(img, 3)
# %%
w = torch.tensor([[[[1.0, -1.0], [0.5, 2.0]]]], requires_grad=True)
inp = torch.tensor([[[[1.0, 2.0, 0.0], [0.0, 1.0, 3.0], [2.0, 1.0, 1.0]]]], requires_grad=True)
out = F.conv2d(inp, w)
g, = torch.autograd.grad(out.pow(2).sum(), inp, create_graph=True)
gg, = torch.autograd.grad(g.sum(), w)
out, g.detach(), gg
# %%
H = torch.func.hessian(lambda k: F.conv2d(inp.detach(), k).pow(3).sum())(w.detach())
H.shape, H.reshape(4, 4)
# %%
batch = torch.arange(18.0).reshape(2, 1, 3, 3)
torch.func.vmap(lambda t: F.conv2d(t, w.detach()))(batch.unsqueeze(1)).shape, F.conv1d(torch.ones(1, 2, 4), torch.ones(1, 2, 2), padding="same")
# %%
conv(torch.ones(1, 3, 4, 4))
# %%
F.conv2d(torch.ones(1, 1, 2, 2), torch.ones(1, 1, 3, 3))
# %%
F.max_pool2d(torch.ones(1, 1, 4, 4), 2, padding=2)
