"""Provenance of a dataset: enough to say how every row was made, and to make it again."""

from __future__ import annotations

import platform
import shutil
import sys
from pathlib import Path
from typing import Any

from ..records.provenance import git_commit, now

SCHEMA = 1
TOOLS = ("gfortran", "g++", "nvcc")


def provenance(config: dict[str, Any], settings: Any, engine: str, workers: int, corpus: list[str]) -> dict[str, Any]:
    from ... import __version__

    return {
        "schema": SCHEMA,
        "tool": "transverify",
        "tool_version": __version__,
        "git_revision": git_commit(Path(__file__)),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "engine": engine,
        "workers": workers,
        "corpus": corpus,
        "config": config,
        "models": {
            "solver": getattr(settings, "model", None) if getattr(settings, "configured", False) else None,
            "questioner": getattr(settings, "questioner", None) if getattr(settings, "configured", False)
            else None,
            "endpoint": _endpoint_host(getattr(settings, "base_url", None)) if getattr(settings, "configured", False)
            else None,
        },
        "prompt_versions": prompt_versions(config["target"]),
        "seeds": {"inputs": config.get("seed", 0), "cases": config.get("cases")},
        "toolchain": toolchain_versions(),
    }


def prompt_versions(target: str) -> dict[str, dict[str, int]]:
    from ..loop import templates
    from .units import SOURCE_LANGUAGES

    versions = {}
    for language in SOURCE_LANGUAGES[target]:
        try:
            versions[f"{language}_{target}"] = dict(templates.load(f"{language}_{target}").versions)
        except templates.PromptError:
            continue
    return versions


def toolchain_versions() -> dict[str, str]:
    from ...verify.toolchain import tool_version

    found = {}
    for name in TOOLS:
        path = shutil.which(name)
        if path:
            found[name] = tool_version(path)
    found["python"] = sys.version.split()[0]
    return found


def _endpoint_host(base_url: str | None) -> str | None:
    """The endpoint without credentials or query (a URL may carry a key in its user part)."""
    if not base_url:
        return None
    from urllib.parse import urlsplit

    parts = urlsplit(base_url)
    host = parts.hostname or ""
    return f"{parts.scheme}://{host}{':' + str(parts.port) if parts.port else ''}{parts.path}"


def timestamp() -> str:
    return now()
