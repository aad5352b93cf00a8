import torch
import torch.nn as nn
import torch.nn.functional as F


class Model(nn.Module):
    """nn.MultiheadAttention (batch_first), returning output and averaged weights."""

    def __init__(self, dim, heads):
        super().__init__()
        self.attn = nn.MultiheadAttention(dim, heads, batch_first=True)

    def forward(self, x):
        out, weights = self.attn(x, x, x)
        return out, weights


batch_size = 2
seq_len = 4
dim = 8
heads = 2


def get_inputs():
    return [torch.randn(batch_size, seq_len, dim)]


def get_init_inputs():
    return [dim, heads]
