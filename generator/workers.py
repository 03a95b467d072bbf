"""Worker processes that cannot outlive the build.

A build killed with SIGKILL cannot tell its pool to stop; without this its workers
(~220 MB each) ran on for minutes, holding the terminal's output open.  Ctrl-C is the
parent's to handle: workers ignore SIGINT, so one interrupt gives one message.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys

_PR_SET_PDEATHSIG = 1


def init_worker(parent: int) -> None:
    """Pool initializer: die with ``parent`` (Linux ``prctl(PR_SET_PDEATHSIG)``), leave
    Ctrl-C to it.  The parent may already be gone by the time this runs: check."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if sys.platform.startswith("linux"):
        try:
            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent:
        os._exit(1)
