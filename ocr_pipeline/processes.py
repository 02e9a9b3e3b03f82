"""How the package's worker processes start: their context, environment and thread limits.

One owner for what both kinds of worker need: the page pool of `pipeline` and the
document workers of `batch.workers`.

- Context: "forkserver" where the platform has it (else "spawn"): OpenCV and OpenMP do not
  survive `fork` from a threaded parent reliably. The forkserver preloads
  `ocr_pipeline.pipeline`, so every worker forks with numpy and OpenCV already imported.
- Environment (`worker_env`): `OMP_THREAD_LIMIT=1` (the workers already use the cores),
  and the tesseract binary chosen by the parent, since the forkserver may have started
  before a later `os.environ` change.
- `init_worker` applies that environment and limits OpenCV to one thread.
"""

from __future__ import annotations

import functools
import multiprocessing
import multiprocessing.context
import os

#: The module the forkserver imports once, before forking any worker.
PRELOAD = "ocr_pipeline.pipeline"


def worker_env() -> dict[str, str]:
    """The environment a worker process runs with (see the module docstring)."""
    from ocr_pipeline.tesseract import TESSERACT_ENV

    env = {"OMP_THREAD_LIMIT": "1"}
    if os.environ.get(TESSERACT_ENV):  # the forkserver may predate a later setenv
        env[TESSERACT_ENV] = os.environ[TESSERACT_ENV]
    return env


def init_worker(env: dict[str, str]) -> None:
    """Run first in a worker: its environment, and one OpenCV thread."""
    os.environ.update(env)
    try:
        import cv2

        cv2.setNumThreads(1)
    except ImportError:  # pragma: no cover - opencv is a hard dependency
        pass


@functools.cache
def mp_context() -> (
    multiprocessing.context.ForkServerContext | multiprocessing.context.SpawnContext
):
    """The multiprocessing context of every worker process (one forkserver per process)."""
    if "forkserver" in multiprocessing.get_all_start_methods():
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload([PRELOAD])  # workers fork with numpy/cv2 imported
        return ctx
    return multiprocessing.get_context("spawn")
