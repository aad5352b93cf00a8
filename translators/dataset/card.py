"""The dataset card (README.md) that Hugging Face `datasets` and the Hub read: a YAML header
naming each file as a configuration, then what the rows are and how they were made."""

from __future__ import annotations

from pathlib import Path
from typing import Any

DESCRIPTIONS = {
    "pairs": "code pairs: every translation produced (verified or not), with its verdict and origin",
    "verified": "verified pairs with the generated differential test that verified them "
                "(harness, inputs, tolerances, execution path)",
    "dialogues": "multi-turn Questioner-Solver dialogues in the messages format {id, messages, source_file}",
    "fixes": "bug -> fix records: a failing translation, the verifier's findings, and the repaired code",
    "rejected": "units that were not verified or not translated, with the reason",
}


def write_card(out: Path, info: dict[str, Any], counts: dict[str, int]) -> None:
    target = info["config"]["target"]
    files = info.get("files", {})
    # Only files with rows become configurations: `datasets` cannot load an empty JSONL file.
    lines = ["---", "configs:"]
    for name in DESCRIPTIONS:
        if files.get(name):
            lines += [f"- config_name: {name}", "  data_files:", "  - split: train", f"    path: {name}.jsonl"]
    lines += ["tags:", "- code", "- code-translation", f"- {target}", "---", "",
              f"# transverify dataset ({', '.join(info['prompt_versions']) or target})", "",
              f"Made by transverify {info['tool_version']} (git {info['git_revision'] or 'unknown'}) with the "
              f"`{info['config']['solver']}` Solver, the `{info['config']['questioner']}` Questioner and at most "
              f"{info['config']['max_rounds']} rounds per unit. Every pair in `verified.jsonl` was compiled and run "
              "against its source on generated inputs, and agreed on every case.", "",
              "| file | rows | what |", "| --- | --- | --- |"]
    for name, what in DESCRIPTIONS.items():
        lines.append(f"| `{name}.jsonl` | {info.get('files', {}).get(name, 0)} | {what} |")
    lines += ["", "Units by outcome: " + (", ".join(f"{k} {v}" for k, v in counts.items()) or "none") + ".", "",
              "Load one file with `datasets`:", "", "```python", "from datasets import load_dataset",
              "dialogues = load_dataset(\"json\", data_files=\"dialogues.jsonl\", split=\"train\")", "```", "",
              "`manifest.json` holds the provenance: tool version, git revision, models, prompt versions, seeds "
              "and toolchain versions.", ""]
    (Path(out) / "README.md").write_text("\n".join(lines), encoding="utf-8")
