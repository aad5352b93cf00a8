import torch
import torch.nn as nn
import torch.nn.functional as F


class Model(nn.Module):
    """Conv3d -> GroupNorm -> Hardswish -> AvgPool3d."""

    def __init__(self, cin, cout, groups):
        super().__init__()
        self.conv = nn.Conv3d(cin, cout, 3)
        self.norm = nn.GroupNorm(groups, cout)
        self.pool = nn.AvgPool3d(2)

    def forward(self, x):
        return self.pool(F.hardswish(self.norm(self.conv(x))))


batch_size = 2
cin = 2
cout = 4
groups = 2
size = 8


def get_inputs():
    return [torch.randn(batch_size, cin, size, size, size)]


def get_init_inputs():
    return [cin, cout, groups]
