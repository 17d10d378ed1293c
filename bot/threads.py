"""One thread per worker process for the numeric libraries.

The bot scales with processes, one per core, each with its own model. Left alone, the numeric
libraries' thread pools (OpenMP, OpenBLAS, MKL, and the tokenizer's Rayon pool) each start one
thread per core in every process, and two workers on two cores fight over four or more. The
variables must be set before numpy loads: ``python -m bot.worker`` sets them first thing. An
operator's own values win.

Measured on 2 cores: scaled mode with 2 worker processes ran at 1.63x and 1.69x one worker
without them, and 1.82x to 2.02x with them (benchmarks.scaled). The single-process bot's own
worker processes showed no difference (benchmarks.bot_burst, 2 workers: 5.87 and 5.82
digests/s), so they are left as they were.
"""

from __future__ import annotations

import os
from collections.abc import MutableMapping

VARIABLES = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "RAYON_NUM_THREADS")


def one_thread_each(environ: MutableMapping[str, str] = os.environ) -> None:
    """Ask each numeric library for one thread, unless the environment already says."""
    for variable in VARIABLES:
        environ.setdefault(variable, "1")
    environ.setdefault("TOKENIZERS_PARALLELISM", "false")
