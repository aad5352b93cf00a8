"""A TVM translation in a child process (`tvm_cpu/background.py`) run as an editor job: what
background tuning (tvm_tuning.py) and auto's TVM offer (tvm_alternative.py) share."""

from __future__ import annotations

from .jobs import Job, run_job


async def run_in_child(ls, holder, spec: dict, title: str, end_message, *, supersedes: str, process: str):
    """run_job's (job, (outcome, error)) for `spec` run in the child. `holder` (an offer) gets the
    job and the latest progress line; one stopped before the worker thread began is not started.
    `process` names the child in the error when it cannot start."""

    def work(job: Job, progress) -> tuple[dict | None, str | None]:
        from transverify.translators.tvm_cpu.background import BackgroundFailed, tune_in_child

        holder.job = job
        if holder.stop_reason:  # stopped before this thread began
            job.cancel.set()
            return None, None

        def report(message: str) -> None:
            holder.progress = message
            progress(message)

        try:
            return tune_in_child(spec, report, job.cancel), None
        except BackgroundFailed as exc:
            return None, str(exc)
        except OSError as exc:  # the child could not start
            return None, f"cannot start the {process}: {exc}"

    return await run_job(ls, title, work, end_message, supersedes=supersedes, long_running=True)
