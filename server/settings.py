"""The server's settings: section "transverify" of workspace/configuration,
falling back to the initializationOptions the client sent at startup.

Machine settings (MACHINE_KEYS: compiler paths, the LLM endpoint, the record
store) decide what runs as the user and where code and keys are sent, so a
cloned repository's workspace settings must not set them.  A client that sends
initializationOptions["machineSettings"] (the VS Code extension: the user-level
values only) is the only source of those keys; whatever workspace/configuration
or initializationOptions["settings"] say about them is ignored.  Other clients
are trusted to answer workspace/configuration from the user's own setup.

The API key never travels through workspace/configuration (editors show and
sync those values): it comes from the server's environment or from
initializationOptions["apiKey"] (the VS Code extension reads it from its
SecretStorage).  It is never logged and never part of repr().
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

SECTION = "transverify"
MACHINE_KEYS = ("toolchain", "llm.baseUrl", "recordsPath")


@dataclass
class Settings:
    llm_base_url: str | None = None
    llm_model: str | None = None
    llm_questioner_model: str | None = None
    api_key: str | None = field(default=None, repr=False)
    solver: str = "auto"  # "auto" | "rules" | "llm"
    questioner: str = "rules"  # "rules" | "llm"
    max_rounds: int = 3
    capture: bool = True
    records_path: str | None = None
    toolchain: dict[str, str] = field(default_factory=dict)  # gfortran, gxx, nvcc
    output_suffix: dict[str, str] = field(default_factory=dict)  # target -> suffix, e.g. {"cpp": ".cxx"}
    cases: int = 64
    timeout: float = 10.0
    toolchain_error: str | None = None  # set by the server when a toolchain setting fails its check
    # The TVM action's background tuning (features/tvm_tuning.py): trials (0: off), time budget,
    # the speed-up over the default schedule that replaces the offer.
    tvm_trials: int = 8
    tvm_tune_seconds: float = 300.0
    tvm_min_speedup: float = 1.05
    # Integer sizes the TVM code is tuned and timed at ({"n": "4096"}; others 256). The verifier's
    # cases stay free; the tuned code is verified at this shape too (docs/tvm.md, Tuning shape).
    tvm_shape: dict[str, str] = field(default_factory=dict)
    # CUDA -> CPU with solver auto: the TVM CPU equivalent computed in the background and offered
    # beside the translation (features/tvm_alternative.py)
    tvm_offer_with_auto: bool = True
    tvm_offer_min_speedup: float = 0.5  # least speed-up over naive OpenMP it is offered at (the CLI's rule)

    def output_path(self, source: Path, target: str) -> Path:
        from transverify.translators.pipeline import output_path_for

        default = output_path_for(source, target)
        suffix = self.output_suffix.get(target)
        return default.with_suffix(suffix) if suffix else default

    def llm_settings(self):
        """The translator's LLMSettings: these settings over environment over config file."""
        from transverify.translators.llm import resolve_settings

        return resolve_settings(base_url=self.llm_base_url or None, api_key=self.api_key or None,
                                model=self.llm_model or None, questioner_model=self.llm_questioner_model or None)

    def verify_options(self, cancel=None, progress=None):
        from transverify.verify import VerifyOptions

        return VerifyOptions(cases=self.cases, timeout=self.timeout, cancel=cancel, progress=progress,
                             toolchain={k: v for k, v in self.toolchain.items() if v})

    def open_store(self):
        """The record store these settings name; None when it cannot be opened (capture is best effort)."""
        from transverify.translators.records import RecordStore

        try:
            return RecordStore.open(Path(self.records_path).expanduser() if self.records_path else None,
                                    enabled=None if self.capture else False)
        except Exception as exc:
            logging.getLogger(__name__).warning("record store unavailable: %s", exc)
            return None


def _get(data: dict[str, Any], dotted: str) -> Any:
    """Reads "llm.baseUrl" from either nested ({"llm": {"baseUrl": ..}}) or flat keys."""
    if dotted in data:
        return data[dotted]
    node: Any = data
    for part in dotted.split("."):
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node


def parse_settings(section: dict[str, Any] | None, init_options: dict[str, Any] | None = None) -> Settings:
    """Settings from the "transverify" configuration section; bad values fall back to defaults."""
    init_options = init_options or {}
    data: dict[str, Any] = {}
    base = init_options.get("settings") if isinstance(init_options.get("settings"), dict) else {}
    data.update(base or {})
    data.update(section or {})
    machine = init_options.get("machineSettings")
    if isinstance(machine, dict):
        for key in MACHINE_KEYS:
            data = _without(data, key)
            value = _get(machine, key)
            if value is not None:
                data[key] = value
    settings = Settings()
    settings.llm_base_url = _str(_get(data, "llm.baseUrl"))
    settings.llm_model = _str(_get(data, "llm.model"))
    settings.llm_questioner_model = _str(_get(data, "llm.questionerModel"))
    settings.api_key = (_str(init_options.get("apiKey")) or os.environ.get("OPENAI_API_KEY") or None)
    settings.solver = _choice(_get(data, "solver"), ("auto", "rules", "llm"), "auto")
    settings.questioner = _choice(_get(data, "questioner"), ("rules", "llm"), "rules")
    settings.max_rounds = _int(_get(data, "maxRounds"), 3, low=1, high=20)
    settings.cases = _int(_get(data, "cases"), 64, low=1, high=10000)
    capture = _get(data, "capture")
    settings.capture = capture if isinstance(capture, bool) else True
    settings.records_path = _str(_get(data, "recordsPath"))
    toolchain = _get(data, "toolchain")
    if isinstance(toolchain, dict):
        settings.toolchain = {k: v for k, v in toolchain.items() if isinstance(v, str) and v}
    settings.tvm_trials = _int(_get(data, "tvm.trials"), 8, low=0, high=1000)
    settings.tvm_tune_seconds = float(_number(_get(data, "tvm.tuneSeconds"), 300.0, low=1.0, high=86400.0))
    settings.tvm_min_speedup = float(_number(_get(data, "tvm.minSpeedup"), 1.05, low=0.0, high=1000.0))
    settings.tvm_shape = _sizes(_get(data, "tvm.shape"))
    offer = _get(data, "tvm.offerWithAuto")
    settings.tvm_offer_with_auto = offer if isinstance(offer, bool) else True
    settings.tvm_offer_min_speedup = float(_number(_get(data, "tvm.offerMinSpeedup"), 0.5, low=0.0, high=1000.0))
    suffix = _get(data, "outputSuffix")
    if isinstance(suffix, dict):
        settings.output_suffix = {k: _dotted(v) for k, v in suffix.items() if isinstance(v, str) and v}
    return settings


def _without(data: dict[str, Any], dotted: str) -> dict[str, Any]:
    """A copy of data with the key gone in both its flat and nested spellings."""
    data = {k: v for k, v in data.items() if k != dotted}
    head, _, rest = dotted.partition(".")
    if rest and isinstance(data.get(head), dict):
        data[head] = _without(data[head], rest)
    elif not rest:
        data.pop(head, None)
    return data


def _str(value: Any) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None


def _choice(value: Any, allowed: tuple[str, ...], default: str) -> str:
    return value if value in allowed else default


def _int(value: Any, default: int, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return default
    return max(low, min(high, int(value)))


def _number(value: Any, default: float, low: float, high: float) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value != value:  # NaN
        return default
    return max(low, min(high, float(value)))


_MAX_SIZE = 1 << 26  # 64M elements of one dimension: arrays stay within the sandbox's memory


def _sizes(value: Any) -> dict[str, str]:
    """{"n": 4096, ...} -> {"n": "4096"}: identifiers to positive integers; other entries are dropped."""
    if not isinstance(value, dict):
        return {}
    return {name: str(size) for name, size in value.items()
            if isinstance(name, str) and name.isidentifier() and isinstance(size, int) and not isinstance(size, bool)
            and 1 <= size <= _MAX_SIZE}


def _dotted(suffix: str) -> str:
    return suffix if suffix.startswith(".") else "." + suffix
