# The loss modules (torch/nn/modules/loss.py): each keeps its options and calls the functional.

import torch.nn.functional as F

__all__ = ["MSELoss", "L1Loss", "CrossEntropyLoss", "NLLLoss", "BCELoss", "BCEWithLogitsLoss",
           "HuberLoss", "SmoothL1Loss", "KLDivLoss"]


def _legacy_reduction(size_average, reduce):
    if size_average is None:
        size_average = True
    if reduce is None:
        reduce = True
    if size_average and reduce:
        return "mean"
    if reduce:
        return "sum"
    return "none"


class _Loss(Module):
    def __init__(self, size_average=None, reduce=None, reduction="mean"):
        super().__init__()
        if size_average is not None or reduce is not None:
            self.reduction = _legacy_reduction(size_average, reduce)
        else:
            self.reduction = reduction


class _WeightedLoss(_Loss):
    def __init__(self, weight=None, size_average=None, reduce=None, reduction="mean"):
        super().__init__(size_average, reduce, reduction)
        self.register_buffer("weight", weight)


class MSELoss(_Loss):
    def forward(self, input, target):
        return F.mse_loss(input, target, reduction=self.reduction)


class L1Loss(_Loss):
    def forward(self, input, target):
        return F.l1_loss(input, target, reduction=self.reduction)


class NLLLoss(_WeightedLoss):
    def __init__(self, weight=None, size_average=None, ignore_index=-100, reduce=None, reduction="mean"):
        super().__init__(weight, size_average, reduce, reduction)
        self.ignore_index = ignore_index

    def forward(self, input, target):
        return F.nll_loss(input, target, weight=self.weight, ignore_index=self.ignore_index, reduction=self.reduction)


class CrossEntropyLoss(_WeightedLoss):
    def __init__(self, weight=None, size_average=None, ignore_index=-100, reduce=None, reduction="mean",
                 label_smoothing=0.0):
        super().__init__(weight, size_average, reduce, reduction)
        self.ignore_index = ignore_index
        self.label_smoothing = label_smoothing

    def forward(self, input, target):
        return F.cross_entropy(input, target, weight=self.weight, ignore_index=self.ignore_index,
                               reduction=self.reduction, label_smoothing=self.label_smoothing)


class BCELoss(_WeightedLoss):
    def forward(self, input, target):
        return F.binary_cross_entropy(input, target, weight=self.weight, reduction=self.reduction)


class BCEWithLogitsLoss(_Loss):
    def __init__(self, weight=None, size_average=None, reduce=None, reduction="mean", pos_weight=None):
        super().__init__(size_average, reduce, reduction)
        self.register_buffer("weight", weight)
        self.register_buffer("pos_weight", pos_weight)

    def forward(self, input, target):
        return F.binary_cross_entropy_with_logits(input, target, self.weight, pos_weight=self.pos_weight,
                                                  reduction=self.reduction)


class HuberLoss(_Loss):
    def __init__(self, reduction="mean", delta=1.0):
        super().__init__(reduction=reduction)
        self.delta = delta

    def forward(self, input, target):
        return F.huber_loss(input, target, reduction=self.reduction, delta=self.delta)


class SmoothL1Loss(_Loss):
    def __init__(self, size_average=None, reduce=None, reduction="mean", beta=1.0):
        super().__init__(size_average, reduce, reduction)
        self.beta = beta

    def forward(self, input, target):
        return F.smooth_l1_loss(input, target, reduction=self.reduction, beta=self.beta)


class KLDivLoss(_Loss):
    def __init__(self, size_average=None, reduce=None, reduction="mean", log_target=False):
        super().__init__(size_average, reduce, reduction)
        self.log_target = log_target

    def forward(self, input, target):
        return F.kl_div(input, target, reduction=self.reduction, log_target=self.log_target)


def _record_modules():
    table = {
        "torch.nn.modules.module": ["Module"],
        "torch.nn.modules.container": ["Sequential", "ModuleList", "ModuleDict", "ParameterList", "ParameterDict"],
        "torch.nn.modules.linear": ["Identity", "Linear", "Bilinear"],
        "torch.nn.modules.flatten": ["Flatten", "Unflatten"],
        "torch.nn.modules.activation": ["ReLU", "LeakyReLU", "ELU", "GELU", "SiLU", "Tanh", "Sigmoid", "Softplus",
                                        "Softmax", "LogSoftmax"],
        "torch.nn.modules.dropout": ["Dropout"],
        "torch.nn.modules.sparse": ["Embedding"],
        "torch.nn.modules.normalization": ["LayerNorm"],
        "torch.nn.modules.batchnorm": ["BatchNorm1d", "BatchNorm2d"],
        "torch.nn.modules.conv": ["Conv1d", "Conv2d"],
        "torch.nn.modules.pooling": ["MaxPool2d", "AvgPool2d", "AdaptiveAvgPool2d"],
        "torch.nn.modules.loss": ["MSELoss", "L1Loss", "CrossEntropyLoss", "NLLLoss", "BCELoss", "BCEWithLogitsLoss",
                                  "HuberLoss", "SmoothL1Loss", "KLDivLoss"],
    }
    classes = {
        "Module": Module, "Sequential": Sequential, "ModuleList": ModuleList, "ModuleDict": ModuleDict,
        "ParameterList": ParameterList, "ParameterDict": ParameterDict, "Identity": Identity, "Linear": Linear,
        "Bilinear": Bilinear, "Flatten": Flatten, "Unflatten": Unflatten, "ReLU": ReLU, "LeakyReLU": LeakyReLU,
        "ELU": ELU, "GELU": GELU, "SiLU": SiLU, "Tanh": Tanh, "Sigmoid": Sigmoid, "Softplus": Softplus,
        "Softmax": Softmax, "LogSoftmax": LogSoftmax, "Dropout": Dropout, "Embedding": Embedding,
        "LayerNorm": LayerNorm, "BatchNorm1d": BatchNorm1d, "BatchNorm2d": BatchNorm2d, "Conv1d": Conv1d,
        "Conv2d": Conv2d, "MaxPool2d": MaxPool2d, "AvgPool2d": AvgPool2d, "AdaptiveAvgPool2d": AdaptiveAvgPool2d,
        "MSELoss": MSELoss, "L1Loss": L1Loss, "CrossEntropyLoss": CrossEntropyLoss, "NLLLoss": NLLLoss,
        "BCELoss": BCELoss, "BCEWithLogitsLoss": BCEWithLogitsLoss, "HuberLoss": HuberLoss,
        "SmoothL1Loss": SmoothL1Loss, "KLDivLoss": KLDivLoss,
    }
    for module, names in table.items():
        for n in names:
            _PRELUDE_CLASSES[n] = (classes[n], module)


_record_modules()
