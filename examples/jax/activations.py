import torch
import torch.nn as nn
import torch.nn.functional as F


class Model(nn.Module):
    """A tour of activations: SELU, Softplus, Mish, Hardtanh, Softsign, Hardsigmoid, LogSoftmax."""

    def __init__(self):
        super().__init__()
        self.softplus = nn.Softplus(beta=2.0)
        self.hardtanh = nn.Hardtanh(-0.5, 0.5)
        self.logsoftmax = nn.LogSoftmax(dim=1)

    def forward(self, x):
        y = torch.selu(x) + self.softplus(x) + F.mish(x) + self.hardtanh(x)
        y = y + F.softsign(x) + F.hardsigmoid(x)
        return self.logsoftmax(y)


batch_size = 4
features = 9


def get_inputs():
    return [torch.randn(batch_size, features)]


def get_init_inputs():
    return []
