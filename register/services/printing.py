"""Printing the register (個人情報取扱事務登録簿, 山梨県 要綱 第16条; 個人情報ファイル簿, 個人情報保護法 第75条).

A large register renders in a Celery task (architecture rule 7): ``register_print_request`` records
the request and its access-log event in one transaction and sends the task id-only on commit;
``register_print_render`` (called by the task) renders, stores the PDF and moves ``progress`` as it
goes, so the progress page can poll it. When the broker cannot take the task, the request still
succeeds and the print waits (待機中) until ``register_print_redispatch_waiting`` sends it again
within minutes (architecture rule 3). The register holds no personal data — it describes
activities, never people — but a stored error still says only what kind of failure it was.

Public copies (山梨県 要綱 第16条第5項: 一般の閲覧) are rendered on demand and cached per register state:
every registration, change or abolition writes a history row, so the newest history id names the
state of the register.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from privacy_admin.audit.services import audit_record
from privacy_admin.core.actor import Actor, user_of
from privacy_admin.core.cache_guard import cached_bytes
from privacy_admin.dispatch.services import dispatch_now, dispatch_on_commit
from register import pdfs, register_pdf
from register.models import RegisterEntry, RegisterPrint

logger = logging.getLogger(__name__)

TARGET_TYPE = "register_print"
# A request for the same print while one is still being made within this time reuses it.
REUSE_WINDOW = dt.timedelta(minutes=30)
# A print that has not finished within this time is taken as failed (the worker stopped).
STALE_AFTER = dt.timedelta(hours=1)
# A print still pending this long after it was asked for was not dispatched (or its message was lost).
REDISPATCH_AFTER = dt.timedelta(minutes=2)
RENDER_TASK = "register.tasks.render_register_print"
PUBLIC_CACHE_SECONDS = 24 * 60 * 60
FAILED_MESSAGE = "PDFの作成に失敗しました"


def _layout(layout: object) -> str:
    if not isinstance(layout, str) or layout not in RegisterPrint.Layout.values:
        raise ValidationError({"layout": _("様式を選んでください（登録簿または個人情報ファイル簿）。")})
    return layout


def register_print_request(*, actor: Actor, layout: str, include_abolished: bool) -> RegisterPrint:
    """Ask for a PDF of the whole register; the task renders it after the commit.

    The same request (layout, abolished entries or not, today's 基準日) while one is still pending or
    running returns that one instead of rendering the register twice; it is still logged.
    """
    layout = _layout(layout)
    include_abolished = bool(include_abolished)
    as_of = timezone.localdate()
    with transaction.atomic():
        register_print_fail_stale()
        running = (
            RegisterPrint.objects.select_for_update()
            .filter(
                layout=layout,
                include_abolished=include_abolished,
                as_of=as_of,
                status__in=[RegisterPrint.Status.PENDING, RegisterPrint.Status.RUNNING],
                requested_at__gte=timezone.now() - REUSE_WINDOW,
            )
            .first()
        )
        reused = running is not None
        if running is None:
            running = RegisterPrint.objects.create(
                layout=layout,
                include_abolished=include_abolished,
                as_of=as_of,
                requested_by=user_of(actor) if getattr(actor, "is_authenticated", False) else None,
            )
        audit_record(
            actor=actor,
            action="register_print.request",
            target_type=TARGET_TYPE,
            target_id=running.pk,
            detail={"layout": layout, "include_abolished": include_abolished, "reused": reused},
        )
        if not reused:
            # The task module imports this one: named by path, imported when it is sent.
            dispatch_on_commit(RENDER_TASK, running.pk)
    return running


def register_print_redispatch_waiting(*, now: dt.datetime | None = None) -> int:
    """Prints still pending REDISPATCH_AFTER after they were asked for (the broker was down, or the
    message was lost) are sent to the worker again; returns how many. Safe to repeat: the render
    takes a print only while it is pending. Stops at the first failure (the broker is still down)."""
    now = now or timezone.now()
    ids = list(
        RegisterPrint.objects.filter(
            status=RegisterPrint.Status.PENDING,
            requested_at__lt=now - REDISPATCH_AFTER,
            requested_at__gte=now - STALE_AFTER,
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    sent = 0
    for print_id in ids:
        if not dispatch_now(RENDER_TASK, print_id, remember=False):
            break
        sent += 1
    if ids:
        logger.info("register prints redispatched: count=%d waiting=%d", sent, len(ids))
    return sent


def _progress_writer(print_id: int) -> Callable[[int], None]:
    def write(percent: int) -> None:
        # Outside any transaction: the progress page reads it while the task runs.
        RegisterPrint.objects.filter(pk=print_id).update(progress=max(0, min(100, int(percent))))

    return write


def register_print_render(*, print_id: int) -> RegisterPrint | None:
    """Render a requested print: status running → done (PDF, page and entry counts, progress 100) or
    failed. A print that is not pending (already taken by another worker, or gone) is left alone."""
    with transaction.atomic():
        job = RegisterPrint.objects.select_for_update().filter(pk=print_id).first()
        if job is None or job.status != RegisterPrint.Status.PENDING:
            return job
        job.status = RegisterPrint.Status.RUNNING
        job.progress = 0
        job.save(update_fields=["status", "progress"])
    try:
        entries = pdfs.entries_for_print(include_abolished=job.include_abolished, as_of=job.as_of)
        rendered = register_pdf.render_register(
            layout=job.layout, entries=entries, as_of=job.as_of, progress=_progress_writer(job.pk)
        )
    except Exception as exc:
        # The class name only: an exception's text is not shown to anyone.
        logger.warning("register print failed: print=%d error=%s", job.pk, type(exc).__name__)
        RegisterPrint.objects.filter(pk=job.pk).update(
            status=RegisterPrint.Status.FAILED,
            error=f"{FAILED_MESSAGE}（{type(exc).__name__}）"[:200],
            finished_at=timezone.now(),
        )
        job.refresh_from_db()
        return job
    RegisterPrint.objects.filter(pk=job.pk).update(
        status=RegisterPrint.Status.DONE,
        progress=100,
        pdf=rendered.pdf,
        page_count=rendered.page_count,
        entry_count=len(entries),
        error="",
        finished_at=timezone.now(),
    )
    job.refresh_from_db()
    return job


def register_print_fail_stale(*, now: dt.datetime | None = None) -> int:
    """Prints still pending or running long after they were asked for (a worker stopped) are failed."""
    now = now or timezone.now()
    return RegisterPrint.objects.filter(
        status__in=[RegisterPrint.Status.PENDING, RegisterPrint.Status.RUNNING],
        requested_at__lt=now - STALE_AFTER,
    ).update(status=RegisterPrint.Status.FAILED, error=f"{FAILED_MESSAGE}（時間切れ）", finished_at=now)


def register_print_record_download(*, actor: Actor, job: RegisterPrint) -> None:
    """Every download of a stored print is logged (who took a copy of the register, and which)."""
    audit_record(
        standalone=True,
        actor=actor,
        action="register_print.download",
        target_type=TARGET_TYPE,
        target_id=job.pk,
        detail={"layout": job.layout, "pages": job.page_count},
    )


def print_filename(job: RegisterPrint) -> str:
    kind = "file-book" if job.layout == RegisterPrint.Layout.APPI_FILE_BOOK else "register"
    return f"{kind}-{job.as_of:%Y%m%d}-{job.pk}.pdf"


# --- public copies (山梨県 要綱 第16条第5項) ----------------------------------------------------------------


def register_state() -> int:
    """The newest history id of the register: it changes with every registration, change or abolition."""
    return int(RegisterEntry.history.aggregate(n=Max("history_id"))["n"] or 0)


def public_register_pdf(*, layout: str) -> bytes:
    """The register of registered entries as of today, as anyone may inspect it (第16条第5項)."""
    layout = _layout(layout)
    as_of = timezone.localdate()
    key = f"registry:public-register:{layout}:{as_of:%Y%m%d}:{register_state()}"

    def render() -> bytes:
        entries = pdfs.entries_for_print(include_abolished=False, as_of=as_of)
        return pdfs.render_register_pdf(layout=layout, entries=entries, as_of=as_of)

    return cached_bytes(key, render, timeout=PUBLIC_CACHE_SECONDS)


def entry_pdf(*, entry: RegisterEntry, layout: str) -> bytes:
    """One entry's sheet with its history; cached while the register does not change."""
    layout = _layout(layout)
    as_of = timezone.localdate()
    key = f"registry:entry:{entry.pk}:{layout}:{as_of:%Y%m%d}:{register_state()}"
    return cached_bytes(
        key, lambda: pdfs.render_entry_pdf(entry, as_of=as_of, layout=layout), timeout=PUBLIC_CACHE_SECONDS
    )
