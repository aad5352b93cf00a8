import torch
import torch.nn as nn
import torch.nn.functional as F


class Model(nn.Module):
    """An Elman RNNCell with ReLU, two steps."""

    def __init__(self, input_size, hidden_size):
        super().__init__()
        self.cell = nn.RNNCell(input_size, hidden_size, nonlinearity="relu")

    def forward(self, x1, x2):
        h = self.cell(x1)
        return self.cell(x2, h)


batch_size = 3
input_size = 4
hidden_size = 6


def get_inputs():
    return [torch.randn(batch_size, input_size), torch.randn(batch_size, input_size)]


def get_init_inputs():
    return [input_size, hidden_size]
