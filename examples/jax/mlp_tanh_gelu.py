import torch
import torch.nn as nn
import torch.nn.functional as F


class Model(nn.Module):
    """Linear followed by the tanh approximation of GELU."""

    def __init__(self, dim):
        super().__init__()
        self.proj = nn.Linear(dim, dim, bias=False)

    def forward(self, x):
        return F.gelu(self.proj(x), approximate="tanh")


batch_size = 6
dim = 10


def get_inputs():
    return [torch.randn(batch_size, dim)]


def get_init_inputs():
    return [dim]
