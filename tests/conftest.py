"""Shared fixtures: a real headless Chromium, a static HTTP server, and a site built
from the repository's seeds with real MkDocs (once per test session)."""

from __future__ import annotations

import functools
import http.server
import shutil
import subprocess
import sys
import threading
from pathlib import Path
from typing import Iterator

import pytest

ROOT = Path(__file__).parent.parent
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]
sys.path.insert(0, str(Path(__file__).parent))  # tests/pages.py


def build_site(seeds: Path, workdir: Path) -> Path:
    """Run the real CLI build (generator + MkDocs) into ``workdir``; return site/."""
    site = workdir / "site"
    result = subprocess.run(
        [sys.executable, "-m", "generator", "build", "--seeds", str(seeds), "--docs", str(workdir / "docs_src"),
         "--site", str(site), "--config", str(ROOT / "mkdocs.yml"), "-q"],
        cwd=ROOT, capture_output=True, text=True, timeout=900,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return site


@pytest.fixture(scope="session")
def seed_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("seed-site")
    seeds = work / "seeds"
    shutil.copytree(ROOT / "seeds", seeds)
    return build_site(seeds, work)


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:  # keep test output readable
        pass


@pytest.fixture(scope="session")
def http_server():
    """Start a static server for a folder: ``base_url = http_server(folder)``."""
    servers: list[http.server.ThreadingHTTPServer] = []

    def serve(directory: Path) -> str:
        handler = functools.partial(_Quiet, directory=str(directory))
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}/"

    yield serve
    for server in servers:
        server.shutdown()


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed (.ci/run installs it: apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context()
    pg = context.new_page()
    pg.requests = []  # every URL the page asked for
    pg.on("request", lambda req: pg.requests.append(req.url))
    yield pg
    context.close()
