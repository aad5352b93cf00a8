import torch
import torch.nn as nn
import torch.nn.functional as F


class Block(nn.Module):
    """Conv -> GroupNorm -> SiLU, with a configurable group count."""

    def __init__(self, cin, cout, num_groups):
        super().__init__()
        self.conv = nn.Conv2d(cin, cout, 3, padding=1)
        self.norm = nn.GroupNorm(num_groups, cout)

    def forward(self, x):
        return F.silu(self.norm(self.conv(x)))


class Model(nn.Module):
    """Two nested blocks with a 1x1 shortcut: submodules keep their names (down.conv.weight)."""

    def __init__(self, cin, cout, num_groups):
        super().__init__()
        self.down = Block(cin, cout, num_groups)
        self.up = Block(cout, cout, num_groups)
        self.shortcut = nn.Conv2d(cin, cout, 1)

    def forward(self, x):
        return self.up(self.down(x)) + self.shortcut(x)


batch_size = 2
cin = 3
cout = 8
num_groups = 4
size = 6


def get_inputs():
    return [torch.randn(batch_size, cin, size, size)]


def get_init_inputs():
    return [cin, cout, num_groups]
