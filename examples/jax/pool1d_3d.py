import torch
import torch.nn as nn
import torch.nn.functional as F


class Model(nn.Module):
    """MaxPool1d and AvgPool1d over a sequence, adaptive pooling to a fixed length."""

    def __init__(self, out_length):
        super().__init__()
        self.maxp = nn.MaxPool1d(3, stride=1, padding=1)
        self.avgp = nn.AvgPool1d(2)
        self.adapt = nn.AdaptiveAvgPool1d(out_length)

    def forward(self, x):
        return self.adapt(self.avgp(self.maxp(x)))


batch_size = 3
channels = 4
length = 20
out_length = 3


def get_inputs():
    return [torch.randn(batch_size, channels, length)]


def get_init_inputs():
    return [out_length]
