"""A build started from the page: the same ``run_build`` as ``closure-app build``, in a thread,
its progress kept step by step for the page to poll; and page thumbnails of what it made."""
from __future__ import annotations

import io
import threading
import time
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from closure_app.commands.build import BuildPlan, Progress, run_build, step_count
from closure_app.errors import InvalidInput, UserError, file_error


@dataclass
class Step:
    n: int
    total: int
    what: str
    seconds: Optional[float] = None   # None while it runs


class PageProgress(Progress):
    """The CLI's progress, kept for the page instead of printed."""

    def __init__(self, total: int, steps: list[Step]):
        super().__init__(total, quiet=True)
        self.steps = steps
        self._t = time.perf_counter()

    def step(self, what: str) -> None:
        super().step(what)
        now = time.perf_counter()
        if self.steps:
            self.steps[-1].seconds = now - self._t
        self._t = now
        self.steps.append(Step(self.n, self.total, what))

    def finish(self) -> None:
        if self.steps and self.steps[-1].seconds is None:
            self.steps[-1].seconds = time.perf_counter() - self._t


@dataclass
class BuildState:
    state: str = "idle"                 # idle, running, done, failed
    steps: list[Step] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)
    fonts: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    error: str = ""
    seconds: float = 0.0


class BuildJob:
    """One build at a time for the project."""

    def __init__(self):
        self._lock = threading.Lock()
        self._thread: Optional[threading.Thread] = None
        self.status = BuildState()

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self, plan: BuildPlan) -> bool:
        """Start ``plan`` unless a build is running; False if one is."""
        with self._lock:
            if self.running:
                return False
            status = BuildState(state="running")
            self.status = status
            self._thread = threading.Thread(target=self._run, args=(plan, status), name="closure-app-build",
                                            daemon=True)
            self._thread.start()
            return True

    def _run(self, plan: BuildPlan, status: BuildState) -> None:
        progress = PageProgress(step_count(plan), status.steps)
        t0 = time.perf_counter()
        try:
            result = run_build(plan, progress)
        except InvalidInput as exc:
            status.error = "\n".join(str(f) for f in exc.findings if f.severity == "error") or exc.message
            status.state = "failed"
        except UserError as exc:
            status.error = exc.message
            status.state = "failed"
        except OSError as exc:
            status.error = file_error(exc).message
            status.state = "failed"
        except Exception as exc:  # a bug: say so on the page rather than leave it spinning
            status.error = f"生成时出现内部错误：{type(exc).__name__}: {exc}"
            status.state = "failed"
        else:
            status.files, status.fonts, status.notes = result.files, result.fonts, result.notes
            status.state = "done"
        finally:
            progress.finish()
            status.seconds = time.perf_counter() - t0

    def wait(self, timeout: Optional[float] = None) -> bool:
        """Wait for a running build; True when none is left running."""
        thread = self._thread
        if thread is not None:
            thread.join(timeout)
        return not self.running


def zip_of(files: list[Path]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in files:
            archive.write(path, path.name)
    return buffer.getvalue()


class Thumbnails:
    """PNG thumbnails of PDF pages (pypdfium2), kept while the file is unchanged."""

    SCALE = 0.3      # A4 (595 pt wide) -> about 180 px

    def __init__(self):
        self._lock = threading.Lock()   # pdfium is not thread-safe
        self._cache: dict[tuple, bytes] = {}

    def page_count(self, pdf: Path) -> int:
        import pypdfium2 as pdfium

        with self._lock:
            document = pdfium.PdfDocument(str(pdf))
            try:
                return len(document)
            finally:
                document.close()

    def png(self, pdf: Path, index: int) -> Optional[bytes]:
        import pypdfium2 as pdfium

        stat = pdf.stat()
        key = (str(pdf), stat.st_mtime_ns, stat.st_size, index)
        with self._lock:
            if key in self._cache:
                return self._cache[key]
            document = pdfium.PdfDocument(str(pdf))
            try:
                if not 0 <= index < len(document):
                    return None
                page = document[index]
                image = page.render(scale=self.SCALE).to_pil()
                buffer = io.BytesIO()
                image.save(buffer, "PNG", optimize=True)
                page.close()
            finally:
                document.close()
            if len(self._cache) > 500:
                self._cache.clear()
            self._cache[key] = buffer.getvalue()
            return self._cache[key]
