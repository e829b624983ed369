# %%
import torch
from torch import nn
w = torch.empty(2, 3)
torch.manual_seed(7)
nn.init.uniform_(w, -1.0, 1.0)
a = w.clone()
b = nn.init.normal_(w, mean=1.0, std=0.1).clone()
(a, b, nn.init.ones_(w).sum(), nn.init.constant_(w, -0.5).sum(), nn.init.zeros_(w) is w,
 nn.init.calculate_gain("relu"), nn.init.calculate_gain("tanh"), nn.init.calculate_gain("leaky_relu", 0.2), nn.init.calculate_gain("sigmoid"))
# %%
torch.manual_seed(8)
(nn.init.xavier_uniform_(torch.empty(2, 4)), nn.init.kaiming_uniform_(torch.empty(3, 2)), nn.init.kaiming_normal_(torch.empty(2, 3), nonlinearity="relu"),
 nn.init.xavier_normal_(torch.empty(2, 2), gain=2.0), nn.init.kaiming_uniform_(torch.empty(2, 2), a=0.2, mode="fan_out"))
# %%
torch.manual_seed(0)
w = torch.empty(2, 3)
nn.init.kaiming_uniform_(w, a=5 ** 0.5)
b = torch.empty(2)
nn.init.uniform_(b, -1 / 3 ** 0.5, 1 / 3 ** 0.5)
w, b
# %%
torch.manual_seed(0)
nn.init.trunc_normal_(torch.empty(3, 4), std=0.5), nn.init.orthogonal_(torch.empty(3, 2)), nn.init.eye_(torch.empty(2, 3)), nn.init.dirac_(torch.empty(2, 2, 3))
