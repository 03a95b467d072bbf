"""Running MkDocs on a staged docs tree, with a build date that the input decides."""

from __future__ import annotations

import datetime as _dt
import os
import time
from pathlib import Path
from typing import Iterable

from ..errors import BuildError, SettingsError

# gzip stores a 32-bit unsigned modification time in sitemap.xml.gz
_EPOCH_RANGE = (0, 2**32 - 1)


def build_epoch(dates: Iterable[_dt.date | None]) -> str:
    """The build date MkDocs stamps into sitemap.xml(.gz): the newest publication date
    in the archive, so that the same input gives the same bytes on any day.  Clamped
    to what gzip can store (1970–2106), so an archive of the 1950s builds (its sitemap
    then says 1970-01-01).  An explicit SOURCE_DATE_EPOCH in the environment wins."""
    dates = [d for d in dates if d]
    newest = max(dates) if dates else _dt.date(2000, 1, 1)
    seconds = (newest - _dt.date(1970, 1, 1)).days * 86400
    return str(min(max(seconds, _EPOCH_RANGE[0]), _EPOCH_RANGE[1]))


def run_mkdocs(config_file: Path, docs: Path, site: Path, epoch: str, site_name: str) -> float:
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, ConfigurationError

    started = time.perf_counter()
    saved = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = saved or epoch
    try:
        try:
            cfg = load_config(config_file=str(config_file), docs_dir=str(docs.resolve()), site_dir=str(site),
                              site_name=site_name)  # the profile names the site
        except (ConfigurationError, Abort) as exc:
            raise SettingsError(f"{config_file}: {exc}") from exc
        try:
            mkdocs_build(cfg)
        except Abort as exc:
            raise BuildError(f"mkdocs build failed: {exc}") from exc
    finally:
        if saved is None:
            del os.environ["SOURCE_DATE_EPOCH"]
    return time.perf_counter() - started
