import torch
import torch.nn as nn
import torch.nn.functional as F


class Model(nn.Module):
    """In-place operations: add_, mul_, clamp_, masked assignment, relu with inplace=True."""

    def forward(self, x, y):
        z = x.clone()
        z.add_(y)
        z.mul_(2.0)
        z.clamp_(min=-1.5, max=1.5)
        z[:, 0] = 0.0
        return F.relu(z, inplace=True)


batch_size = 4
dim = 6


def get_inputs():
    return [torch.randn(batch_size, dim), torch.randn(batch_size, dim)]


def get_init_inputs():
    return []
