"""Take docs/serve.png: the form page of `closure-app serve` on a copy of the sample, in Debian's
chromium driven by Playwright (the browser tests' set-up), with a mistyped 立项编号 and its message showing.

    .venv/bin/python scripts/serve_screenshot.py [-o docs/serve.png]
"""
from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from serve_helpers import CHROMIUM, running_server, sample_project  # noqa: E402


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("-o", "--output", type=Path, default=ROOT / "docs" / "serve.png")
    args = ap.parse_args(argv)
    from playwright.sync_api import expect, sync_playwright

    with tempfile.TemporaryDirectory() as folder, sync_playwright() as p:
        project = sample_project(Path(folder) / "proj")
        with running_server(project) as (url, _):
            browser = p.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox", "--lang=zh-CN"], headless=True)
            page = browser.new_page(viewport={"width": 1100, "height": 1500}, locale="zh-CN")
            page.goto(url)
            field = "#f-立项编号"
            page.fill(field, "BZ2025ZC124")
            page.press(field, "Tab")
            expect(page.locator("#err-立项编号")).to_contain_text("立项编号格式应为")
            page.evaluate("document.activeElement.blur(); window.scrollTo(0, 0)")
            args.output.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(args.output), clip={"x": 0, "y": 0, "width": 1100, "height": 1500})
            browser.close()
    print(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
