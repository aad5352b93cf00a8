"""Small helpers over TVM's TIR nodes shared by the C++ printer's modules."""

from __future__ import annotations

C_TYPES = {"float32": "float", "float64": "double", "int32": "int32_t", "int64": "int64_t", "bool": "bool",
           "int8": "int8_t", "int16": "int16_t", "uint8": "uint8_t", "uint16": "uint16_t", "uint32": "uint32_t",
           "uint64": "uint64_t"}


def dtype_of(node) -> str:
    return str(node.ty.dtype)


def handle(obj) -> int:
    return obj.__chandle__()


def is_const(e) -> bool:
    return type(e).__name__ == "IntImm"


def conjuncts(e) -> list:
    if type(e).__name__ == "And":
        return conjuncts(e.a) + conjuncts(e.b)
    return [e]


def disjuncts(e) -> list:
    if type(e).__name__ == "Or":
        return disjuncts(e.a) + disjuncts(e.b)
    return [e]


def addends(e) -> list:
    if type(e).__name__ == "Add":
        return addends(e.a) + addends(e.b)
    return [e]


def mentions(e, var_handle: int) -> bool:
    import tvm_ffi

    found = []
    tvm_ffi.structural_walk(e, lambda node: found.append(1) if type(node).__name__ == "Var" and
                            handle(node) == var_handle else None)
    return bool(found)
