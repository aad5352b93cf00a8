import torch
import torch.nn as nn
import torch.nn.functional as F


class Model(nn.Module):
    """Standardisation with torch.var (unbiased by default) and torch.std(unbiased=False)."""

    def forward(self, x):
        a = (x - x.mean(dim=0)) / torch.sqrt(torch.var(x, dim=0) + 1e-5)
        b = x / (x.std(dim=1, unbiased=False, keepdim=True) + 1e-5)
        return a + b


batch_size = 6
features = 5


def get_inputs():
    return [torch.randn(batch_size, features)]


def get_init_inputs():
    return []
