# torch.optim.lbfgs: L-BFGS (placeholder until written).
import torch
from torch.optim.optimizer import Optimizer


class LBFGS(Optimizer):
    pass
