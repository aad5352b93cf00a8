import torch
import torch.nn as nn
import torch.nn.functional as F


class Model(nn.Module):
    """Grouped, dilated ConvTranspose2d: flipped kernels, transposed per group."""

    def __init__(self, cin, cout, groups):
        super().__init__()
        self.up = nn.ConvTranspose2d(cin, cout, (3, 2), stride=(2, 3), groups=groups, dilation=(1, 2))

    def forward(self, x):
        return self.up(x)


batch_size = 2
cin = 6
cout = 4
groups = 2
size = 5


def get_inputs():
    return [torch.randn(batch_size, cin, size, size)]


def get_init_inputs():
    return [cin, cout, groups]
