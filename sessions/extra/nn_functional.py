# torch.nn.functional in lessons: activations, softmax family, losses, with their values, grad_fns and gradients.
# %%
import torch
import torch.nn.functional as F
x = torch.tensor([-2.0, -0.5, 0.0, 1.5], requires_grad=True)
F.relu(x), F.sigmoid(x), F.tanh(x)
# %%
F.softplus(x), F.leaky_relu(x, 0.1), F.elu(x)
# %%
F.gelu(x), F.silu(x)
# %%
F.relu(x).sum().backward()
x.grad
# %%
x.grad = None
F.softplus(x).sum().backward()
x.grad
# %%
z = torch.tensor([[1.0, 2.0, 3.0], [1.0, 1.0, 1.0]], requires_grad=True)
p = F.softmax(z, dim=1)
p
# %%
lp = F.log_softmax(z, dim=1)
lp
# %%
(p[:, 0] * torch.tensor([1.0, 2.0])).sum().backward()
z.grad
# %%
target = torch.tensor([2, 0])
loss = F.cross_entropy(z, target)
loss
# %%
z.grad = None
loss.backward()
z.grad
# %%
F.nll_loss(lp, target), F.cross_entropy(z, target, reduction="none")
# %%
prob = torch.tensor([0.9, 0.2, 0.6], requires_grad=True)
label = torch.tensor([1.0, 0.0, 1.0])
bce = F.binary_cross_entropy(prob, label)
bce
# %%
bce.backward()
prob.grad
# %%
logits = torch.tensor([2.0, -1.0, 0.5], requires_grad=True)
F.binary_cross_entropy_with_logits(logits, label)
# %%
F.l1_loss(prob, label), F.smooth_l1_loss(prob, label), F.huber_loss(prob, label, delta=0.5)
# %%
F.normalize(torch.tensor([[3.0, 4.0], [1.0, 0.0]]), dim=1)
# %%
F.one_hot(torch.tensor([0, 2, 1]), num_classes=3)
# %%
F.dropout(torch.ones(4), p=0.5, training=False)
# %%
F.pad(torch.ones(2, 2), (1, 1))
# %%
F.cosine_similarity(torch.tensor([[1.0, 0.0]]), torch.tensor([[1.0, 1.0]]))
# %%
torch.sigmoid(torch.tensor(0.0, requires_grad=True)), torch.nn.functional.relu(torch.tensor(-1.0))
# %%
F.softmax(torch.tensor([1000.0, 1000.0]), dim=0), F.log_softmax(torch.tensor([0.0, -1000.0]), dim=0)
# %%
F.cross_entropy(z, torch.tensor([3, 0]))
# %%
F.mse_loss(torch.ones(2), torch.ones(3))
