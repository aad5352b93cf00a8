"""One dialogue: the Solver's message list, mirrored turn by turn into the record store."""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable

from ..records import RecordStore, RecordStoreError
from .budget import Fitted, TokenBudget

if TYPE_CHECKING:
    from .refine import LoopTask


class Session:
    def __init__(self, task: "LoopTask"):
        self.task = task
        self.messages: list[dict[str, str]] = []
        self.code_turns: set[int] = set()  # indices of messages that carried a candidate
        self.dialogue_id: str | None = None
        self.warnings: list[str] = []
        self.record(lambda store: setattr(self, "dialogue_id", store.start_dialogue(
            task.pair, task.source_code, task.source, entry=task.entry, solver_model=task.settings.model,
            questioner_model=task.settings.questioner if task.questioner == "llm" else None,
            questioner_mode=task.questioner, prompt_version=task.prompts.version)))

    def record(self, write: Callable[[RecordStore], object]) -> None:
        """Capture is best effort: a store that fails stops recording, never the translation."""
        if self.task.store is None:
            return
        try:
            write(self.task.store)
        except RecordStoreError as exc:
            self.warnings.append(f"records are no longer captured: {exc}")
            self.task.store = None
            self.dialogue_id = None

    def fit(self, budget: TokenBudget) -> Fitted:
        """What the Solver is sent: the system prompt, the task, the latest candidate and feedback,
        and as many earlier rounds as the context window holds; the store keeps every turn."""
        latest_code = {max(self.code_turns)} if self.code_turns else set()
        return budget.fit(self.messages, keep=latest_code)

    def say(self, role: str, agent: str, content: str, **extra: object) -> None:
        if role == "assistant" and extra.get("code") is not None:
            self.code_turns.add(len(self.messages))
        self.messages.append({"role": role, "content": content})
        self.record(lambda store: store.add_turn(self.dialogue_id, role, agent, content,
                                                 **extra))  # type: ignore[arg-type]
