"""Versioned prompt templates, one set per pair (translators/prompts/<source>_<target>/)."""

from __future__ import annotations

import string
from dataclasses import dataclass
from importlib import resources

NAMES = ("solver_system", "solver_task", "questioner_system", "questioner_task", "repair", "convention")
# What the entry is called in each pair's task sentence.
ENTRY_NOUNS = {"fortran_cpp": "procedure", "cpp_cuda": "function", "cuda_cpu": "host function",
               "python_jax": "module or function"}


class PromptError(Exception):
    pass


@dataclass
class PromptSet:
    key: str  # e.g. "fortran_cpp"
    texts: dict[str, str]
    versions: dict[str, int]

    @property
    def version(self) -> str:
        """One tag for the whole set: the highest file version (any change bumps it)."""
        return f"{self.key}@{max(self.versions.values())}"

    @property
    def convention(self) -> str:
        """The calling convention the verifier checks, as the Solver's system prompt states it."""
        return self.texts["convention"].strip()

    def render(self, name: str, **values: object) -> str:
        values.setdefault("convention", self.convention)
        text = string.Template(self.texts[name]).safe_substitute({k: str(v) for k, v in values.items()})
        return text.strip() + "\n"

    def scope(self, entry: str | None) -> str:
        """The task's sentence about what to translate.  A full sentence of its own, so that
        models do not paste a dangling phrase of it into the code as a comment."""
        noun = ENTRY_NOUNS.get(self.key, "function")
        if entry:
            return f"The verifier calls the {noun} `{entry}`; translate it and what it uses."
        return f"Translate every {noun} in the file and keep their names."


def available() -> list[str]:
    root = resources.files("transverify.translators") / "prompts"
    return sorted(p.name for p in root.iterdir() if p.is_dir() and (p / "solver_system.md").is_file())


def load(key: str) -> PromptSet:
    folder = resources.files("transverify.translators") / "prompts" / key
    texts, versions = {}, {}
    for name in NAMES:
        path = folder / f"{name}.md"
        if not path.is_file():
            raise PromptError(f"no prompt template {key}/{name}.md; pairs with prompts: {', '.join(available())}")
        head, _, body = path.read_text(encoding="utf-8").partition("\n")
        if not head.startswith("version:"):
            raise PromptError(f"prompt template {key}/{name}.md must start with 'version: N'")
        versions[name] = int(head.split(":", 1)[1])
        texts[name] = body
    return PromptSet(key, texts, versions)
