""""Write a reproducer": verify the saved translation again with the same seed and cases
and have the verifier write the harness, copies of the two files, the failing case's
inputs and run.sh into a new folder of the workspace (never over an existing one)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from lsprotocol import types
from pygls.uris import from_fs_path

from .jobs import run_job

WRITE_REPRODUCER = "transverify.writeReproducer"
FOLDER = "transverify-reproducers"


def register(server) -> None:
    @server.command(WRITE_REPRODUCER)
    async def write_reproducer_command(ls, *args: Any) -> dict:
        from .verification import linked_translation

        path, link = linked_translation(ls, args)
        spec = args[0] if len(args) == 1 and isinstance(args[0], dict) else {}
        case = spec.get("case")
        if link is None:
            return _refuse(ls, f"{path.name if path else 'this file'} is not a translation transverify knows; "
                               "use 'Verify against source' first")
        if case is not None and (not isinstance(case, int) or isinstance(case, bool) or case < 0):
            return _refuse(ls, f"{WRITE_REPRODUCER}: 'case' must be a case number")
        return await write_reproducer(ls, link, case)


def _refuse(ls, message: str, kind: types.MessageType = types.MessageType.Warning) -> dict:
    ls.show(f"transverify: {message}", kind)
    return {"status": "error", "message": message}


def new_folder(root: Path, stem: str, case: int | None) -> Path:
    """A folder name not taken yet under <root>/transverify-reproducers (nothing is overwritten)."""
    base = root / FOLDER
    if base.is_symlink() or (base.exists() and not base.is_dir()):
        raise OSError(f"{base} is not a plain folder; not writing through it")
    name = f"{stem}-case{case}" if case is not None else f"{stem}-first-failing-case"
    candidate, number = base / name, 2
    while candidate.exists() or candidate.is_symlink():
        candidate, number = base / f"{name}-{number}", number + 1
    return candidate


async def write_reproducer(ls, link, case: int | None) -> dict:
    target, source = Path(link.target), Path(link.source)
    uri = from_fs_path(str(target))
    document = ls.workspace.text_documents.get(uri)
    try:
        on_disk = target.read_text(encoding="utf-8", errors="replace")
    except OSError as exc:
        return _refuse(ls, f"{target.name} cannot be read: {exc.strerror or exc}", types.MessageType.Error)
    if document is not None and document.source != on_disk:
        # The reproducer copies the file from disk: what it reproduces must be what is saved.
        return _refuse(ls, f"save {target.name} before writing a reproducer")
    root = ls.root_for(target)
    try:
        folder = new_folder(root, target.stem, case)
    except OSError as exc:
        return _refuse(ls, str(exc), types.MessageType.Error)
    settings = await ls.settings_for(uri)
    if settings.toolchain_error:
        return _refuse(ls, settings.toolchain_error, types.MessageType.Error)

    def work(job, progress):
        from transverify.verify import verify

        options = settings.verify_options(cancel=job.cancel, progress=progress)
        options.entry, options.reproducer, options.reproducer_case = link.entry, folder, case
        return verify(source, target, options)

    job, result = await run_job(ls, f"Writing a reproducer of {target.name}", work,
                                lambda r: "written" if r.reproducer else "not written")
    if job.cancel.is_set():
        return {"status": "cancelled", "message": "cancelled"}
    if not result.reproducer:
        why = next((w for w in result.warnings if w.startswith("no reproducer written")),
                   f"no reproducer written: {result.message}")
        return _refuse(ls, why)
    written = Path(result.reproducer["directory"])
    relative = written.relative_to(root) if root in written.parents else written
    message = (f"reproducer of case {result.reproducer['case']} written to {relative} "
               f"(run: sh {relative / 'run.sh'}; verdict of this run: {result.verdict})")
    ls.show(f"transverify: {message}")
    return {"status": "written", "directory": str(written), "case": result.reproducer["case"],
            "readme": from_fs_path(str(written / "README.md")), "verdict": result.verdict, "message": message}
