import torch
import torch.nn as nn
import torch.nn.functional as F


class Model(nn.Module):
    """Single-head scaled dot-product self-attention written out."""

    def __init__(self, dim):
        super().__init__()
        self.q = nn.Linear(dim, dim)
        self.k = nn.Linear(dim, dim)
        self.v = nn.Linear(dim, dim)
        self.scale = dim ** -0.5

    def forward(self, x):
        scores = torch.matmul(self.q(x), self.k(x).transpose(-2, -1)) * self.scale
        return torch.softmax(scores, dim=-1) @ self.v(x)


batch_size = 2
seq_len = 5
dim = 8


def get_inputs():
    return [torch.randn(batch_size, seq_len, dim)]


def get_init_inputs():
    return [dim]
