import torch
import torch.nn as nn
import torch.nn.functional as F


class Model(nn.Module):
    """An LSTMCell unrolled over a short sequence, projecting the last hidden state."""

    def __init__(self, input_size, hidden_size, steps):
        super().__init__()
        self.cell = nn.LSTMCell(input_size, hidden_size)
        self.head = nn.Linear(hidden_size, 1)
        self.steps = steps

    def forward(self, x):
        state = None
        for t in range(self.steps):
            state = self.cell(x[:, t], state)
        return self.head(state[0])


batch_size = 3
steps = 4
input_size = 5
hidden_size = 6


def get_inputs():
    return [torch.randn(batch_size, steps, input_size)]


def get_init_inputs():
    return [input_size, hidden_size, steps]
