import torch
import torch.nn as nn
import torch.nn.functional as F


class Model(nn.Module):
    """A forward that calls a helper method and a module-level function."""

    def __init__(self, dim):
        super().__init__()
        self.proj = nn.Linear(dim, dim)

    def gate(self, x):
        return torch.sigmoid(self.proj(x))

    def forward(self, x):
        return swish(x) * self.gate(x)


def swish(x):
    return x * torch.sigmoid(x)


batch_size = 5
dim = 4


def get_inputs():
    return [torch.randn(batch_size, dim)]


def get_init_inputs():
    return [dim]
