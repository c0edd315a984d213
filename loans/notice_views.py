"""Notice pages (予約連絡・督促) and the circulation dashboard: counter staff and administrators only.

Thin: ``loans.notices`` and ``loans.safety_net`` do the work. The notices page and the dashboard show
counts only; the phone sheet shows the given name, the number and counts (方針 第3(8)); postcards
leave as a PDF with no title on them (方針 第3(7)). Notice ids in paths are internal ids, never
personal data; branch codes are checked for shape before they reach a query.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from patrons.models import Branch
from privacy_admin.audit.permissions import role_required
from privacy_admin.core.roles import Role

from . import notices, safety_net, selectors
from . import offline_returns as offline_import
from .models import CirculationAction, CirculationDailyStat, Notice, SafetyNetRun

ROLES = (Role.COUNTER, Role.ADMINISTRATOR)
FAILED_EMAILS_SHOWN = 50
OFFLINE_UPLOAD_MAX_BYTES = 5 * 1024 * 1024
ERRORS_SHOWN = 20
_SLUG = re.compile(r"[-a-zA-Z0-9_]{1,32}")


def _branch(data: QueryDict) -> Branch | None:
    code = data.get("branch", "")
    if not _SLUG.fullmatch(code):
        return None
    return Branch.objects.filter(code=code, is_active=True).first()


def _with_branch(url: str, branch: Branch | None) -> str:
    return f"{url}?branch={branch.code}" if branch is not None else url


def _branches() -> list[Branch]:
    return list(Branch.objects.filter(is_active=True))


# --- notices ---------------------------------------------------------------------------------


@role_required(*ROLES)
@require_GET
def notices_page(request: HttpRequest) -> HttpResponse:
    """Counts per channel and kind, the postcard print, the way to the phone sheet, failed e-mails."""
    branch = _branch(request.GET)
    counts = notices.notice_counts(branch=branch)
    channels = [
        {
            "code": code,
            "label": label,
            "by_kind": [(Notice.Kind(k).label, counts["queued"][code][k]) for k in Notice.Kind.values],
            "total": counts["per_channel"][code],
        }
        for code, label in Notice.Channel.choices
    ]
    failed = (
        notices.failed_emails(branch=branch)
        .select_related("branch")
        .order_by("-created_on", "-pk")[:FAILED_EMAILS_SHOWN]
    )
    return render(
        request,
        "loans/notices.html",
        {
            "branch": branch,
            "branches": _branches(),
            "channels": channels,
            "postcards_queued": counts["per_channel"][Notice.Channel.POSTCARD],
            "calls_queued": counts["per_channel"][Notice.Channel.PHONE],
            "failed": failed,
            "failed_count": counts["failed_emails"],
            "per_batch": notices.POSTCARDS_PER_BATCH,
        },
    )


@role_required(*ROLES)
@require_POST
def postcards_pdf(request: HttpRequest) -> HttpResponse:
    """Print the queued postcards (or reprint today's) as one PDF; printing marks them PRINTED."""
    branch = _branch(request.POST)
    reprint = request.POST.get("reprint") == "1"
    batch = notices.notices_print_postcards(actor=request.user, branch=branch, reprint=reprint)
    if batch is None:
        messages.info(request, _("印刷するはがきはありません。"))
        return redirect(_with_branch(reverse("loans:notices"), branch))
    note = _("はがき%(n)d枚を印刷用PDFにしました。") % {"n": batch.count}
    if batch.skipped:
        note += _("受取・返却が済んだ%(n)d件は印刷していません。") % {"n": batch.skipped}
    if batch.remaining:
        note += _("残り%(n)d枚は、もう一度「はがきを印刷」を押してください。") % {"n": batch.remaining}
    messages.success(request, note)  # shown on the next page the browser loads
    response = HttpResponse(batch.pdf, content_type="application/pdf")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="postcards-{stamp}.pdf"'
    response["Cache-Control"] = "no-store"
    return response


@role_required(*ROLES)
@require_GET
def phone_sheet(request: HttpRequest) -> HttpResponse:
    """The call sheet: given name only, phone number, what and how many (方針 第3(8); 002)."""
    branch = _branch(request.GET)
    rows = notices.phone_rows(branch=branch)
    if rows:
        notices.phone_sheet_record_view(actor=request.user, rows=rows, branch=branch)
    return render(
        request,
        "loans/phone_sheet.html",
        {
            "rows": rows,
            "branch": branch,
            "branches": _branches(),
            "library_name": settings.LIBRARY_NAME,
            "today": timezone.localdate(),
            "ready": Notice.Kind.RESERVATION_READY,
        },
    )


def _after_action(request: HttpRequest, notice: Notice) -> HttpResponse:
    branch = _branch(request.POST)
    name = "loans:phone_sheet" if notice.channel == Notice.Channel.PHONE else "loans:notices"
    return redirect(_with_branch(reverse(name), branch))


@role_required(*ROLES)
@require_POST
def notice_called(request: HttpRequest, pk: int) -> HttpResponse:
    notice = selectors.get_notice_for(request.user, pk)
    try:
        notices.notice_record_called(actor=request.user, notice=notice)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("連絡済みとして記録しました。"))
    return _after_action(request, notice)


@role_required(*ROLES)
@require_POST
def notice_to_postcard(request: HttpRequest, pk: int) -> HttpResponse:
    """Nobody reached, or someone else answered (told nothing): a postcard instead (002)."""
    notice = selectors.get_notice_for(request.user, pk)
    try:
        notices.notice_switch_to_postcard(actor=request.user, notice=notice)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("はがきでの連絡に切り替えました。次回のはがき印刷に含まれます。"))
    return _after_action(request, notice)


# --- the circulation dashboard ------------------------------------------------------------------


def duration_ja(delta: dt.timedelta) -> str:
    """「2日3時間」「15分」: how long, in words a counter reads at a glance."""
    minutes = int(delta.total_seconds() // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    if days:
        return _("%(d)d日%(h)d時間") % {"d": days, "h": hours}
    if hours:
        return _("%(h)d時間%(m)d分") % {"h": hours, "m": mins}
    if mins:
        return _("%(m)d分") % {"m": mins}
    # Always with a unit: a bare 「0」 on the dashboard read as a number of records (issue 15).
    return _("1分未満") if delta.total_seconds() > 0 else _("0分")


def _daily_stats(day: dt.date) -> dict[str, Any]:
    """Today's anonymous counts per branch and patron category (no patron, no item)."""
    actions = list(CirculationAction)
    rows: dict[tuple[Any, ...], dict[str, Any]] = {}
    stats = (
        CirculationDailyStat.objects.filter(day=day)
        .values(
            "branch__name",
            "branch__sort_order",
            "branch__code",
            "category__name",
            "category__sort_order",
            "action",
        )
        .annotate(n=Sum("count"))
        .order_by("branch__sort_order", "branch__code", "category__sort_order", "category__name")
    )
    totals = dict.fromkeys((a.value for a in actions), 0)
    for s in stats:
        key = (s["branch__sort_order"], s["branch__code"], s["category__sort_order"], s["category__name"])
        row = rows.setdefault(
            key,
            {
                "branch": s["branch__name"],
                "category": s["category__name"],
                "counts": dict.fromkeys(totals, 0),
            },
        )
        row["counts"][s["action"]] += s["n"]
        totals[s["action"]] += s["n"]
    return {
        "actions": [(a.value, a.label) for a in actions],
        "rows": [{**r, "cells": [r["counts"][a.value] for a in actions]} for _key, r in sorted(rows.items())],
        "totals": [totals[a.value] for a in actions],
    }


@role_required(*ROLES)
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    """The safety net's health and today's anonymous figures. No patron data on this page."""
    now = timezone.now()
    today = timezone.localdate(now)
    age = safety_net.safety_net_oldest_overdue_age(now)
    last = safety_net.safety_net_last_run()
    latest = SafetyNetRun.objects.order_by("-started_at").first()
    max_gap = dt.timedelta(minutes=settings.LOANS_SAFETY_NET_MAX_GAP_MINUTES)
    since_last = now - last.finished_at if last is not None and last.finished_at else None
    queued = notices.notice_counts()
    counts = selectors.circulation_counts(today=today)
    return render(
        request,
        "loans/dashboard.html",
        {
            "now": now,
            "today": today,
            "age": age,
            "age_text": duration_ja(age),
            "healthy": age == dt.timedelta(0),
            "last": last,
            "since_last_text": duration_ja(since_last) if since_last is not None else "",
            "never_ran": last is None,
            "overdue_job": last is not None and since_last is not None and since_last > max_gap,
            "max_gap_minutes": settings.LOANS_SAFETY_NET_MAX_GAP_MINUTES,
            "unfinished": latest
            if latest is not None and latest.finished_at is None and latest.interrupted_at is None
            else None,
            "interrupted": safety_net.safety_net_last_interrupted(),
            "stats": _daily_stats(today),
            "channels": [(label, queued["per_channel"][code]) for code, label in Notice.Channel.choices],
            "failed_emails": queued["failed_emails"],
            "open_damage_cases": counts.open_damage_cases,
            "overdue_loans": counts.overdue_loans,
            "branches": sorted(_branches(), key=lambda b: b.kind != Branch.Kind.MOBILE),
            "overdue_patrons": counts.overdue_patrons,
        },
    )


@role_required(*ROLES)
@require_POST
def offline_returns(request: HttpRequest) -> HttpResponse:
    """The mobile library's offline returns (CSV: barcode,returned_at): record them, erase the loans
    (方針 第3(2)). All or nothing on bad lines; the messages give counts and line numbers only."""
    back = redirect("loans:dashboard")
    upload = request.FILES.get("file")
    if upload is None or not upload.size:
        messages.error(request, _("CSVファイルを選んでください。"))
        return back
    if upload.size > OFFLINE_UPLOAD_MAX_BYTES:
        messages.error(request, _("ファイルが大きすぎます（5MBまで）。分けて取り込んでください。"))
        return back
    raw = upload.read()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = raw.decode("cp932")  # a CSV saved by Excel in Japanese Windows
        except UnicodeDecodeError:
            messages.error(request, _("文字コードを読み取れません。UTF-8かShift_JISのCSVにしてください。"))
            return back
    rows, errors = offline_import.parse_offline_returns(text.splitlines())
    if errors:
        for message in errors[:ERRORS_SHOWN]:
            messages.error(request, message)
        if len(errors) > ERRORS_SHOWN:
            messages.error(request, _("ほかに%(n)d行の誤りがあります。") % {"n": len(errors) - ERRORS_SHOWN})
        messages.error(request, _("誤りがあるため、取り込みませんでした。"))
        return back
    if not rows:
        messages.error(request, _("取り込む行がありません。"))
        return back
    try:
        result = offline_import.loans_import_offline_returns(
            actor=request.user, rows=rows, branch=_branch(request.POST)
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return back
    note = _("%(rows)d行を取り込み、%(stamped)d点の返却を記録して、貸出記録%(loans)d件を消去しました。") % {
        "rows": result.rows,
        "stamped": result.stamped,
        "loans": result.loans_erased,
    }
    if result.unknown:
        note += _("登録されていない資料番号が%(n)d件ありました。") % {"n": result.unknown}
    if result.older:
        note += _("%(n)d点は、より新しい返却が既に記録されていました。") % {"n": result.older}
    messages.success(request, note)
    if result.waiting_reservations:
        messages.warning(
            request,
            _(
                "予約待ちのある資料が%(n)d点あります。到着したらカウンターで「予約資料の確保」を行ってください。"
            )
            % {"n": result.waiting_reservations},
        )
    return back
