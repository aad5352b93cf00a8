"""The operator template library: every template's proposals, ranked.

Each family lives in its own module (`gemm.py`, `gemm_scaled.py`, `reductions.py`, `rows.py`,
`histogram.py`, `scan.py`, `convolution.py`, `pooling.py`, `transpose.py`, `argmax.py`); this module
lists them and ranks their candidates together.
"""

from __future__ import annotations

from .argmax import propose_argmax
from .common import RESULT, Built, Candidate
from .convolution import propose_conv1d, propose_conv2d
from .cues import Cues
from .gemm import propose_gemm
from .gemm_scaled import propose_gemm_scaled
from .histogram import propose_histogram
from .pooling import propose_pool2d
from .reductions import (propose_count_reduction, propose_max_reduction, propose_min_reduction,
                         propose_sum_reduction)
from .rows import propose_column_softmax, propose_layer_norm, propose_rms_norm, propose_row_softmax
from .scan import propose_scan
from .transpose import propose_transpose

__all__ = ["RESULT", "TEMPLATES", "Built", "Candidate", "propose_all"]

# template name -> its proposer, in the library's order (the order ties are broken in)
_PROPOSERS = {
    "gemm": propose_gemm,
    "sum_reduction": propose_sum_reduction,
    "row_softmax": propose_row_softmax,
    "histogram": propose_histogram,
    "layer_norm": propose_layer_norm,
    "scan": propose_scan,
    "max_reduction": propose_max_reduction,
    "min_reduction": propose_min_reduction,
    "count_reduction": propose_count_reduction,
    "gemm_scaled": propose_gemm_scaled,
    "column_softmax": propose_column_softmax,
    "rms_norm": propose_rms_norm,
    "conv1d": propose_conv1d,
    "conv2d": propose_conv2d,
    "pool2d": propose_pool2d,
    "transpose": propose_transpose,
    "argmax": propose_argmax,
}
# Templates that stand in for an entry launching several kernels: a scan's second pass over the
# block sums; layer norm (or RMS norm) written as statistics and normalisation kernels; a separable
# convolution's rows and columns passes (the conv2d proposer's `conv_separable`).
MULTI_KERNEL = {"scan", "layer_norm", "rms_norm", "conv2d"}
TEMPLATES = tuple(_PROPOSERS)  # the library, in words and in order


def propose_all(cues: Cues) -> list[Candidate]:
    """Every candidate of every template, best first (stable within equal scores)."""
    found = []
    for name, propose in _PROPOSERS.items():
        if len(cues.kernels) == 1 or (cues.kernels and name in MULTI_KERNEL):
            found.extend(propose(cues))
    return sorted(found, key=lambda c: -c.score)
