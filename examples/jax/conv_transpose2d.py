import torch
import torch.nn as nn
import torch.nn.functional as F


class Model(nn.Module):
    """Strided, padded ConvTranspose2d with output padding."""

    def __init__(self, cin, cout):
        super().__init__()
        self.up = nn.ConvTranspose2d(cin, cout, 3, stride=2, padding=1, output_padding=1)

    def forward(self, x):
        return self.up(x)


batch_size = 2
cin = 4
cout = 3
size = 6


def get_inputs():
    return [torch.randn(batch_size, cin, size, size)]


def get_init_inputs():
    return [cin, cout]
