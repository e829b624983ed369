# %%
# unbind of a 0-d tensor (a panic the fuzz run found): PyTorch's dim error.
import torch
torch.tensor(1.).unbind()
# %%
torch.unbind(torch.tensor(2), 0)
# %%
torch.tensor(1.).unbind(-1)
