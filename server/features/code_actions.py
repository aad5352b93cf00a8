"""Code actions: "Translate to ... and verify" on the unit under the cursor,
and the quick fixes on transverify's own diagnostics.

Listing parses with tree-sitter only (cached per document version): no
compiler and no LLM run until the user picks an action.
"""

from __future__ import annotations

from pathlib import Path

from lsprotocol import types
from pygls.uris import to_fs_path

from ..mismatch_view import reproducible
from ..pairs import translations_for, unavailable_reason
from ..tvm_alternatives import APPLY_ALTERNATIVE, action_title, in_use, offered_alternative
from ..tvm_offers import APPLY_TUNED, speed_words, tuned_offer
from .quick_fixes import SOLVER_FIX
from .reproducer import WRITE_REPRODUCER
from .translate import COMMAND as TRANSLATE
from .verification import REVERIFY, is_ours


def register(server) -> None:
    @server.feature(types.TEXT_DOCUMENT_CODE_ACTION, types.CodeActionOptions(
        code_action_kinds=[types.CodeActionKind.RefactorRewrite, types.CodeActionKind.QuickFix]))
    async def code_actions(ls, params: types.CodeActionParams) -> list[types.CodeAction]:
        wanted = params.context.only
        actions: list[types.CodeAction] = []
        # Fixes for the diagnostics at hand come before the refactorings.
        if _wants(wanted, types.CodeActionKind.QuickFix):
            actions.extend(quick_fixes(ls, params))
        if _wants(wanted, types.CodeActionKind.RefactorRewrite):
            actions.extend(await translate_actions(ls, params))
        return actions


def _wants(only, kind: str) -> bool:
    # "refactor" asked for includes "refactor.rewrite"; no filter means everything.
    return not only or any(kind == k or kind.startswith(f"{k}.") for k in only)


def _disabled_supported(ls) -> bool:
    text_caps = ls.client_capabilities.text_document
    action_caps = text_caps.code_action if text_caps is not None else None
    return bool(action_caps is not None and action_caps.disabled_support)


async def translate_actions(ls, params: types.CodeActionParams) -> list[types.CodeAction]:
    uri = params.text_document.uri
    too_large = ls.too_large(uri) if ls.language_of(uri) else None
    if too_large is not None:
        _say_once(ls, uri, too_large)
        return []
    unit = await ls.unit_at_async(uri, params.range.start.line, params.range.end.line)
    if unit is None:
        return []
    language = unit.language
    actions = []
    for translation in translations_for(language):
        if unit.kind not in translation.unit_kinds:
            continue
        reason = unavailable_reason(translation)
        if reason is not None and not _disabled_supported(ls):
            continue  # clients without `disabled` support would run it only to hear it cannot run
        entry = None if unit.kind == "program" else unit.name
        action = types.CodeAction(
            title=translation.title, kind=types.CodeActionKind.RefactorRewrite,
            command=types.Command(title=translation.title, command=TRANSLATE,
                                  arguments=[{"uri": uri, "entry": entry, "target": translation.target,
                                              **({"solver": translation.solver} if translation.solver else {})}]))
        if reason is not None:
            action.disabled = types.CodeActionDisabled(reason=reason)
        elif translation.solver == "tvm" and ls.tvm_offers:
            _offer_tuned(ls, uri, entry, action)
        actions.append(action)
        if translation.target == "cpu" and translation.solver is None and ls.tvm_alternatives:
            actions.extend(_offer_alternative(ls, uri, entry))
    return actions


def _offer_alternative(ls, uri: str, entry: str | None) -> list[types.CodeAction]:
    """The TVM CPU equivalent made beside solver auto's translation, right after its action."""
    alternative = offered_alternative(ls, Path(to_fs_path(uri) or uri), entry)
    if alternative is None or in_use(ls, alternative):
        return []
    title = action_title(alternative)
    return [types.CodeAction(title=title, kind=types.CodeActionKind.RefactorRewrite,
                             command=types.Command(title=title, command=APPLY_ALTERNATIVE,
                                                   arguments=[{"uri": uri, "entry": entry}]))]


def _offer_tuned(ls, uri: str, entry: str | None, action: types.CodeAction) -> None:
    """When background tuning made this unit faster, the TVM action applies the tuned code."""
    offer = tuned_offer(ls, Path(to_fs_path(uri) or uri), entry)
    if offer is None:
        return
    action.title = f"{action.title}: tuned, {speed_words(offer.tuned_speedup, 1)}"
    action.command = types.Command(title=action.title, command=APPLY_TUNED, arguments=[{"uri": uri, "entry": entry}])


def _say_once(ls, uri: str, message: str) -> None:
    """Listing runs on every cursor move: the refusal is shown once per document."""
    said = ls.__dict__.setdefault("_size_warnings", set())
    if uri not in said:
        said.add(uri)
        ls.show(f"transverify: {message}; no translation is offered", types.MessageType.Warning)


def quick_fixes(ls, params: types.CodeActionParams) -> list[types.CodeAction]:
    ours = [d for d in params.context.diagnostics if is_ours(d)]
    if not ours:
        return []
    path = Path(to_fs_path(params.text_document.uri) or params.text_document.uri)
    link = ls.links_for(path).get(path)
    if link is None:
        return []
    argument = [{"uri": params.text_document.uri}]
    fixes = [
        types.CodeAction(title="Ask the Solver to fix", kind=types.CodeActionKind.QuickFix, diagnostics=ours,
                         is_preferred=True,
                         command=types.Command(title="Ask the Solver to fix", command=SOLVER_FIX, arguments=argument)),
        types.CodeAction(title="Re-verify", kind=types.CodeActionKind.QuickFix, diagnostics=ours,
                         command=types.Command(title="Re-verify", command=REVERIFY, arguments=argument)),
    ]
    result = ls.last_results.get(link.target)
    if result is not None and reproducible(result):
        cases = [d.data["case"] for d in ours if d.code == "mismatch" and isinstance(d.data, dict)
                 and isinstance(d.data.get("case"), int)]
        if cases:
            title = f"Write a reproducer of case {cases[0]}"
            fixes.append(types.CodeAction(
                title=title, kind=types.CodeActionKind.QuickFix, diagnostics=ours,
                command=types.Command(title=title, command=WRITE_REPRODUCER,
                                      arguments=[{"uri": params.text_document.uri, "case": cases[0]}])))
    return fixes
