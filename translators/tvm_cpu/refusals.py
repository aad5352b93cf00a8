"""Constructs that couple CUDA threads: the one-thread lifter names them and stops."""

from __future__ import annotations

import re

from tree_sitter import Node

from ...verify.cuda.parse import line_of, text_of, walk
from .errors import Unliftable

# Constructs that need the algorithm recognised, not one thread executed.
REFUSED_CALLS = re.compile(r"^(__syncthreads\w*|__syncwarp|__shfl\w*|__ballot_sync|__any_sync|__all_sync|"
                           r"__activemask|atomic\w+|__threadfence\w*|__match\w*|__reduce\w*)$")


def refuse_block_level(kernel: Node) -> None:
    """Name the first construct that couples threads (checked before anything else)."""
    for node in walk(kernel):
        text = text_of(node)
        if node.type in ("storage_class_specifier", "type_qualifier") and text == "__shared__" or \
                node.type == "identifier" and text == "__shared__":
            raise Unliftable("__shared__", line_of(node), "shared memory needs the algorithm recognised; "
                             "one thread cannot be lifted on its own")
        if node.type == "call_expression":
            fn = node.child_by_field_name("function")
            fname = text_of(fn) if fn is not None else ""
            if REFUSED_CALLS.match(fname):
                raise Unliftable(fname, line_of(node), f"'{fname}' couples threads (barrier, atomic or warp "
                                 "operation); the one-thread lifter does not cover it")
        if node.type in ("while_statement", "do_statement", "goto_statement", "break_statement",
                         "continue_statement", "switch_statement"):
            raise Unliftable(node.type.replace("_statement", ""), line_of(node),
                             "control flow other than for/if/return is not lifted")
