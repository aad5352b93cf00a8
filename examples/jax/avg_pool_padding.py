import torch
import torch.nn as nn
import torch.nn.functional as F


class Model(nn.Module):
    """AvgPool2d with padding, with and without counting the padding."""

    def __init__(self, kernel_size):
        super().__init__()
        self.include = nn.AvgPool2d(kernel_size, stride=2, padding=1)
        self.exclude = nn.AvgPool2d(kernel_size, stride=2, padding=1, count_include_pad=False, ceil_mode=True)

    def forward(self, x):
        return self.include(x), self.exclude(x)


batch_size = 2
channels = 3
size = 8
kernel_size = 3


def get_inputs():
    return [torch.randn(batch_size, channels, size, size)]


def get_init_inputs():
    return [kernel_size]
