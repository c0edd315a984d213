"""The whole register as one PDF: rendered in parts, in parallel where the machine allows, then joined.

Why parts (issue 5: 300 entries in under 10 s). WeasyPrint lays out and draws a page of the register's
bordered tables in tens of milliseconds of one core, and a WeasyPrint document is one process: a
300-entry register (≈340 pages) in one document takes far longer than 10 s even on an idle machine.
So the sheets are split into runs, two per worker process, rendered side by side (``os.fork``: the
children inherit the loaded fonts and templates, never touch the database, and send their part back
through a pipe), and ``pdf_merge`` joins the parts.

Page numbers. The front matter (cover, contents) is numbered i, ii, …; the body (the sheets, then the
change log) from 1, each part starting where the one before ends (``@page :first { counter-reset }``).
Every sheet starts a page and nearly always fills one, so each part's first page number and the
contents' page numbers are predicted from one page per sheet; after rendering they are checked against
the page on which WeasyPrint actually placed each sheet's anchor, and any part that was numbered
wrongly is rendered again (a part's length does not depend on its numbers, so once is enough).

Progress is honest: building the HTML entry by entry (0–10 %), then every page WeasyPrint lays out in
any part (its ``weasyprint.progress`` narration, sent back from the children through their pipes) against
the expected page count (10–95 %), joining (99 %), done (100 %).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import logging
import os
import pickle
import selectors
import signal
import struct
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.template.loader import get_template, render_to_string
from django.utils.safestring import mark_safe

from register import pdfs
from register.models import RegisterEntry
from register.pdf_merge import merge_pdfs

Progress = Callable[[int], None]
logger = logging.getLogger(__name__)

_HTML_DONE = 10
_LAYOUT_DONE = 95
_JOINED = 99
# Below this many entries the parts are rendered in this process: forking would cost more than it saves.
PARALLEL_FROM = 40
MAX_ROUNDS = 3

# A user-agent stylesheet with only what the register's templates use. WeasyPrint matches every element
# against its full HTML user-agent stylesheet (≈250 rules, many attribute selectors); this one keeps the
# same defaults for the elements used here and leaves out headings' bookmarks (the parts carry no outline).
LEAN_UA = """
html, body, section, div, h1, h2, p, ul { display: block }
head, style, title, meta, script { display: none }
li { display: list-item }
table { display: table; border-spacing: 2px; border-collapse: separate; box-sizing: border-box;
        text-indent: initial; border-color: gray }
colgroup { display: table-column-group }
col { display: table-column }
thead { display: table-header-group; vertical-align: middle }
tbody { display: table-row-group; vertical-align: middle }
tr { display: table-row; vertical-align: inherit }
td, th { display: table-cell; padding: 1px; vertical-align: inherit; border-color: gray }
th, b, strong { font-weight: bold }
body { margin: 8px }
h1 { font-size: 2em; font-weight: bold; margin: .67em 0 }
h2 { font-size: 1.5em; font-weight: bold; margin: .83em 0 }
h1, h2 { break-after: avoid; break-inside: avoid }
p, ul { margin: 1em 0 }
ul { padding-left: 40px; list-style-type: disc }
small { font-size: smaller }
br::before { content: "\\A"; white-space: pre-line }
:link { color: blue; text-decoration: underline }
@page {
  margin: 75px;
  @top-right { text-align: right; vertical-align: middle }
  @bottom-center { text-align: center; vertical-align: middle }
}
"""


@functools.cache
def _document_class() -> Any:
    from weasyprint import CSS, HTML

    ua = [CSS(string=LEAN_UA)]

    class RegisterHTML(HTML):
        # WeasyPrint's hook for its user-agent stylesheet: were it renamed, the full one would be used.
        def _ua_stylesheets(self, forms: bool = False) -> list[Any]:
            return ua

    return RegisterHTML


def html_document(html: str) -> Any:
    """A WeasyPrint document for the register's templates, fetching nothing but static files."""
    from privacy_admin.core import pdf

    return pdf.html_document(html, document_class=_document_class())


# --- rendering one part ----------------------------------------------------------------------------


@dataclass(frozen=True)
class PartResult:
    key: str
    pdf: bytes
    pages: int
    anchors: dict[str, int]  # sheet anchor → index of the page it starts on, within the part
    cpu_seconds: float = 0.0


class _PageNarration(logging.Handler):
    """WeasyPrint's narration of each page it lays out (``weasyprint.progress``), in this thread."""

    def __init__(self, on_page: Callable[[int], None]) -> None:
        super().__init__(logging.INFO)
        self.thread = threading.get_ident()
        self.on_page = on_page

    def emit(self, record: logging.LogRecord) -> None:
        if record.thread != self.thread or not str(record.msg).startswith("Step 5 - Creating layout - Page"):
            return
        args = record.args
        if isinstance(args, tuple) and args and isinstance(args[0], int):
            with contextlib.suppress(Exception):  # progress must never break the rendering
                self.on_page(args[0])


@contextlib.contextmanager
def _narration(on_page: Callable[[int], None]) -> Iterator[None]:
    logger = logging.getLogger("weasyprint.progress")
    handler = _PageNarration(on_page)
    saved = logger.level, logger.propagate
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False  # the narration stays out of the application's log
    try:
        yield
    finally:
        logger.removeHandler(handler)
        if not logger.handlers:
            logger.setLevel(saved[0])
            logger.propagate = saved[1]


def render_part(key: str, html: str, on_page: Callable[[str, int], None]) -> PartResult:
    started = time.process_time()
    with _narration(lambda page: on_page(key, page)):
        document = html_document(html).render()
    anchors: dict[str, int] = {}
    for index, page in enumerate(document.pages):
        for name in page.anchors:
            anchors.setdefault(name, index)
    pdf = bytes(document.write_pdf())
    return PartResult(
        key=key,
        pdf=pdf,
        pages=len(document.pages),
        anchors=anchors,
        cpu_seconds=time.process_time() - started,
    )


# --- the parts of the register ---------------------------------------------------------------------


@dataclass
class _Part:
    key: str
    kind: str  # front | sheets | log
    sheets: list[pdfs.Sheet] = field(default_factory=list)
    html_sheets: list[str] = field(default_factory=list)
    start: int = 1  # the body page number of the part's first page
    expected_pages: int = 1


@dataclass
class _Plan:
    context: dict[str, Any]
    front: _Part
    chunks: list[_Part]
    log: _Part
    changes: list[pdfs.Change]

    @property
    def parts(self) -> list[_Part]:
        return [*self.chunks, self.log, self.front]


def workers() -> int:
    """Processes to render with: REGISTER_PDF_WORKERS, else the cores (at most 4). Forking is safe only
    in a process with one thread, so a threaded server renders in its own process."""
    configured = settings.REGISTER_PDF_WORKERS
    count = configured or min(os.cpu_count() or 1, 4)
    if count <= 1 or not hasattr(os, "fork"):
        return 1
    if threading.active_count() > 1:
        return 1
    return count


def _plan(
    *, layout: str, entries: Sequence[RegisterEntry], as_of: dt.date, chunks: int, report: Progress
) -> _Plan:
    sheet_template = get_template("registry/pdf/_sheet.html")
    log = pdfs.change_log([e.pk for e in entries], until=as_of)
    sheets: list[pdfs.Sheet] = []
    html: list[str] = []
    step = max(1, len(entries) // 20)
    for i, entry in enumerate(entries, start=1):
        sheet = pdfs.sheet_for(entry, layout)
        sheets.append(sheet)
        html.append(sheet_template.render({"sheet": sheet, "break": True}))
        if i % step == 0:
            report(_HTML_DONE * i // len(entries))
    changes = sorted((c for cs in log.values() for c in cs), key=lambda c: (c.on, c.at, c.entry_number))
    size = -(-len(sheets) // chunks) if sheets else 1
    parts = [
        _Part(key=f"sheets-{n}", kind="sheets", sheets=sheets[i : i + size], html_sheets=html[i : i + size])
        for n, i in enumerate(range(0, len(sheets), size))
    ]
    for part in parts:
        part.expected_pages = len(part.sheets)
    context = pdfs.pdf_context(layout, as_of) | {
        "entry_count": len(entries),
        "abolished_count": sum(1 for e in entries if not e.is_active),
    }
    front = _Part(key="front", kind="front", expected_pages=2 + len(sheets) // 30)
    log_part = _Part(key="log", kind="log", expected_pages=1 + len(changes) // 10)
    return _Plan(context=context, front=front, chunks=parts, log=log_part, changes=changes)


def _number(plan: _Plan, pages: dict[str, int], sheet_pages: dict[str, dict[str, int]]) -> dict[str, int]:
    """Give each body part its first page number from the parts' lengths (known or predicted); return the
    contents' page number of every sheet and of the change log."""
    toc: dict[str, int] = {}
    page = 1
    for part in plan.chunks:
        part.start = page
        within = sheet_pages.get(part.key)
        for i, sheet in enumerate(part.sheets):
            toc[sheet.anchor] = page + (within[sheet.anchor] if within else i)
        page += pages.get(part.key, len(part.sheets))
    plan.log.start = page
    toc["changes"] = page
    return toc


def _html(plan: _Plan, part: _Part, toc: dict[str, int]) -> str:
    context = plan.context | {"part": part.kind, "start": part.start}
    if part.kind == "sheets":
        context["sheets_html"] = mark_safe("".join(part.html_sheets))  # noqa: S308 - autoescaped by _sheet.html
    elif part.kind == "log":
        context["changes"] = plan.changes
    else:
        context["toc"] = [(sheet, toc[sheet.anchor]) for chunk in plan.chunks for sheet in chunk.sheets]
        context["changes_page"] = toc["changes"]
    return render_to_string("registry/pdf/part.html", context)


class _Meter:
    """Turns pages laid out in each part into one percentage that never goes back."""

    def __init__(self, plan: _Plan, report: Progress) -> None:
        self.weights = {p.key: max(1, p.expected_pages) for p in plan.parts}
        self.total = sum(self.weights.values())
        self.laid: dict[str, int] = {}
        self.report = report
        self.last = _HTML_DONE

    def page(self, key: str, page: int) -> None:
        self.laid[key] = max(self.laid.get(key, 0), min(page, self.weights.get(key, 1)))
        self._send()

    def finished(self, key: str) -> None:
        self.laid[key] = self.weights.get(key, 1)
        self._send()

    def _send(self) -> None:
        done = sum(self.laid.values())
        percent = _HTML_DONE + (_LAYOUT_DONE - _HTML_DONE) * done // self.total
        if percent > self.last:
            self.last = percent
            self.report(percent)


def _render_here(jobs: list[tuple[str, str]], meter: _Meter) -> dict[str, PartResult]:
    results: dict[str, PartResult] = {}
    for key, html in jobs:
        results[key] = render_part(key, html, meter.page)
        meter.finished(key)
    return results


class PartFailed(RuntimeError):
    """A part could not be rendered in its process; the message is the exception's class name only."""


def _send(fd: int, message: tuple[Any, ...]) -> None:
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    view = memoryview(struct.pack("!I", len(data)) + data)
    while view:
        view = view[os.write(fd, view) :]


def _child(key: str, html: str, fd: int) -> None:
    """In the forked process: render one part, sending each page laid out and then the result."""
    code = 0
    try:
        result = render_part(key, html, lambda k, page: _send(fd, ("page", k, page)))
        _send(fd, ("done", result))
    except BaseException as exc:
        code = 1
        with contextlib.suppress(BaseException):
            _send(fd, ("error", key, type(exc).__name__))
    finally:
        # Leave at once: no atexit handler, no finaliser — the parent's database connection, inherited
        # here, must not be closed from this process.
        os._exit(code)


class _Channel:
    def __init__(self, key: str, pid: int, fd: int) -> None:
        self.key, self.pid, self.fd = key, pid, fd
        self.buffer = bytearray()

    def messages(self) -> Iterator[tuple[Any, ...]]:
        while len(self.buffer) >= 4:
            (size,) = struct.unpack("!I", self.buffer[:4])
            if len(self.buffer) < 4 + size:
                return
            data = bytes(self.buffer[4 : 4 + size])
            del self.buffer[: 4 + size]
            yield pickle.loads(data)  # noqa: S301 - from our own child process, through a private pipe


@functools.cache
def _warm() -> None:
    """Load WeasyPrint, Pango and the fonts once in this process, so that every child inherits them."""
    html_document(
        '<html lang="ja"><body><p style="font-family: IPAexMincho">登録簿</p></body></html>'
    ).render()


def _render_forked(jobs: list[tuple[str, str]], meter: _Meter, processes: int) -> dict[str, PartResult]:
    """Each part in a forked process, at most ``processes`` at a time; pages and results come back over a
    pipe. (Not multiprocessing: a Celery worker's pool process may not have children of its own.)"""
    _warm()
    waiting = list(jobs)
    running: dict[int, _Channel] = {}
    results: dict[str, PartResult] = {}
    failure = ""
    with selectors.DefaultSelector() as selector:
        try:
            while waiting or running:
                while waiting and len(running) < processes and not failure:
                    key, html = waiting.pop(0)
                    read_fd, write_fd = os.pipe()
                    pid = os.fork()
                    if pid == 0:  # pragma: no cover - the child leaves through os._exit
                        os.close(read_fd)
                        _child(key, html, write_fd)
                    os.close(write_fd)
                    running[read_fd] = _Channel(key, pid, read_fd)
                    selector.register(read_fd, selectors.EVENT_READ)
                if not running:
                    break
                for event, _ in selector.select(timeout=1.0):
                    fd = int(event.fd)
                    channel = running[fd]
                    chunk = os.read(fd, 1 << 20)
                    if chunk:
                        channel.buffer += chunk
                        for message in channel.messages():
                            if message[0] == "page":
                                meter.page(message[1], message[2])
                            elif message[0] == "done":
                                results[message[1].key] = message[1]
                                meter.finished(message[1].key)
                            else:
                                failure = failure or message[2]
                        continue
                    selector.unregister(fd)
                    os.close(fd)
                    del running[fd]
                    os.waitpid(channel.pid, 0)
                    if channel.key not in results:
                        failure = failure or "the process rendering a part ended without a result"
        finally:
            for fd, channel in running.items():  # only after an error here: stop the rest
                with contextlib.suppress(OSError):
                    os.kill(channel.pid, signal.SIGKILL)
                    os.waitpid(channel.pid, 0)
                with contextlib.suppress(OSError):
                    os.close(fd)
    if failure:
        raise PartFailed(failure)
    return results


@dataclass(frozen=True)
class RenderedRegister:
    pdf: bytes
    page_count: int
    entry_count: int
    change_count: int
    processes: int = 1
    cpu_seconds: float = 0.0  # WeasyPrint's, summed over the processes (bench figures)


def render_register(
    *,
    layout: str,
    entries: Sequence[RegisterEntry],
    as_of: dt.date,
    progress: Progress | None = None,
    processes: int | None = None,
) -> RenderedRegister:
    """The whole register: cover and contents, one sheet per entry, the change log (see the module doc)."""
    pdfs.check_layout(layout)
    report = progress or (lambda percent: None)
    report(0)
    started = time.process_time()
    processes = processes or workers()
    if len(entries) < PARALLEL_FROM:
        processes = 1
    # Two runs of sheets per process, largest parts first: the pool stays busy to the end.
    chunks = 1 if processes == 1 else processes * 2
    plan = _plan(layout=layout, entries=entries, as_of=as_of, chunks=chunks, report=report)
    report(_HTML_DONE)
    meter = _Meter(plan, report)

    pages: dict[str, int] = {}
    sheet_pages: dict[str, dict[str, int]] = {}
    toc = _number(plan, pages, sheet_pages)
    results: dict[str, PartResult] = {}
    stale = {part.key for part in plan.parts}
    cpu = 0.0
    for _ in range(MAX_ROUNDS):
        jobs = [(part.key, _html(plan, part, toc)) for part in plan.parts if part.key in stale]
        if processes > 1 and len(jobs) > 1:
            results |= _render_forked(jobs, meter, processes)
        else:
            results |= _render_here(jobs, meter)
        cpu += sum(results[key].cpu_seconds for key, _ in jobs)
        # Check the numbering against where the sheets actually fell; render again what was wrong.
        starts = {part.key: part.start for part in plan.parts}
        pages = {key: result.pages for key, result in results.items()}
        sheet_pages = {part.key: results[part.key].anchors for part in plan.chunks}
        new_toc = _number(plan, pages, sheet_pages)
        stale = {part.key for part in plan.parts if part.kind != "front" and part.start != starts[part.key]}
        if new_toc != toc:
            stale.add(plan.front.key)
        toc = new_toc
        if not stale:
            break
    else:
        raise RuntimeError("the register's page numbers did not settle")
    report(_LAYOUT_DONE)
    order = [plan.front, *plan.chunks, plan.log]
    pdf = merge_pdfs([results[part.key].pdf for part in order], title=str(plan.context["title"]))
    report(_JOINED)
    rendered = RenderedRegister(
        pdf=pdf,
        page_count=sum(results[part.key].pages for part in order),
        entry_count=len(entries),
        change_count=len(plan.changes),
        processes=processes,
        cpu_seconds=cpu if processes > 1 else time.process_time() - started,
    )
    logger.info(
        "register pdf: entries=%d pages=%d processes=%d cpu=%.1fs",
        rendered.entry_count,
        rendered.page_count,
        processes,
        rendered.cpu_seconds,
    )
    report(100)
    return rendered
