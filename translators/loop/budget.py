"""Token budgets: how long a reply may be, and which turns of the history fit the context.

No tokenizer of the server's model is available here, so tokens are estimated:
one token per 3 characters plus 8 per message, which over-counts for code in
the BPE tokenizers of current models (3.5-4 characters per token).  Every reply
reports the prompt's real size (`usage.prompt_tokens`); when that is larger than
the estimate, later estimates are scaled up by the observed ratio.

The history sent to the Solver always keeps the system prompt, the task (the
source), the latest candidate and the latest feedback; older rounds are added,
newest first and as whole (answer, question) pairs so that roles still
alternate, while they fit `context window - max_tokens - margin`.  When the
server does not say how large its context is (and `[llm] context_window` is not
set), the latest `FALLBACK_ROUNDS` rounds are sent.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

CHARS_PER_TOKEN = 3.0
TOKENS_PER_MESSAGE = 8
MARGIN = 64  # tokens kept free for the chat template's own markup
FALLBACK_ROUNDS = 4  # rounds resent when the context window is unknown
MIN_REPLY_TOKENS = 256  # below this a reply cannot hold a translation: the context is too small
DEFAULT_MIN_TOKENS = 1024
DEFAULT_MAX_TOKENS = 16384
GROWN_MAX_TOKENS = 32768  # the most a retry after `finish_reason: length` asks for
QUESTIONER_MAX_TOKENS = 768


class ContextTooSmall(Exception):
    """Even the source, the latest candidate and its feedback do not fit the context window."""

    def __init__(self, needed: int, window: int):
        self.needed, self.window = needed, window
        super().__init__(f"the source, the latest candidate and its feedback need about {needed} tokens, but the "
                         f"model's context window is {window} tokens; use a model with a larger context, translate "
                         "one procedure at a time (--entry), or set [llm] context_window if the server's is larger")


def estimate_tokens(text: str) -> int:
    return math.ceil(len(text) / CHARS_PER_TOKEN)


def default_max_tokens(source_code: str) -> int:
    """A reply limit sized to the source: the translation is rarely more than twice as long
    (C++ declarations, CUDA launch code), plus room for a short explanation."""
    return max(DEFAULT_MIN_TOKENS, min(DEFAULT_MAX_TOKENS, 2 * estimate_tokens(source_code) + 768))


@dataclass
class Fitted:
    messages: list[dict[str, str]]
    max_tokens: int
    dropped_rounds: int = 0
    estimated_tokens: int = 0


class TokenBudget:
    def __init__(self, context_window: int | None, max_tokens: int):
        self.context_window = context_window
        self.max_tokens = max_tokens
        self.scale = 1.0  # real / estimated prompt tokens, raised by observations

    def estimate(self, messages: list[dict[str, str]]) -> int:
        raw = sum(estimate_tokens(m.get("content") or "") + TOKENS_PER_MESSAGE for m in messages)
        return math.ceil(raw * self.scale)

    def observe(self, messages: list[dict[str, str]], prompt_tokens: int | None) -> None:
        """Calibrate with the server's own count of a prompt it just read."""
        if not prompt_tokens:
            return
        estimated = self.estimate(messages) / self.scale
        if estimated > 0 and prompt_tokens / estimated > self.scale:
            self.scale = min(prompt_tokens / estimated, 3.0)

    def shrink_window(self, n_ctx: int | None, tried: int) -> None:
        """The server refused a prompt estimated at `tried` tokens as too long."""
        if n_ctx:
            self.context_window = min(n_ctx, self.context_window or n_ctx)
        else:
            self.context_window = max(MIN_REPLY_TOKENS * 2, int((self.context_window or tried) * 0.75))

    def room(self, messages: list[dict[str, str]]) -> int | None:
        """Tokens left for the reply after `messages`, or None when the window is unknown."""
        if not self.context_window:
            return None
        return self.context_window - MARGIN - self.estimate(messages)

    def fit(self, messages: list[dict[str, str]], keep: set[int] | frozenset = frozenset(),
            max_tokens: int | None = None) -> Fitted:
        """The messages to send and the reply limit to ask for.  messages[:2] are the system
        prompt and the task; `keep` holds indices of later messages that must stay (the latest
        candidate); the last two messages (latest answer and question) always stay."""
        limit = max_tokens or self.max_tokens
        head, rest = messages[:2], messages[2:]
        if not self.context_window:
            kept = rest[-2 * FALLBACK_ROUNDS:]
            dropped = (len(rest) - len(kept)) // 2
            return Fitted(head + kept, limit, dropped, self.estimate(head + kept))
        # Whole (answer, question) pairs counted from the end, so roles keep alternating.
        start = len(rest) % 2
        pairs = [(start + i, start + i + 1) for i in range(0, len(rest) - start, 2)]
        lead = list(range(start))  # an odd message right after the task (never in practice)
        required = {len(pairs) - 1} if pairs else set()
        for index in keep:
            position = index - 2
            for number, (a, b) in enumerate(pairs):
                if position in (a, b):
                    required.add(number)

        def assemble(chosen: set[int]) -> list[dict[str, str]]:
            body = [rest[i] for i in lead]
            for number in sorted(chosen):
                a, b = pairs[number]
                body += [rest[a], rest[b]]
            return head + body

        chosen = set(required)
        needed = self.estimate(assemble(chosen))
        available = self.context_window - MARGIN - needed
        if available < MIN_REPLY_TOKENS:
            raise ContextTooSmall(needed + MIN_REPLY_TOKENS + MARGIN, self.context_window)
        limit = min(limit, available)
        for number in range(len(pairs) - 1, -1, -1):
            if number in chosen:
                continue
            trial = chosen | {number}
            if self.estimate(assemble(trial)) + limit + MARGIN <= self.context_window:
                chosen = trial
            else:
                break  # older rounds only matter through the newer ones
        sent = assemble(chosen)
        return Fitted(sent, limit, len(pairs) - len(chosen), self.estimate(sent))
