import torch
import torch.nn as nn
import torch.nn.functional as F


class Model(nn.Module):
    """F.group_norm with parameters of the module and a symbolic group count."""

    def __init__(self, channels, num_groups):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(channels))
        self.bias = nn.Parameter(torch.zeros(channels))
        self.num_groups = num_groups

    def forward(self, x):
        return F.group_norm(x, self.num_groups, self.weight, self.bias)


batch_size = 3
channels = 6
num_groups = 3
size = 4


def get_inputs():
    return [torch.randn(batch_size, channels, size, size)]


def get_init_inputs():
    return [channels, num_groups]
