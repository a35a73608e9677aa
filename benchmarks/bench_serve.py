"""`closure-app serve` on the sample: one field's check, the page's load; against the CLI's
`closure-app validate --form` measured in the same run.

The server runs for real, as its own process (`closure-app serve --port 0`), and is asked over
HTTP by a keep-alive client; the page
load is also measured in Debian's chromium when it is installed (navigation start to the load
event, the page's scripts and styles included).
"""
from __future__ import annotations

import atexit
import contextlib
import io
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

from run import ROOT, Stage

sys.path.insert(0, str(ROOT / "tests"))

from serve_helpers import CHROMIUM, sample_project  # noqa: E402

FORM = ROOT / "forms" / "application.yaml"
PHONE = "项目变更情况数据表.现负责人.联系电话"


def _cli_validate(_):
    from closure_app.cli import main

    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        assert main(["validate", "--form", str(FORM)]) == 0


class _Server:
    """`closure-app serve` as its own process on a copy of the sample, started once for every
    serve stage and stopped with Ctrl-C (SIGINT) when the benchmark ends."""
    _instance = None

    @classmethod
    def get(cls):
        if cls._instance is None:
            import httpx

            folder = Path(tempfile.mkdtemp(prefix="bench-serve-"))
            project = sample_project(folder / "proj")
            exe = Path(sys.executable).with_name("closure-app")
            proc = subprocess.Popen([str(exe), "serve", str(project), "--no-browser", "--port", "0"],
                                    stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
            url = proc.stderr.readline().split("：", 1)[1].strip()

            def stop():
                proc.send_signal(signal.SIGINT)
                proc.wait(30)
                shutil.rmtree(folder, ignore_errors=True)

            atexit.register(stop)
            client = httpx.Client(base_url=url)
            from closure_app.serve.formfile import page_values

            values, _ = page_values(FORM.read_text(encoding="utf-8"))
            values[PHONE] = "12345"
            client.get("")                  # the server's first answer loads the models; not a page load
            cls._instance = (url, client, values)
        return cls._instance


def _field_check(arg):
    _, client, values = arg
    r = client.post("validate", data=values)
    assert r.status_code == 200 and "不是有效的电话号码" in r.text


def _page(arg):
    _, client, _ = arg
    r = client.get("")
    assert r.status_code == 200 and "立项编号" in r.text


class _Browser:
    _page = None

    @classmethod
    def get(cls):
        if cls._page is None:
            from playwright.sync_api import sync_playwright

            url, _, _ = _Server.get()
            cls._pw = sync_playwright().start()
            browser = cls._pw.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"], headless=True)
            cls._page = browser.new_page()
            cls._url = url
            cls._page.goto(url)          # first visit: the browser's own start-up is not the page's
        return cls._page, cls._url


def _browser_load(arg):
    page, url = arg
    page.goto(url, wait_until="load")
    assert page.locator("#f-立项编号").input_value() == "BZ25ZC124"


def _cli_validate_process(_):
    exe = Path(sys.executable).with_name("closure-app")
    subprocess.run([str(exe), "validate", "--form", str(FORM)], check=True, capture_output=True)


def _browser_load_timed(arg):
    """The browser's own measure: navigation start to the end of the load event."""
    page, url = arg
    page.goto(url, wait_until="load")
    ms = page.evaluate("() => { const n = performance.getEntriesByType('navigation')[0];"
                       " return n.loadEventEnd - n.startTime; }")
    return ms / 1000


BASELINE = "serve: CLI closure-app validate --form"

STAGES = [
    Stage(BASELINE, _cli_validate, repeat=5,
          note="the command line's check of the form, in this process once warm (its glyph check included)"),
    Stage("serve: CLI validate --form as a new process", _cli_validate_process, repeat=3,
          note="what a person waits for at the prompt: start-up and imports included"),
    Stage("serve: field check (POST validate)", _field_check, setup=_Server.get, repeat=30, baseline=BASELINE,
          note="a bad phone number: the page's check of the whole form, message placed at the field; target < 50 ms"),
    Stage("serve: page load (GET /)", _page, setup=_Server.get, repeat=20, baseline=BASELINE,
          note="the form page generated from the models, every field checked; target < 300 ms"),
]
if CHROMIUM.exists():
    STAGES.append(Stage("serve: page load in chromium (to load event)", _browser_load, setup=_Browser.get, repeat=10,
                        baseline=BASELINE, note="HTML, htmx, script and styles, timed around Playwright's goto (its round trip to the browser included); target < 300 ms"))
    STAGES.append(Stage("serve: page load in chromium (navigation timing)", _browser_load_timed, setup=_Browser.get,
                        repeat=10, baseline=BASELINE, self_timed=True,
                        note="the same load as the browser's Navigation Timing counts it (navigation start to load event end)"))
