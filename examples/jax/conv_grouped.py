import torch
import torch.nn as nn
import torch.nn.functional as F


class Model(nn.Module):
    """Grouped Conv2d followed by a pointwise Conv2d (depthwise-separable when groups == channels)."""

    def __init__(self, channels, groups):
        super().__init__()
        self.depthwise = nn.Conv2d(channels, channels, 3, padding="same", groups=groups)
        self.pointwise = nn.Conv2d(channels, 2 * channels, 1)

    def forward(self, x):
        return self.pointwise(self.depthwise(x))


batch_size = 2
channels = 8
groups = 4
size = 10


def get_inputs():
    return [torch.randn(batch_size, channels, size, size)]


def get_init_inputs():
    return [channels, groups]
