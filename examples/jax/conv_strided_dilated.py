import torch
import torch.nn as nn
import torch.nn.functional as F


class Model(nn.Module):
    """Strided, dilated Conv2d with asymmetric kernel."""

    def __init__(self, cin, cout):
        super().__init__()
        self.conv = nn.Conv2d(cin, cout, (3, 5), stride=(2, 1), padding=(1, 2), dilation=(1, 2))

    def forward(self, x):
        return self.conv(x)


batch_size = 2
cin = 4
cout = 6
height = 9
width = 11


def get_inputs():
    return [torch.randn(batch_size, cin, height, width)]


def get_init_inputs():
    return [cin, cout]
