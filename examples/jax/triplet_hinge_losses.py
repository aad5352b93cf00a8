import torch
import torch.nn as nn
import torch.nn.functional as F


class Model(nn.Module):
    """Triplet-margin loss (module) plus a hinge loss written with clamp."""

    def __init__(self, margin):
        super().__init__()
        self.triplet = nn.TripletMarginLoss(margin=margin)

    def forward(self, anchor, positive, negative):
        hinge = torch.clamp(1 - anchor * positive, min=0).mean()
        return self.triplet(anchor, positive, negative) + hinge


batch_size = 5
dim = 4
margin = 0.5


def get_inputs():
    return [torch.randn(batch_size, dim), torch.randn(batch_size, dim), torch.randn(batch_size, dim)]


def get_init_inputs():
    return [margin]
