import torch
import torch.nn as nn
import torch.nn.functional as F


class Model(nn.Module):
    """Conv1d -> BatchNorm1d -> ELU over sequences."""

    def __init__(self, cin, cout, kernel_size):
        super().__init__()
        self.conv = nn.Conv1d(cin, cout, kernel_size, stride=2)
        self.bn = nn.BatchNorm1d(cout)

    def forward(self, x):
        return F.elu(self.bn(self.conv(x)))


batch_size = 4
cin = 3
cout = 5
kernel_size = 3
length = 21


def get_inputs():
    return [torch.randn(batch_size, cin, length)]


def get_init_inputs():
    return [cin, cout, kernel_size]
