"""`closure-app serve [DIR]`: the form as a page in the browser, for the project folder DIR."""
from __future__ import annotations

import socket
import threading
import time
import webbrowser
from pathlib import Path

import typer

from closure_app.errors import UsageError


def listen(port: int) -> socket.socket:
    """A listening socket on 127.0.0.1 (never another interface); port 0 picks a free one."""
    # IPPROTO_TCP named, not 0: asyncio sets TCP_NODELAY only on sockets that say they are TCP,
    # and without it each answer waits on the client's delayed ACK (tens of ms on keep-alive).
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind(("127.0.0.1", port))
    except OSError as exc:
        sock.close()
        raise UsageError(f"无法使用端口 {port}：{exc.strerror}（换一个 --port，或用 --port 0 自动选择）") from None
    sock.listen(64)
    return sock


def serve(
    directory: Path = typer.Argument(Path("."), help="项目文件夹（init 生成的）/ project folder", show_default="."),
    port: int = typer.Option(8765, "--port", help="端口（0 为自动选择）/ port, 0 for any free one"),
    no_browser: bool = typer.Option(False, "--no-browser", help="不自动打开浏览器 / do not open a browser"),
):
    """在浏览器中填写结项申请书（仅本机访问）。Fill in the form in a browser (this machine only).

    按 Ctrl-C 停止。Stop with Ctrl-C.
    """
    import uvicorn

    from closure_app.serve.app import create_app

    if not directory.is_dir():
        raise UsageError(f"找不到项目文件夹：{directory}（可用 closure-app init {directory} 生成）")
    app = create_app(directory)
    sock = listen(port)
    url = f"http://127.0.0.1:{sock.getsockname()[1]}/t/{app.token}/"
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on", timeout_graceful_shutdown=5))

    def announce():
        while not server.started and not server.should_exit:
            time.sleep(0.05)
        if server.started:
            typer.echo(f"表单页面：{url}", err=True)
            typer.echo("（仅本机可访问；按 Ctrl-C 停止）", err=True)
            if not no_browser:
                webbrowser.open(url)

    threading.Thread(target=announce, daemon=True).start()
    try:
        server.run(sockets=[sock])
    except KeyboardInterrupt:
        pass
    finally:
        sock.close()
    typer.echo("已停止。", err=True)


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)
