"""Plain data between the three processes of a PyTorch -> JAX verification: the sandboxed torch
reference, the sandboxed candidate and the trusted parent.  Values travel as JSON (structure,
Python scalars, dtype names) plus numpy arrays in .npz files, which are read back with
`allow_pickle=False`: no side can hand another an object that runs code when it is loaded.

numpy only: the parent compares without importing torch or jax."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import numpy as np

# Array dtypes an .npz may carry (object arrays never: they need pickle).
PLAIN_KINDS = "biufc"
MAX_JSON_BYTES = 8 << 20


class TransferError(Exception):
    """A file from a sandboxed side is missing, damaged or not in the agreed shape."""


class Tagged:
    """An array with the dtype name of the tensor it came from (bfloat16 travels as float32)."""

    __slots__ = ("array", "dtype")

    def __init__(self, array: np.ndarray, dtype: str):
        self.array, self.dtype = array, dtype


def encode(value, arrays: dict, key: str):
    """A JSON description of `value`; array leaves go into `arrays` under names derived from `key`.
    Torch tensors must have been turned into Tagged arrays before."""
    if isinstance(value, Tagged):
        arrays[key] = value.array
        return {"array": key, "dtype": value.dtype}
    if isinstance(value, np.ndarray):
        arrays[key] = value
        return {"array": key, "dtype": str(value.dtype)}
    if isinstance(value, (list, tuple)):
        return {"list" if isinstance(value, list) else "tuple":
                [encode(item, arrays, f"{key}_{i}") for i, item in enumerate(value)]}
    if value is None or isinstance(value, (bool, int, str)):
        return {"value": value}
    if isinstance(value, float):
        return {"float": repr(value)}  # repr keeps inf and nan, which JSON has no words for
    raise TransferError(f"a value of type {type(value).__name__} cannot be passed between processes")


def decode(description, arrays: dict, make_array=None):
    """The value `encode` described; `make_array(array, dtype_name)` turns array leaves back
    (for example into bfloat16)."""
    if not isinstance(description, dict) or len(description) not in (1, 2):
        raise TransferError("a value description is damaged")
    if "array" in description:
        array = arrays.get(description["array"])
        if array is None:
            raise TransferError(f"array {description['array']!r} is missing")
        return make_array(array, description.get("dtype", "")) if make_array else array
    if "list" in description:
        return [decode(item, arrays, make_array) for item in description["list"]]
    if "tuple" in description:
        return tuple(decode(item, arrays, make_array) for item in description["tuple"])
    if "float" in description:
        return float(description["float"])
    if "value" in description:
        return description["value"]
    raise TransferError("a value description is damaged")


def save_arrays(path: Path | str, arrays: dict) -> None:
    """Arrays into an .npz; anything that would need pickle is refused."""
    for name, array in arrays.items():
        if not isinstance(array, np.ndarray) or array.dtype.kind not in PLAIN_KINDS:
            raise TransferError(f"{name}: not a plain numeric array")
    with open(path, "wb") as handle:
        np.savez(handle, **arrays)


def load_arrays(path: Path | str) -> dict[str, np.ndarray]:
    """Every array of an .npz written by a sandboxed side, without pickle."""
    try:
        with np.load(path, allow_pickle=False) as archive:
            arrays = {name: archive[name] for name in archive.files}
    except FileNotFoundError:
        raise TransferError(f"{Path(path).name} was not written") from None
    except (OSError, ValueError, EOFError, zipfile.BadZipFile, KeyError) as exc:
        raise TransferError(f"{Path(path).name} is damaged: {exc}") from None
    for name, array in arrays.items():
        if array.dtype.kind not in PLAIN_KINDS:
            raise TransferError(f"{Path(path).name}: {name} is not a plain numeric array")
    return arrays


def load_json(path: Path | str):
    """A JSON file written by a sandboxed side (size-capped, parsed without surprises)."""
    path = Path(path)
    try:
        if path.stat().st_size > MAX_JSON_BYTES:
            raise TransferError(f"{path.name} is larger than {MAX_JSON_BYTES} bytes")
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise TransferError(f"{path.name} was not written") from None
    except (OSError, ValueError) as exc:
        raise TransferError(f"{path.name} is damaged: {exc}") from None


def write_json(path: Path | str, value) -> None:
    Path(path).write_text(json.dumps(value, default=str), encoding="utf-8")


def leaf_record(name: str, value, arrays: dict, key: str) -> dict:
    """One output leaf as {name, dtype, array key} (its array into `arrays`), with the dtype
    name as its own library spells it; bfloat16 travels as float32."""
    if value is None:
        return {"name": name, "dtype": "None", "array": None, "tensor": False}
    module = type(value).__module__
    tensor = module.startswith("torch")
    if tensor:
        value = value.detach()
        dtype = str(value.dtype).removeprefix("torch.")
        array = value.float().numpy() if dtype == "bfloat16" else value.numpy()
    else:
        try:
            array = np.asarray(value)
        except Exception:  # noqa: BLE001 - an object numpy cannot read is reported, not raised
            return {"name": name, "dtype": "object", "array": None, "tensor": False, "type": type(value).__name__}
        dtype = str(array.dtype)
        if dtype == "bfloat16":
            array = array.astype(np.float32)
    if array.dtype.kind not in PLAIN_KINDS:
        return {"name": name, "dtype": "object", "array": None, "tensor": False, "type": type(value).__name__}
    arrays[key] = np.ascontiguousarray(array)
    return {"name": name, "dtype": dtype, "array": key, "tensor": tensor}
