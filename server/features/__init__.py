"""Editor features, one module each; `register_all` wires them onto a server."""

from __future__ import annotations


def register_all(server) -> None:
    from . import capture, code_actions, hover, lifecycle, quick_fixes, translate, verification

    for feature in (lifecycle, code_actions, translate, verification, quick_fixes, capture, hover):
        feature.register(server)
