import torch
import torch.nn as nn
import torch.nn.functional as F


class Model(nn.Module):
    """Token embeddings averaged over the sequence, then a classifier."""

    def __init__(self, vocab, dim, classes):
        super().__init__()
        self.embed = nn.Embedding(vocab, dim)
        self.head = nn.Linear(dim, classes)

    def forward(self, tokens):
        return self.head(self.embed(tokens).mean(dim=1))


batch_size = 4
seq_len = 7
vocab = 50
dim = 8
classes = 3


def get_inputs():
    return [torch.randint(0, vocab, (batch_size, seq_len))]


def get_init_inputs():
    return [vocab, dim, classes]
