"""Translate a whole .cu file: refuse what is not covered, then kernels, device code and host code."""

from __future__ import annotations

import re

from tree_sitter import Node

from ...verify.cuda.parse import function_name, function_qualifiers, is_kernel_launch
from ...verify.cuda.rewrite import TOOLKIT_INCLUDES, UNSUPPORTED_INCLUDES, UNSUPPORTED_NAMES
from ...verify.cuda.thread_groups import thread_block_barriers
from . import RuleTranslation, Unsupported
from .host import REMOVED, HostRewriter
from .inline import inline_collectives
from .kernels import translate_kernel
from .patterns import BUILTINS
from .plan import BARRIERS, WARP_OPS
from .preamble import preamble
from .syntax import Source, called_name, line_of, rewrite, text_of, walk

DEVICE_WORDS = ("__device__", "__host__", "__forceinline__", "__noinline__", "__inline__")
EXTRA_REFUSED = {
    "texture": "texture references", "surface": "surface references", "tex2DLayered": "texture fetch",
    "surf2Dwrite": "surface write", "surf2Dread": "surface read", "this_grid": "cooperative groups grid sync",
    "grid_group": "cooperative groups grid sync", "__syncthreads_count": "__syncthreads_count",
}


def _refusals(src: Source) -> list[Unsupported]:
    found: list[Unsupported] = []
    seen: set[tuple[int, str]] = set()

    def add(node: Node, construct: str, message: str) -> None:
        key = (line_of(node), construct)
        if key not in seen:
            seen.add(key)
            found.append(Unsupported(line_of(node), construct, message))

    for node in walk(src.tree.root_node):
        t = node.type
        if t == "ERROR":
            add(node, "syntax error", f"cannot parse '{text_of(node)[:40]}'")
        elif t == "gnu_asm_expression":
            add(node, "inline PTX (asm)", "inline assembly has no CPU equivalent")
        elif t == "preproc_include":
            path = node.child_by_field_name("path")
            header = text_of(path).strip('<>"') if path is not None else ""
            if any(header.startswith(p) or p in header for p in UNSUPPORTED_INCLUDES):
                add(node, f"#include <{header}>", "this CUDA library is not translated")
        elif t in ("identifier", "type_identifier", "namespace_identifier", "field_identifier"):
            word = text_of(node)
            construct = UNSUPPORTED_NAMES.get(word) or EXTRA_REFUSED.get(word)
            if construct and not (t == "field_identifier" and word not in EXTRA_REFUSED):
                add(node, construct, f"'{word}' has no rule-based CPU translation")
        elif t == "call_expression" and is_kernel_launch(node):
            func = _enclosing_function(node)
            if func is not None and function_qualifiers(func) & {"__global__", "__device__"}:
                add(node, "dynamic parallelism", "a kernel launched from device code")
    for func in _functions(src.tree.root_node):
        words = function_qualifiers(func)
        if "__device__" in words and "__global__" not in words:
            body = func.child_by_field_name("body")
            if body is None:
                continue
            for n in walk(body):
                if n.type == "call_expression" and called_name(n) in BARRIERS | WARP_OPS:
                    add(n, f"{called_name(n)} in a __device__ function",
                        "barriers and warp operations are translated in kernels only; inline the function")
                elif n.type == "identifier" and text_of(n) in BUILTINS:
                    add(n, f"{text_of(n)} in a __device__ function",
                        "thread and block indices are translated in kernels only; pass them as arguments")
    for node in src.tree.root_node.named_children:
        if node.type == "declaration" and "__shared__" in text_of(node).split("=")[0].split():
            add(node, "__shared__ at namespace scope", "declare shared memory inside the kernel")
    return found


def _enclosing_function(node: Node) -> Node | None:
    current = node.parent
    while current is not None and current.type != "function_definition":
        current = current.parent
    return current


def _functions(root: Node) -> list[Node]:
    return [n for n in walk(root) if n.type == "function_definition"]


def translate(text: str, filename: str, idioms: bool = True) -> RuleTranslation:
    """`idioms`: recognise whole-kernel idioms (reductions, element loops); with them, the literal
    translation comes along as the draft's fallback."""
    original = text
    text, inline_notes = inline_collectives(thread_block_barriers(text))
    src = Source(text)
    refused = _refusals(src)
    if refused:
        return RuleTranslation(code=None, unsupported=refused)
    kernels = {}
    kernel_text: dict[int, str] = {}
    problems: list[Unsupported] = []
    notes: list[str] = []
    recognised = False
    for func in _functions(src.tree.root_node):
        if "__global__" in function_qualifiers(func):
            translated = translate_kernel(src, func, idioms)
            recognised |= translated.idiom
            kernels[translated.info.name] = translated.info
            kernel_text[func.id] = translated.text
            problems += [Unsupported(p.line, p.construct, p.message) for p in translated.problems]
            notes += translated.notes
    if problems:
        return RuleTranslation(code=None, unsupported=problems, notes=notes)
    kernel_params = {}
    for func in _functions(src.tree.root_node):
        if "__global__" in function_qualifiers(func):
            declarator = func.child_by_field_name("declarator")
            while declarator is not None and declarator.type != "function_declarator":
                declarator = declarator.child_by_field_name("declarator")
            params = declarator.child_by_field_name("parameters") if declarator is not None else None
            kernel_params[function_name(func) or ""] = [text_of(p) for p in params.named_children] if params else []
    host = HostRewriter(src, kernels, kernel_params)

    def replace(node: Node) -> str | None:
        if node.type == "preproc_include":
            path = node.child_by_field_name("path")
            header = text_of(path).strip('<>"') if path is not None else ""
            if header in TOOLKIT_INCLUDES:
                return ""
        if node.type == "function_definition":
            if node.id in kernel_text:
                return kernel_text[node.id]
            words = function_qualifiers(node)
            if words & {"__device__", "__host__"}:
                return _device_function(src, node)
            return host.function(node)
        if node.type == "declaration" and node.parent is not None and \
                node.parent.type in ("translation_unit", "declaration_list"):
            words = text_of(node).split("=")[0].split()
            if any(w in words for w in ("__constant__", "__device__", "__managed__")):
                return _strip_words(src, node, ("__constant__", "__device__", "__managed__"), "static ")
        return None

    body = rewrite(src, src.tree.root_node, replace)
    body = "\n".join(line.replace(REMOVED + " ", "").replace(REMOVED, "") for line in body.split("\n")
                     if not (REMOVED in line and not line.replace(REMOVED, "").strip()))
    body = re.sub(r"\n{3,}", "\n\n", body).lstrip("\n")
    uses_omp = "#pragma omp" in body
    notes += inline_notes + sorted(host.notes)
    result = RuleTranslation(code=preamble(body, filename, uses_omp) + body, notes=notes)
    if recognised:
        literal = translate(original, filename, idioms=False)
        result.fallback = literal if literal.code is not None else None
    return result


def _strip_words(src: Source, node: Node, words: tuple[str, ...], prefix: str = "") -> str:
    def replace(n: Node) -> str | None:
        if n.child_count == 0 and text_of(n) in words:
            return "\x00"
        return None
    text = rewrite(src, node, replace)
    text = re.sub(r"\x00\s*", "", text)
    if prefix and not text.lstrip().startswith(("static", "extern")):
        text = prefix + text
    return text


def _device_function(src: Source, func: Node) -> str:
    def replace(n: Node) -> str | None:
        if n.parent == func and n.child_count == 0 and text_of(n) in DEVICE_WORDS:
            return "\x00"
        if n.parent == func and n.type in ("storage_class_specifier", "type_qualifier") and \
                text_of(n) in DEVICE_WORDS:
            return "\x00"
        return None
    text = rewrite(src, func, replace)
    had_inline = any(w in text_of(func).split("(")[0] for w in ("__forceinline__", "__inline__", "inline"))
    text = re.sub(r"\x00\s*", "", text)
    if not re.match(r"\s*(static|inline|template)", text):
        text = ("static inline " if had_inline else "static ") + text
    return text
