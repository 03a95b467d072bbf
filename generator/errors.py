"""The failures a user can cause, each with its exit status (documented in README.md).

The command line prints these as one line, ``error: <what>``, never a traceback:
0 built, 1 nothing built (no usable page, an I/O failure), 2 bad settings or paths
(nothing touched), 130 interrupted (nothing changed).
"""

from __future__ import annotations


class BuildError(Exception):
    """Nothing could be built (no readable page, a failed write); previous output kept."""

    exit_status = 1


class SettingsError(BuildError):
    """A setting, a path or the MkDocs configuration is wrong; nothing was touched."""

    exit_status = 2


EXIT_INTERRUPTED = 130
