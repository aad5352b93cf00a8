"""The Questioner in `llm` mode: a (possibly different) model reads the
pre-digested feedback and the numbered candidate and writes the questions.
The Solver is sent the digest itself too (refine.send_questions): the model's
questions are added to the facts, never a replacement for them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ...verify.result import VerifyResult
from .budget import MIN_REPLY_TOKENS, ContextTooSmall, TokenBudget
from .questioner import Questions, feedback_text, numbered_source
from .templates import PromptSet

if TYPE_CHECKING:
    from ..llm.client import ChatClient


def llm_questions(client: "ChatClient", prompts: PromptSet, model: str | None, source: str,
                  candidate: str, result: VerifyResult, budget: TokenBudget | None = None,
                  max_tokens: int | None = None) -> Questions:
    digest = feedback_text(result, candidate)
    messages = [
        {"role": "system", "content": prompts.render("questioner_system")},
        {"role": "user", "content": prompts.render("questioner_task", source=source.rstrip(),
                                                   candidate=numbered_source(candidate), feedback=digest)},
    ]
    if budget is not None:
        room = budget.room(messages)
        if room is not None:
            if room < MIN_REPLY_TOKENS:
                raise ContextTooSmall(budget.estimate(messages) + MIN_REPLY_TOKENS, budget.context_window or 0)
            max_tokens = min(max_tokens, room) if max_tokens else room
    reply = client.chat(messages, model=model, max_tokens=max_tokens, agent="questioner")
    text = reply.content.strip()
    if reply.truncated:
        text += " [cut off at the length limit]"
    return Questions(text=text, digest=digest, mode="llm", model=reply.model,
                     seconds=reply.seconds, prompt_tokens=reply.prompt_tokens,
                     completion_tokens=reply.completion_tokens)
