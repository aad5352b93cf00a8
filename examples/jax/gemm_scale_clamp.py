import torch
import torch.nn as nn
import torch.nn.functional as F


class Model(nn.Module):
    """GEMM, scale by a parameter, clamp, then subtract the row mean (benchmark style)."""

    def __init__(self, in_features, out_features, clamp_min, clamp_max):
        super().__init__()
        self.gemm = nn.Linear(in_features, out_features)
        self.scale = nn.Parameter(torch.randn(out_features) * 0.02)
        self.clamp_min = clamp_min
        self.clamp_max = clamp_max

    def forward(self, x):
        x = self.gemm(x) * self.scale
        x = torch.clamp(x, self.clamp_min, self.clamp_max)
        return x - x.mean(dim=1, keepdim=True)


batch_size = 8
in_features = 12
out_features = 6
clamp_min = -0.1
clamp_max = 0.1


def get_inputs():
    return [torch.randn(batch_size, in_features)]


def get_init_inputs():
    return [in_features, out_features, clamp_min, clamp_max]
