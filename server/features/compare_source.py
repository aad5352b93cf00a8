""""Compare with source": which source unit a translated file translates, with its text and
line range, so a client can open a diff editor between the two (VS Code: vscode.diff between
the extracted unit and the translation)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from lsprotocol import types
from pygls.uris import from_fs_path, to_fs_path

from ..units import Unit, find_unit, find_units

SOURCE_UNIT = "transverify.sourceUnit"
# The client-side command the "Compare with source" code lens runs; offered only to clients that
# say in initializationOptions.clientCommands that they have it.
COMPARE_WITH_SOURCE = "transverify.compareWithSource"


def register(server) -> None:
    @server.command(SOURCE_UNIT)
    def source_unit_command(ls, *args: Any) -> dict:
        spec = args[0] if len(args) == 1 and isinstance(args[0], dict) else {}
        uri = spec.get("uri") if isinstance(spec.get("uri"), str) else (args[0] if len(args) == 1 and
                                                                          isinstance(args[0], str) else None)
        if uri is None:
            return {"status": "error", "message": f"{SOURCE_UNIT} expects one argument {{uri}}"}
        line = spec.get("line") if isinstance(spec.get("line"), int) else None
        return source_unit(ls, Path(to_fs_path(uri) or uri), line)


def client_has_compare(ls) -> bool:
    commands = ls.init_options.get("clientCommands")
    return isinstance(commands, list) and COMPARE_WITH_SOURCE in commands


def compare_lens(uri: str, line: int) -> types.CodeLens:
    position = types.Position(line=line, character=0)
    return types.CodeLens(range=types.Range(start=position, end=position),
                          command=types.Command(title="Compare with source", command=COMPARE_WITH_SOURCE,
                                                arguments=[{"uri": uri}]))


def source_unit(ls, path: Path, line: int | None = None) -> dict:
    """For a translated file (or a source with translations): both sides' units and ranges."""
    from ..server import LANGUAGE_BY_SUFFIX

    links = ls.links_for(path)
    link = links.get(path)
    if link is None:
        linked = links.for_source(path)
        if line is not None and len(linked) > 1:
            unit = _unit_of(ls, path, None, line)
            linked = [k for k in linked if unit is not None and (k.entry or "").lower() == unit.name.lower()] or linked
        link = linked[0] if linked else None
    if link is None:
        return {"status": "error", "message": f"{path.name} is not linked to a source or a translation; "
                                              "translate it or use 'Verify against source' first"}
    source, target = Path(link.source), Path(link.target)
    source_text, target_text = ls.text_of(source), ls.text_of(target)
    if source_text is None or target_text is None:
        missing = source if source_text is None else target
        return {"status": "error", "message": f"{missing} cannot be read"}
    source_unit = _unit_of(ls, source, link.entry, None, source_text)
    target_unit = _unit_of(ls, target, link.entry, None, target_text) if target.suffix.lower() != ".py" else None
    source_lines = source_text.split("\n")
    first, last = (source_unit.start_line, source_unit.end_line) if source_unit else (0, len(source_lines) - 1)
    return {
        "status": "ok", "entry": link.entry, "targetKind": link.target_kind,
        "source": {"uri": from_fs_path(str(source)), "name": source.name,
                   "language": LANGUAGE_BY_SUFFIX.get(source.suffix.lower()), "startLine": first, "endLine": last,
                   "text": "\n".join(source_lines[first:last + 1]) + "\n"},
        "target": {"uri": from_fs_path(str(target)), "name": target.name,
                   "startLine": target_unit.start_line if target_unit else 0,
                   "endLine": target_unit.end_line if target_unit else max(0, len(target_text.split("\n")) - 1)},
        "verdict": link.verdict, "summary": link.summary,
    }


def _unit_of(ls, path: Path, entry: str | None, line: int | None, text: str | None = None) -> Unit | None:
    from ..server import LANGUAGE_BY_SUFFIX

    language = LANGUAGE_BY_SUFFIX.get(path.suffix.lower())
    text = text if text is not None else ls.text_of(path)
    if language is None or text is None:
        return None
    units = find_units(text, language)
    if entry:
        return find_unit(units, entry)
    if line is not None:
        return next((u for u in units if u.start_line <= line <= u.end_line), None)
    programs = [u for u in units if u.kind == "program"]
    return programs[0] if programs else (units[0] if len(units) == 1 else None)
