"""Where units run.  Both engines take the same work and yield each unit's rows as it
finishes; the driver alone writes them.

  local  a pool of worker processes on this machine (nothing to start; the default)
  ray    one Ray task per unit on an existing Ray cluster; every worker node needs
         transverify and the toolchains of the pair installed (docs/dataset.md)
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import sys
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from typing import Any, Iterable, Iterator

from .units import Unit
from .worker import _rows_for_failure, run_unit

ENGINES = ("local", "ray")
RAY_TASK_RETRIES = 3  # a unit whose worker died is run again elsewhere, and written once


class EngineError(Exception):
    pass


def run_units(units: Iterable[Unit], config: dict[str, Any], engine: str, workers: int,
              ray_address: str | None = None) -> Iterator[dict[str, Any]]:
    if engine == "local":
        return _local(list(units), config, workers)
    if engine == "ray":
        return _ray(list(units), config, workers, ray_address)
    raise EngineError(f"unknown engine '{engine}'; choose one of {', '.join(ENGINES)}")


def _local(units: list[Unit], config: dict[str, Any], workers: int) -> Iterator[dict[str, Any]]:
    # spawn, not fork: the driver runs a progress thread, and forked locks can deadlock.
    context = multiprocessing.get_context("spawn")
    window = max(1, 2 * workers)  # bounded: a 10,000-unit corpus is not queued up front
    pending: set[Future] = set()
    queue = iter(units)
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        try:
            while True:
                while len(pending) < window:
                    unit = next(queue, None)
                    if unit is None:
                        break
                    pending.add(pool.submit(run_unit, unit.to_dict(), config))
                if not pending:
                    return
                done, pending = wait(pending, return_when=FIRST_COMPLETED)
                for future in done:
                    yield future.result()
        finally:
            for future in pending:
                future.cancel()


def ray_address_of(address: str | None) -> str:
    return address or os.environ.get("RAY_ADDRESS") or "auto"


def preflight(engine: str, address: str | None) -> None:
    """Say before any work starts that the engine cannot run (unknown, Ray missing or unreachable)."""
    if engine not in ENGINES:
        raise EngineError(f"unknown engine '{engine}'; choose one of {', '.join(ENGINES)}")
    if engine == "ray":
        try:
            import ray  # noqa: F401
        except ImportError:
            raise EngineError("--engine ray needs Ray: pip install 'transverify[ray]' (or pip install ray)") from None
        _check_reachable(ray_address_of(address))


def _check_reachable(address: str, timeout: float = 5.0) -> None:
    """Fail fast on an address nothing listens at: Ray itself keeps retrying for minutes."""
    import socket

    if address == "auto" or address.startswith("local"):
        return
    host_port = address.split("://", 1)[-1].rsplit("/", 1)[0]
    host, _, port = host_port.rpartition(":")
    if not host or not port.isdigit():
        raise EngineError(f"--ray-address '{address}': expected HOST:PORT or ray://HOST:PORT")
    try:
        with socket.create_connection((host.strip("[]"), int(port)), timeout=timeout):
            pass
    except OSError as exc:
        raise EngineError(f"cannot reach a Ray cluster at '{address}': {exc.strerror or exc}. Start one with "
                          "`ray start --head` or pass --ray-address HOST:PORT (or ray://HOST:10001)") from None


def _ray(units: list[Unit], config: dict[str, Any], workers: int, address: str | None) -> Iterator[dict[str, Any]]:
    try:
        import ray
    except ImportError:
        raise EngineError("--engine ray needs Ray: pip install 'transverify[ray]' (or pip install ray)") from None
    address = ray_address_of(address)
    _check_reachable(address)
    # Ray prints its workers' and raylets' messages on stdout; stdout is for our report (--json).
    with contextlib.redirect_stdout(sys.stderr):
        yield from _ray_tasks(ray, units, config, workers, address)


def _ray_tasks(ray, units: list[Unit], config: dict[str, Any], workers: int, address: str
               ) -> Iterator[dict[str, Any]]:
    try:
        ray.init(address=address, logging_level="ERROR", log_to_driver=False, ignore_reinit_error=True)
    except (ConnectionError, RuntimeError, ValueError) as exc:
        raise EngineError(f"cannot reach a Ray cluster at '{address}': {exc}. Start one with "
                          "`ray start --head` or pass --ray-address HOST:PORT (or ray://HOST:10001)") from None
    remote = ray.remote(num_cpus=1, max_retries=RAY_TASK_RETRIES)(run_unit)
    window = max(1, 2 * workers)
    queue = iter(units)
    pending: dict = {}  # object ref -> unit
    try:
        while True:
            while len(pending) < window:
                unit = next(queue, None)
                if unit is None:
                    break
                pending[remote.remote(unit.to_dict(), config)] = unit
            if not pending:
                return
            done, _ = ray.wait(list(pending), num_returns=1)
            for ref in done:
                unit = pending.pop(ref)
                try:
                    yield ray.get(ref)
                except ray.exceptions.RayError as exc:  # retries spent: the unit is rejected, the run goes on
                    yield _rows_for_failure(unit, f"the Ray task failed {RAY_TASK_RETRIES + 1} times: "
                                                  f"{exc.__class__.__name__}")
    finally:
        for ref in pending:
            ray.cancel(ref, force=True)
        ray.shutdown()
