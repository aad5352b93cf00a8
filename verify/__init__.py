"""transverify.verify: prove a translation equivalent to its source, or show where it is not.

Knows nothing of editors or LLMs: callers hand it two files and options and get
a VerifyResult back.
"""

from .engine import verify
from .errors import Cancelled, VerifyInputError
from .options import VerifyOptions
from .result import (EQUIVALENT, ERROR, NOT_EQUIVALENT, STAGES, Diagnostic, Mismatch, VerifyResult)

__all__ = [
    "verify", "VerifyOptions", "VerifyResult", "Diagnostic", "Mismatch", "VerifyInputError", "Cancelled",
    "EQUIVALENT", "NOT_EQUIVALENT", "ERROR", "STAGES",
]
