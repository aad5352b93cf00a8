import torch
import torch.nn as nn
import torch.nn.functional as F


class Model(nn.Module):
    """Token plus learned positional embeddings, then LayerNorm."""

    def __init__(self, vocab, max_len, dim):
        super().__init__()
        self.tokens = nn.Embedding(vocab, dim)
        self.positions = nn.Embedding(max_len, dim)
        self.norm = nn.LayerNorm(dim)

    def forward(self, ids):
        positions = torch.arange(ids.shape[1])
        return self.norm(self.tokens(ids) + self.positions(positions))


batch_size = 3
seq_len = 6
vocab = 30
max_len = 16
dim = 8


def get_inputs():
    return [torch.randint(0, vocab, (batch_size, seq_len))]


def get_init_inputs():
    return [vocab, max_len, dim]
