"""The Dask scheduler: a batch's documents on a Dask distributed cluster (`--scheduler`).

Each document is one `workers.run_isolated` task (one document in a worker process of its
own on the cluster's worker, pages one after another); the cluster's workers must see the
input and output paths. A task lost on the cluster (e.g. KilledWorker) fails only its
document.
"""

from __future__ import annotations

import socket
import uuid
from dataclasses import replace

from ocr_pipeline.batch.plan import BatchConfig, BatchSummary, record_result
from ocr_pipeline.batch.progress import BatchProgress
from ocr_pipeline.batch.task import DocResult, DocTask
from ocr_pipeline.batch.workers import run_isolated
from ocr_pipeline.errors import BadArgumentsError, ExitCode, MissingDependencyError
from ocr_pipeline.manifest import Manifest


def run_dask(
    tasks: list[DocTask],
    config: BatchConfig,
    manifest: Manifest,
    progress: BatchProgress,
    summary: BatchSummary,
) -> None:
    """Run `tasks` on the Dask scheduler `config.scheduler`, recording each result."""
    try:
        from distributed import Client, as_completed
    except ImportError:
        raise MissingDependencyError(
            "--scheduler needs Dask distributed; install it with "
            "pip install 'ocr_pipeline[distributed]'"
        ) from None
    if _refused(config.scheduler):  # Client would retry for its 30 s, then "Timed out"
        raise MissingDependencyError(
            f"cannot reach the Dask scheduler {config.scheduler}: connection refused (nothing"
            " listens there); start it (dask scheduler) or fix --scheduler"
        )
    try:
        client = Client(config.scheduler, timeout="30s")
    except ValueError as err:
        raise BadArgumentsError(
            f"--scheduler {config.scheduler}: {err}; use tcp://HOST:PORT"
        ) from None
    except OSError as err:
        raise MissingDependencyError(
            f"cannot reach the Dask scheduler {config.scheduler}: {err}; start it "
            "(dask scheduler) or fix --scheduler"
        ) from None
    run_id = uuid.uuid4().hex[:8]
    try:
        futures = {}
        for i, task in enumerate(tasks):
            task = replace(task, options=replace(task.options, jobs=1))
            manifest.mark_running(task.rel)
            fut = client.submit(run_isolated, task, config.doc_timeout, pure=False,
                                key=f"ocr-pipeline-{run_id}-{i}")  # fmt: skip
            futures[fut] = task
        for fut in as_completed(list(futures)):
            task = futures[fut]
            try:
                result = fut.result()
            except Exception as err:  # noqa: BLE001 - e.g. KilledWorker: that document only
                result = DocResult(
                    ok=False,
                    exit_code=int(ExitCode.child_process_error),
                    error=f"{task.source}: failed on the Dask cluster "
                    f"({type(err).__name__}: {err}); retry with --retry-failed",
                )
            progress.page_done(result.pages)
            record_result(manifest, task, result, progress, summary)
    finally:
        client.close()


def _refused(address: str | None) -> bool:
    """Whether a TCP scheduler address (tcp://HOST:PORT or HOST:PORT) refuses connections
    outright; anything else (another protocol, a slow or unknown host) is left to Client."""
    if not address:
        return False
    rest = address[len("tcp://") :] if address.startswith("tcp://") else address
    host, _, port = rest.rpartition(":")
    if "://" in rest or not host or not port.isdigit():
        return False
    try:
        socket.create_connection((host.strip("[]"), int(port)), timeout=5).close()
    except ConnectionRefusedError:
        return True
    except (OSError, ValueError, OverflowError):
        return False
    return False
