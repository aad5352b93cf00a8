"""Cooperative groups' thread-block subset, read as the plain CUDA it means.

Modern CUDA code (NVIDIA's own samples among it) writes a block barrier as
`cg::thread_block cta = cg::this_thread_block(); ... cg::sync(cta);` (or `cta.sync()`).
That is `__syncthreads()` and nothing more, so the CPU execution layer and the CUDA -> CPU
rules take it once it is rewritten to that.  Anything else from cooperative groups (grid
sync, tiled partitions, coalesced groups, group reductions, other uses of the block
handle) is left untouched, so the usual refusal names it and its line.

The rewrite keeps every line where it was: removed declarations become blank lines."""

from __future__ import annotations

import re

_INCLUDE = re.compile(r"^[ \t]*#[ \t]*include[ \t]*<cooperative_groups\.h>[ \t]*$", re.M)
_ALIAS = re.compile(r"\bnamespace\s+(\w+)\s*=\s*(?:::)?cooperative_groups\s*;")
_USING = re.compile(r"\busing\s+namespace\s+(?:::)?cooperative_groups\s*;")
_COMMENT = re.compile(r"//[^\n]*|/\*.*?\*/", re.S)


def _blank(match: re.Match) -> str:
    return "\n" * match.group(0).count("\n")


def thread_block_barriers(text: str) -> str:
    """`text` with thread-block groups turned into `__syncthreads()`, when that is all the
    cooperative groups it uses; otherwise `text` unchanged."""
    if "cooperative_groups" not in text:
        return text
    prefixes = [re.escape(a) for a in _ALIAS.findall(text)] + ["cooperative_groups"]
    qualified = rf"(?:(?:::)?(?:{'|'.join(prefixes)})\s*::\s*)"
    scope = f"{qualified}{'?' if _USING.search(text) else ''}"
    declaration = re.compile(rf"\b(?:const\s+)?{scope}thread_block\s+(\w+)\s*=\s*{scope}this_thread_block\s*\(\s*\)\s*;")
    handles = declaration.findall(text)
    out = declaration.sub(_blank, text)
    for handle in handles:
        h = re.escape(handle)
        out = re.sub(rf"(?<![\w:.]){scope}sync\s*\(\s*{h}\s*\)", "__syncthreads()", out)
        out = re.sub(rf"(?<![\w.]){h}\s*\.\s*sync\s*\(\s*\)", "__syncthreads()", out)
    out = _USING.sub(_blank, _ALIAS.sub(_blank, _INCLUDE.sub(_blank, out)))
    code = _COMMENT.sub("", out)  # what is left to check; comments may name anything
    if re.search(rf"\b(?:{'|'.join(prefixes)})\b", code) or any(re.search(rf"\b{re.escape(h)}\b", code)
                                                               for h in handles):
        return text  # other cooperative-groups constructs: refused by name, as before
    if _USING.search(text) and re.search(r"\b(?:this_grid|grid_group|tiled_partition|thread_block_tile|"
                                          r"coalesced_threads|coalesced_group|this_thread_block|thread_block)\b",
                                          code):
        return text
    return out
