import torch
import torch.nn as nn
import torch.nn.functional as F


class Model(nn.Module):
    """Integer trunc division and fmod, and float floor division."""

    def forward(self, a, b, x):
        return torch.div(a, b, rounding_mode="trunc"), torch.fmod(a, b), torch.floor_divide(x, 0.7)


n = 32


def get_inputs():
    return [torch.randint(-20, 20, (n,)), torch.randint(1, 5, (n,)), torch.randn(n)]


def get_init_inputs():
    return []
