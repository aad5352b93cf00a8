"""Long work with the client's progress UI: begin/report/end, cancellation.

The work runs on a worker thread; stage messages from the pipeline's progress
callback become WorkDoneProgressReport notifications, and the client's
window/workDoneProgress/cancel sets the job's threading.Event, which the
pipeline and the verification engine watch to stop compilers and LLM calls.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import uuid
from dataclasses import dataclass, field
from typing import Any, Callable

from lsprotocol import types

log = logging.getLogger(__name__)


@dataclass
class Job:
    token: str
    title: str
    cancel: threading.Event = field(default_factory=threading.Event)
    stages: list[str] = field(default_factory=list)


def _supports_progress(ls) -> bool:
    window = ls.client_capabilities.window
    return bool(window is not None and window.work_done_progress)


async def run_job(ls, title: str, work: Callable[[Job, Callable[[str], None]], Any],
                  end_message: Callable[[Any], str], supersedes: str | None = None,
                  long_running: bool = False) -> tuple[Job, Any]:
    """Run work(job, progress) on a worker; returns (job, its return value).

    A job started with the same `supersedes` key as a running one cancels it
    (saving twice quickly re-verifies once, for the latest text).  A `long_running` job
    (background tuning: minutes) gets a thread of its own rather than one of the pool's
    workers, so it never delays translations and verifications."""
    job = Job(token=f"transverify-{uuid.uuid4().hex[:12]}", title=title)
    if supersedes is not None:
        previous = ls.keyed_jobs.get(supersedes)
        if previous is not None:
            previous.cancel.set()
        ls.keyed_jobs[supersedes] = job
    progress_ok = _supports_progress(ls)
    if progress_ok:
        try:
            await ls.work_done_progress.create_async(job.token)
        except Exception as exc:  # the client refused a progress bar: run without one
            log.warning("work done progress refused: %s", exc)
            progress_ok = False
    if progress_ok:
        ls.work_done_progress.begin(job.token, types.WorkDoneProgressBegin(title=title, cancellable=True,
                                                                            message="starting"))
        # pygls cancels this future on window/workDoneProgress/cancel.
        future = ls.work_done_progress.tokens.get(job.token)
        if future is not None:
            future.add_done_callback(lambda _f: job.cancel.set())

    def progress(message: str) -> None:
        job.stages.append(message)
        if progress_ok and not job.cancel.is_set():
            ls.call_soon(ls.work_done_progress.report, job.token, types.WorkDoneProgressReport(message=message))

    ls.running[job.token] = job
    message = "failed"
    try:
        value = await (_in_own_thread(work, job, progress) if long_running else ls.in_worker(work, job, progress))
        message = "cancelled" if job.cancel.is_set() else end_message(value)
    finally:
        # Whatever happened, the client's progress bar ends.
        ls.running.pop(job.token, None)
        if supersedes is not None and ls.keyed_jobs.get(supersedes) is job:
            del ls.keyed_jobs[supersedes]
        if progress_ok:
            ls.work_done_progress.end(job.token, types.WorkDoneProgressEnd(message=message))
            ls.work_done_progress.tokens.pop(job.token, None)
    return job, value


def _in_own_thread(work: Callable[..., Any], *args: Any) -> asyncio.Future:
    """work(*args) on a new thread.  Not a daemon: at exit the server waits for it, so a
    cancelled job still stops the processes it started."""
    loop = asyncio.get_running_loop()
    future = loop.create_future()

    def settle(value: Any, error: BaseException | None) -> None:
        if future.done():
            return
        if error is not None:
            future.set_exception(error)
        else:
            future.set_result(value)

    def run() -> None:
        try:
            value, error = work(*args), None
        except BaseException as exc:  # noqa: BLE001 - handed to the awaiting coroutine
            value, error = None, exc
        try:
            loop.call_soon_threadsafe(settle, value, error)
        except RuntimeError:  # the event loop has ended (server exit): nobody is waiting
            pass

    threading.Thread(target=run, name="transverify-long-job").start()
    return future
