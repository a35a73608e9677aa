"""A real `closure-app serve` server on 127.0.0.1 for tests: uvicorn in a thread, on a free port."""
from __future__ import annotations

import shutil
import threading
import time
from contextlib import contextmanager
from pathlib import Path

import uvicorn

from closure_app.commands.serve import listen
from closure_app.serve.app import create_app

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")


def sample_project(folder: Path) -> Path:
    """A project folder like the one `init` makes, holding the sample form and report."""
    for part in ("forms", "manuscript"):
        shutil.copytree(ROOT / part, folder / part)
    return folder


@contextmanager
def running_server(root: Path, **options):
    """Yields (base URL with the token, app); stops the server on exit."""
    app = create_app(root, **options)
    sock = listen(0)
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the server did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}/t/{app.token}/", app
    finally:
        server.should_exit = True
        thread.join(30)
        sock.close()
