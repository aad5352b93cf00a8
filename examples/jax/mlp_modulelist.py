import torch
import torch.nn as nn
import torch.nn.functional as F


class Model(nn.Module):
    """A stack of residual Linear+SiLU layers in a ModuleList."""

    def __init__(self, dim, depth):
        super().__init__()
        self.layers = nn.ModuleList([nn.Linear(dim, dim) for _ in range(depth)])
        self.depth = depth

    def forward(self, x):
        for layer in self.layers:
            x = x + F.silu(layer(x))
        return x


batch_size = 4
dim = 8
depth = 3


def get_inputs():
    return [torch.randn(batch_size, dim)]


def get_init_inputs():
    return [dim, depth]
