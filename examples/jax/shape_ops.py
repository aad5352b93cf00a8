import torch
import torch.nn as nn
import torch.nn.functional as F


class Model(nn.Module):
    """flatten, unsqueeze, squeeze, permute, cat, stack, split and repeat."""

    def forward(self, x):
        a = torch.flatten(x, 1)
        b = a.unsqueeze(1).squeeze(1)
        c = x.permute(0, 2, 1).contiguous().view(x.size(0), -1)
        first, second = torch.split(a, a.shape[1] // 2, dim=1)
        d = torch.cat([first, second * 2], dim=1)
        e = torch.stack([b, c, d], dim=0).sum(0)
        return e.repeat(1, 2)


batch_size = 3
rows = 4
cols = 2


def get_inputs():
    return [torch.randn(batch_size, rows, cols)]


def get_init_inputs():
    return []
