# Inference tensors, and anomaly detection as a switch and as context managers.
# %%
import torch
with torch.inference_mode():
    t = torch.ones(2)
    u = t * 2
    print(torch.is_inference_mode_enabled())
t.is_inference(), u.is_inference(), torch.ones(1).is_inference(), u.requires_grad, torch.is_inference_mode_enabled()
# %%
t.requires_grad_()
# %%
(t * 2).is_inference(), t.clone().is_inference()
# %%
x = torch.tensor([0.0, 1.0], requires_grad=True)
with torch.autograd.detect_anomaly():
    y = (x / x).sum()
    y.backward()
# %%
torch.is_anomaly_enabled(), x.grad
# %%
with torch.autograd.set_detect_anomaly(True):
    print(torch.is_anomaly_enabled())
torch.is_anomaly_enabled()
# %%
torch.autograd.set_detect_anomaly(True)
print(torch.is_anomaly_enabled(), torch.is_anomaly_check_nan_enabled())
torch.autograd.set_detect_anomaly(False)
torch.is_anomaly_enabled()
# %%
x2 = torch.tensor([1.0, 2.0], requires_grad=True)
with torch.autograd.detect_anomaly():
    e = x2.exp()
    e.add_(1)
    e.sum().backward()
# %%
with torch.autograd.detect_anomaly(check_nan=False):
    (x / x).sum().backward()
x.grad
# %%
w = torch.tensor([1.0, 2.0], requires_grad=True)
(w * t).sum().backward()
# %%
(w * t.clone()).sum().backward()
w.grad
