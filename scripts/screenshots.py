"""Screenshots of a built site for looking at it: every page kind at 390 px and
1,366 px, light and dark, from file:// in Debian's Chromium.

    python scripts/screenshots.py [--full] site/ out/ [page.html ...]

Without ``--full`` only the first screen of each page is taken (readable at a glance).

Install Debian's fonts-noto-cjk first (the site loads no web fonts, so what the
screenshot shows is what a reader's system fonts give).
"""

from __future__ import annotations

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]
WIDTHS = {"phone": (390, 844), "desktop": (1366, 768)}


def main(argv: list[str]) -> int:
    full = "--full" in argv
    site, out, *pages = [a for a in argv if a != "--full"]
    site_dir, out_dir = Path(site).resolve(), Path(out)
    out_dir.mkdir(parents=True, exist_ok=True)
    pages = pages or ["index.html"]
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        for scheme in ("light", "dark"):
            for label, (width, height) in WIDTHS.items():
                context = browser.new_context(viewport={"width": width, "height": height}, color_scheme=scheme)
                page = context.new_page()
                for rel in pages:
                    page.goto((site_dir / rel).as_uri())
                    page.wait_for_timeout(300)
                    name = rel.replace("/", "_").removesuffix(".html")
                    overflow = page.evaluate("document.documentElement.scrollWidth - innerWidth")
                    page.screenshot(path=str(out_dir / f"{name}-{label}-{scheme}.png"), full_page=full)
                    print(f"{name} {label} {scheme}: {'overflow ' + str(overflow) + ' px' if overflow > 0 else 'fits'}")
                context.close()
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
