import torch
import torch.nn as nn
import torch.nn.functional as F


class Model(nn.Module):
    """ModuleList indexed in a range loop, with a scaling parameter."""

    def __init__(self, dim, depth):
        super().__init__()
        self.blocks = nn.ModuleList([nn.Linear(dim, dim) for _ in range(depth)])
        self.scale = nn.Parameter(torch.ones(dim))
        self.depth = depth

    def forward(self, x):
        for i in range(self.depth):
            x = torch.tanh(self.blocks[i](x))
        return x * self.scale


batch_size = 5
dim = 6
depth = 2


def get_inputs():
    return [torch.randn(batch_size, dim)]


def get_init_inputs():
    return [dim, depth]
