import torch
import torch.nn as nn
import torch.nn.functional as F


class Model(nn.Module):
    """ConvTranspose3d, then a scaled residual of its mean."""

    def __init__(self, cin, cout, scale):
        super().__init__()
        self.up = nn.ConvTranspose3d(cin, cout, 2, stride=2)
        self.scale = scale

    def forward(self, x):
        y = self.up(x)
        return y - self.scale * y.mean(dim=(2, 3, 4), keepdim=True)


batch_size = 2
cin = 3
cout = 2
scale = 0.5
size = 3


def get_inputs():
    return [torch.randn(batch_size, cin, size, size, size)]


def get_init_inputs():
    return [cin, cout, scale]
