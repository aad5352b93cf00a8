import torch
import torch.nn as nn
import torch.nn.functional as F


class Model(nn.Module):
    """max/min over a dimension (values and indices), logsumexp, cumsum and argmax."""

    def __init__(self, dim):
        super().__init__()
        self.dim = dim

    def forward(self, x):
        values, indices = torch.max(x, dim=self.dim)
        smallest = x.min(dim=self.dim, keepdim=True).values
        total = torch.logsumexp(x, dim=self.dim) + torch.cumsum(x, dim=self.dim).sum(dim=self.dim)
        return values + total, indices, smallest, torch.argmax(x, dim=self.dim)


batch_size = 4
features = 7
dim = 1


def get_inputs():
    return [torch.randn(batch_size, features)]


def get_init_inputs():
    return [dim]
