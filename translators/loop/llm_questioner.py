"""The Questioner in `llm` mode: a (possibly different) model reads the
pre-digested feedback and the numbered candidate and writes the questions."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ...verify.result import VerifyResult
from .questioner import Questions, feedback_text, numbered_source
from .templates import PromptSet

if TYPE_CHECKING:
    from ..llm.client import ChatClient


def llm_questions(client: "ChatClient", prompts: PromptSet, model: str | None, source: str,
                  candidate: str, result: VerifyResult) -> Questions:
    digest = feedback_text(result, candidate)
    messages = [
        {"role": "system", "content": prompts.render("questioner_system")},
        {"role": "user", "content": prompts.render("questioner_task", source=source.rstrip(),
                                                   candidate=numbered_source(candidate), feedback=digest)},
    ]
    reply = client.chat(messages, model=model)
    return Questions(text=reply.content.strip(), digest=digest, mode="llm", model=reply.model,
                     seconds=reply.seconds, prompt_tokens=reply.prompt_tokens,
                     completion_tokens=reply.completion_tokens)
