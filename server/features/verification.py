"""Verification results in the editor: diagnostics and code lens on translated
files, and the "Re-verify" / "Verify against source" commands.

Re-verification checks the editor's current text (saved or not): it is copied
under the translated file's own name into a private temp folder, so compiler
messages still name the user's file.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
from pathlib import Path
from typing import Any

from lsprotocol import types
from pygls.uris import from_fs_path, to_fs_path

from ..links import Link
from ..status import SOURCE, diagnostics_for, error_context, lens_title
from ..tvm_alternatives import source_lenses as alternative_source_lenses
from ..tvm_alternatives import target_lens as alternative_target_lens
from ..tvm_offers import source_lenses, target_lens
from ..units import find_unit, find_units
from .compare_source import client_has_compare, compare_lens
from .jobs import run_job

log = logging.getLogger(__name__)

REVERIFY = "transverify.reverify"
VERIFY_AGAINST = "transverify.verifyAgainstSource"

TARGET_KIND_BY_SUFFIX = {".cpp": "cpp", ".cc": "cpp", ".cxx": "cpp", ".cu": "cuda", ".py": "jax"}


def register(server) -> None:
    @server.feature(types.TEXT_DOCUMENT_CODE_LENS)
    def code_lens(ls, params: types.CodeLensParams) -> list[types.CodeLens]:
        path = Path(to_fs_path(params.text_document.uri) or params.text_document.uri)
        lenses = source_lenses(ls, params.text_document.uri, path) if ls.tvm_offers else []
        if ls.tvm_alternatives:
            lenses.extend(alternative_source_lenses(ls, path))
        link = ls.links_for(path).get(path)
        if link is None:
            return lenses
        line = _function_line(ls, params.text_document.uri, link)
        title = link.summary or f"not verified yet against {Path(link.source).name}"
        position = types.Position(line=line, character=0)
        lenses.append(types.CodeLens(range=types.Range(start=position, end=position),
                                     command=types.Command(title=title, command=REVERIFY,
                                                           arguments=[{"uri": params.text_document.uri}])))
        tvm = target_lens(ls, link, line, ls.text_of(path)) if ls.tvm_offers else None
        if tvm is not None:
            lenses.append(tvm)
        alternative = alternative_target_lens(ls, link, line) if ls.tvm_alternatives else None
        if alternative is not None:
            lenses.append(alternative)
        if client_has_compare(ls):
            lenses.append(compare_lens(params.text_document.uri, line))
        return lenses

    @server.command(REVERIFY)
    async def reverify_command(ls, *args: Any) -> dict:
        path, link = linked_translation(ls, args)
        if link is None:
            message = f"{path.name if path else 'this file'} is not linked to a source; use 'Verify against source'"
            ls.show(f"transverify: {message}", types.MessageType.Warning)
            return {"status": "error", "message": message}
        return await verify_link(ls, link, human_edit=True)

    @server.command(VERIFY_AGAINST)
    async def verify_against_command(ls, *args: Any) -> dict:
        spec = args[0] if len(args) == 1 and isinstance(args[0], dict) else {}
        uri, source = spec.get("uri"), spec.get("source")
        if not isinstance(uri, str) or not isinstance(source, str):
            message = f"{VERIFY_AGAINST} expects one argument {{uri, source, entry?}}"
            ls.show(f"transverify: {message}", types.MessageType.Error)
            return {"status": "error", "message": message}
        target = Path(to_fs_path(uri) or uri)
        source_path = Path(to_fs_path(source) or source) if source.startswith("file:") else Path(source)
        if not source_path.is_file():
            message = f"source {source_path} does not exist"
            ls.show(f"transverify: {message}", types.MessageType.Error)
            return {"status": "error", "message": message}
        entry = spec.get("entry") if isinstance(spec.get("entry"), str) else None
        link = ls.links_for(target).get(target) or Link(
            target=str(target), source=str(source_path), entry=entry,
            target_kind=TARGET_KIND_BY_SUFFIX.get(target.suffix.lower(), "cpp"))
        link.source, link.entry = str(source_path.resolve()), entry or link.entry
        link.source_line = _unit_line(ls, source_path, link.entry) + 1
        ls.links_for(target).put(link)
        return await verify_link(ls, link, human_edit=True)


def linked_translation(ls, args: tuple) -> tuple[Path | None, Link | None]:
    """The file named by a command's `{uri}` argument and, if transverify made it, its link to the source."""
    uri = _uri_argument(args)
    path = Path(to_fs_path(uri) or uri) if uri else None
    return path, (ls.links_for(path).get(path) if path else None)


def _uri_argument(args: tuple) -> str | None:
    if len(args) == 1 and isinstance(args[0], dict) and isinstance(args[0].get("uri"), str):
        return args[0]["uri"]
    if len(args) == 1 and isinstance(args[0], str):
        return args[0]
    return None


async def verify_link(ls, link: Link, human_edit: bool, text: str | None = None, background: bool = False) -> dict:
    """Verify the linked file's current text against its source; publish; capture a human fix."""
    target = Path(link.target)
    text = text if text is not None else ls.text_of(target)
    if text is None:
        return {"status": "error", "message": f"{target} cannot be read"}
    settings = await ls.settings_for(from_fs_path(str(target)))
    if settings.toolchain_error:
        ls.show(f"transverify: {settings.toolchain_error}", types.MessageType.Error)
        return {"status": "error", "message": settings.toolchain_error}

    def work(job, progress):
        return verify_text(link, text, settings, job.cancel, progress)

    title = f"Verifying {target.name} against {Path(link.source).name}"
    job, result = await run_job(ls, title, work, lambda r: r.message or r.verdict,
                                supersedes=f"verify:{link.target}" if background else None)
    if job.cancel.is_set():
        return {"status": "cancelled", "message": "cancelled"}
    before_verdict, before_code, before_context = link.verdict, link.failing_code, link.error_context
    fix_id = None
    if (human_edit and settings.capture and result.verdict == "equivalent" and before_verdict not in (None, "equivalent")
            and before_code is not None and before_code != text):
        fix_id = await ls.in_worker(_store_fix, settings, link, result, before_code, before_context or "", text)
        if fix_id is not None:
            from .dialogue import records_changed

            records_changed(ls, "fix")
    record_result(ls, link, result, text)
    return {"status": "verified", "verdict": result.verdict, "summary": link.summary, "cases": result.cases,
            "fixRecord": fix_id, "stages": job.stages, "worker": result.tools.get("worker")}


def verify_text(link: Link, text: str, settings, cancel, progress):
    from transverify.verify import verify

    workdir = Path(tempfile.mkdtemp(prefix="transverify-lsp-"))
    try:
        # Compilers and runs happen in the sandbox as an unprivileged user: it must read the copy.
        workdir.chmod(0o755)
        candidate = workdir / Path(link.target).name
        candidate.write_text(text, encoding="utf-8")
        candidate.chmod(0o644)
        options = settings.verify_options(cancel=cancel, progress=progress)
        options.entry = link.entry
        return verify(Path(link.source), candidate, options)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def _store_fix(settings, link: Link, result, before: str, context: str, after: str) -> str | None:
    store = settings.open_store()
    if store is None:
        return None
    try:
        if not store.enabled:
            return None
        source_code = Path(link.source).read_text(encoding="utf-8", errors="replace")
        pair = result.pair or f"{Path(link.source).suffix.lstrip('.')}->{link.target_kind}"
        return store.add_fix(pair=pair, source_code=source_code, before=before, error_context=context, after=after,
                             origin="human", source_path=link.source, dialogue_id=link.dialogue_id)
    except Exception as exc:
        log.warning("fix record not stored: %s", exc)
        return None
    finally:
        store.close()


def record_result(ls, link: Link, result, code: str) -> None:
    """Remember the result on the link, publish diagnostics and refresh code lenses (event loop only)."""
    if result is not None:
        link.verdict = result.verdict
        link.cases = result.cases
        link.summary = lens_title(result, Path(link.source), link.source_line)
        if result.verdict == "equivalent":
            link.failing_code, link.error_context = None, None
        else:
            link.failing_code, link.error_context = code, error_context(result)
        ls.last_results[link.target] = result
    ls.links_for(Path(link.target)).put(link)
    publish(ls, link, result, code)


def publish(ls, link: Link, result, code: str) -> None:
    target = Path(link.target)
    uri = from_fs_path(str(target))
    language = "cuda" if target.suffix.lower() in (".cu", ".cuh") else "cpp"
    unit = None
    if target.suffix.lower() != ".py":
        units = find_units(code, language)
        unit = (find_unit(units, link.entry) if link.entry else None) or (units[0] if units else None)
    diagnostics = diagnostics_for(result, target, unit, code.split("\n")) if result is not None else []
    ls.published[uri] = diagnostics  # the hover over a mismatch finds its case here
    ls.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri, diagnostics=diagnostics))
    workspace_caps = ls.client_capabilities.workspace
    lens_caps = workspace_caps.code_lens if workspace_caps is not None else None
    if lens_caps is not None and lens_caps.refresh_support:
        ls.workspace_code_lens_refresh(None)


def _function_line(ls, uri: str, link: Link) -> int:
    path = Path(link.target)
    text = ls.text_of(path) or ""
    if path.suffix.lower() == ".py":
        return 0
    units = find_units(text, "cuda" if path.suffix.lower() in (".cu", ".cuh") else "cpp")
    unit = (find_unit(units, link.entry) if link.entry else None) or (units[0] if units else None)
    return unit.name_line if unit else 0


def _unit_line(ls, source: Path, entry: str | None) -> int:
    from ..server import LANGUAGE_BY_SUFFIX

    language = LANGUAGE_BY_SUFFIX.get(source.suffix.lower())
    if language is None or entry is None:
        return 0
    unit = find_unit(find_units(ls.text_of(source) or "", language), entry)
    return unit.name_line if unit else 0


def is_ours(diagnostic: types.Diagnostic) -> bool:
    return diagnostic.source == SOURCE
