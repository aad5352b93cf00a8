"""The WorkspaceEdit that puts a translation beside its source.

A change annotation with needsConfirmation makes VS Code show its refactor
preview, so the user accepts or rejects the translation; the applyEdit
response tells the server which.
"""

from __future__ import annotations

from pathlib import Path

from lsprotocol import types
from pygls.uris import from_fs_path

ANNOTATION = "transverify.translation"


def _full_range(text: str) -> types.Range:
    lines = text.split("\n")
    return types.Range(start=types.Position(line=0, character=0),
                       end=types.Position(line=len(lines) - 1, character=len(lines[-1])))


def _utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def translation_edit(target: Path, code: str, current_text: str | None, label: str, description: str,
                     version: int | None = None, document_changes: bool = True) -> types.WorkspaceEdit:
    """Create target with `code`, or replace its whole content when it already exists.

    Clients that do not declare documentChanges (Neovim 0.7) get the plain `changes`
    map; they open a new buffer for a file that does not exist yet."""
    uri = from_fs_path(str(target))
    if not document_changes:
        edit_range = _full_range(current_text) if current_text is not None else types.Range(
            start=types.Position(line=0, character=0), end=types.Position(line=0, character=0))
        if current_text is not None:
            edit_range.end.character = _utf16_len(current_text.split("\n")[-1])
        return types.WorkspaceEdit(changes={uri: [types.TextEdit(range=edit_range, new_text=code)]})
    annotation = types.ChangeAnnotation(label=label, needs_confirmation=True, description=description)
    changes: list = []
    if current_text is None:
        changes.append(types.CreateFile(uri=uri, options=types.CreateFileOptions(overwrite=True),
                                        annotation_id=ANNOTATION))
        edit_range = types.Range(start=types.Position(line=0, character=0), end=types.Position(line=0, character=0))
    else:
        edit_range = _full_range(current_text)
        last = current_text.split("\n")[-1]
        edit_range.end.character = _utf16_len(last)  # LSP columns count UTF-16 code units
    changes.append(types.TextDocumentEdit(
        text_document=types.OptionalVersionedTextDocumentIdentifier(uri=uri, version=version),
        edits=[types.AnnotatedTextEdit(range=edit_range, new_text=code, annotation_id=ANNOTATION)]))
    return types.WorkspaceEdit(document_changes=changes, change_annotations={ANNOTATION: annotation})


def supports_document_changes(client_capabilities: types.ClientCapabilities) -> bool:
    workspace = client_capabilities.workspace
    edit = workspace.workspace_edit if workspace is not None else None
    return bool(edit is not None and edit.document_changes)
