""""Ask the Solver to fix": one more loop round, seeded with the file's current
code and its last verification, solved by the LLM; the answer comes back as a
confirmable edit like any translation."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from lsprotocol import types

from .jobs import run_job

SOLVER_FIX = "transverify.solverFix"


def register(server) -> None:
    @server.command(SOLVER_FIX)
    async def solver_fix_command(ls, *args: Any) -> dict:
        from .verification import linked_translation

        _, link = linked_translation(ls, args)
        if link is None:
            message = "this file is not a translation transverify knows; use 'Verify against source' first"
            ls.show(f"transverify: {message}", types.MessageType.Warning)
            return {"status": "error", "message": message}
        return await solver_fix(ls, link)


async def solver_fix(ls, link) -> dict:
    from pygls.uris import from_fs_path

    from .delivery import deliver
    from .translate import _llm
    from .verification import verify_text

    target, source = Path(link.target), Path(link.source)
    code = ls.text_of(target)
    if code is None:
        return {"status": "error", "message": f"{target} cannot be read"}
    settings = await ls.settings_for(from_fs_path(str(target)))
    if settings.toolchain_error:
        ls.show(f"transverify: {settings.toolchain_error}", types.MessageType.Error)
        return {"status": "error", "message": settings.toolchain_error}
    last = ls.last_results.get(link.target)

    def work(job, progress):
        from transverify.translators.pipeline import TranslateRequest, translate

        seed_result = last
        if seed_result is None:  # e.g. after a restart: the Solver needs the failure it is fixing
            progress("verifying the current code")
            seed_result = verify_text(link, code, settings, job.cancel, progress)
        store = settings.open_store()
        request = TranslateRequest(
            source=source, target=link.target_kind, entry=link.entry, solver="llm", questioner=settings.questioner,
            max_rounds=1, llm=_llm(settings), output=target, seed_candidate=code, seed_result=seed_result,
            verify_options=settings.verify_options(cancel=job.cancel, progress=progress),
            cancel=job.cancel, progress=progress, store=store)
        return translate(request), store

    job, (outcome, store) = await run_job(ls, f"Asking the Solver to fix {target.name}", work,
                                          lambda v: v[0].message)
    return await deliver(ls, job, outcome, store, source=source, target_path=target, entry=link.entry,
                         target_kind=link.target_kind, settings=settings, origin="solver")
