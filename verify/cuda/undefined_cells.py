"""Output cells that come from device memory the source never wrote.

`cudaMalloc` leaves memory undefined; a program that copies a buffer back without writing all of it
(an interior stencil's border, PolyBench's 2DConvolution) returns whatever was there. On the CPU
path the execution layer fills every allocation with one byte (TVCUDA_MALLOC_FILL); the source is
run a second time under another byte, and the cells whose bits differ between the two runs depend
on undefined memory. They are left out of the comparison, and the result says how many and where.
"""

from __future__ import annotations

import numpy as np

SECOND_FILL = 0x41  # the first run's is the layer's default, 0xBE


def undefined_cells(first: list[dict], second: list[dict], outputs: list) -> list[dict]:
    """Per case, output name -> bool mask of the cells whose bits differ between the two runs
    (outputs with none left out)."""
    found = []
    for a, b in zip(first, second):
        masks = {}
        for output in outputs:
            if getattr(output, "text", False):
                continue
            left, right = np.asarray(a[output.name]), np.asarray(b[output.name])
            if left.shape != right.shape or left.dtype != right.dtype or left.dtype.kind not in "biufc" \
                    or left.size == 0:
                continue
            differ = np.ascontiguousarray(left).view(np.uint8).reshape(left.size, -1) != \
                np.ascontiguousarray(right).view(np.uint8).reshape(right.size, -1)
            mask = differ.any(axis=1)
            if mask.any():
                masks[output.name] = mask
        found.append(masks)
    return found


def encode(masks: list[dict]) -> list[dict]:
    """The masks as JSON (packed bits in hex, and the cell count) for the reference cache."""
    return [{name: {"bits": np.packbits(mask).tobytes().hex(), "size": int(mask.size)}
             for name, mask in case.items()} for case in masks]


def decode(data: list[dict]) -> list[dict]:
    return [{name: np.unpackbits(np.frombuffer(bytes.fromhex(item["bits"]), dtype=np.uint8))[:item["size"]]
             .astype(bool) for name, item in case.items()} for case in data]


def mask_out(expected: dict, actual: dict, masks: dict) -> dict:
    """`actual` with the masked cells taken from `expected`, so they compare equal."""
    if not masks:
        return actual
    actual = dict(actual)
    for name, mask in masks.items():
        exp, act = np.asarray(expected[name]), np.array(actual[name], copy=True)
        if act.size == mask.size and exp.size == mask.size:
            act.reshape(-1)[mask] = exp.reshape(-1)[mask]
            actual[name] = act
    return actual


def describe(masks: list[dict]) -> list[str]:
    """One warning per output: how many cells were left out, and the first."""
    notes = {}
    for case, per_case in enumerate(masks):
        for name, mask in per_case.items():
            count, first = notes.get(name, (0, None))
            where = first if first is not None else (case, int(np.argmax(mask)))
            notes[name] = (count + int(mask.sum()), where)
    return [f"{name}: {count} cell(s) come from device memory the source never wrote (undefined in CUDA: they "
            f"change with what cudaMalloc leaves there), so they are not compared; the first is {name}[{index}] "
            f"in case {case}" for name, (count, (case, index)) in notes.items()]
