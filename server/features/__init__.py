"""Editor features, one module each; `register_all` wires them onto a server."""

from __future__ import annotations


def register_all(server) -> None:
    from . import (capture, code_actions, compare_source, dialogue, hover, lifecycle, quick_fixes, reproducer,
                   translate, tvm_alternative, tvm_tuning, verification)

    for feature in (lifecycle, code_actions, translate, verification, quick_fixes, capture, hover, compare_source,
                    reproducer, dialogue, tvm_tuning, tvm_alternative):
        feature.register(server)
