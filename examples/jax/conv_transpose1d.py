import torch
import torch.nn as nn
import torch.nn.functional as F


class Model(nn.Module):
    """ConvTranspose1d without bias, then Sigmoid."""

    def __init__(self, cin, cout, kernel_size):
        super().__init__()
        self.up = nn.ConvTranspose1d(cin, cout, kernel_size, stride=3, padding=1, bias=False)
        self.act = nn.Sigmoid()

    def forward(self, x):
        return self.act(self.up(x))


batch_size = 3
cin = 4
cout = 2
kernel_size = 4
length = 7


def get_inputs():
    return [torch.randn(batch_size, cin, length)]


def get_init_inputs():
    return [cin, cout, kernel_size]
