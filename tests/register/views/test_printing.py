"""The print pages: who may use them, requesting a print, its progress (htmx), the logged download, and the
PDFs open to public inspection (要綱 第16条第5項) — an abolished entry's sheet is not among them."""

from __future__ import annotations

import datetime as dt
import io
import re
from typing import Any

import pypdf
import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from privacy_admin.audit.models import AuditEvent
from register.models import RegisterEntry, RegisterPrint
from tests.register.factories import make_entry

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    cache.clear()


@pytest.fixture
def done_print(administrator: Any) -> RegisterPrint:
    return RegisterPrint.objects.create(
        layout="register",
        as_of=timezone.localdate(),
        status=RegisterPrint.Status.DONE,
        progress=100,
        pdf=b"%PDF-1.7 stored",
        entry_count=3,
        page_count=7,
        requested_by=administrator,
    )


@pytest.fixture
def abolished() -> RegisterEntry:
    return make_entry(
        name="廃止された複写サービス",
        status=RegisterEntry.Status.ABOLISHED,
        registered_on=dt.date(2026, 4, 1),
        starts_on=dt.date(2026, 4, 1),
        abolished_on=dt.date(2026, 5, 1),
    )


def _staff_urls(pk: int) -> list[str]:
    return [
        reverse("register_print:index"),
        reverse("register_print:progress", args=[pk]),
        reverse("register_print:status", args=[pk]),
        reverse("register_print:download", args=[pk]),
    ]


def _text(pdf: bytes) -> str:
    return re.sub(r"\s+", "", "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf)).pages))


# --- who may use the pages -------------------------------------------------------------------------


def test_anonymous_is_sent_to_login(client: Any, done_print: RegisterPrint) -> None:
    for url in _staff_urls(done_print.pk):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url
    assert client.post(reverse("register_print:index"), {"layout": "register"}).status_code == 302
    assert RegisterPrint.objects.count() == 1


@pytest.mark.parametrize("persona", ["counter_staff", "contractor_operator", "no_role_user"], indirect=True)
def test_other_roles_are_refused_and_logged(persona: Any, login: Any, done_print: RegisterPrint) -> None:
    client = login(persona)
    for url in _staff_urls(done_print.pk):
        assert client.get(url).status_code == 403, url
    assert client.post(reverse("register_print:index"), {"layout": "register"}).status_code == 403
    assert AuditEvent.objects.filter(action="access.denied", actor=persona).count() == 5
    assert not AuditEvent.objects.filter(action__startswith="register_print.").exists()
    assert RegisterPrint.objects.count() == 1


# --- requesting and following a print --------------------------------------------------------------


@pytest.mark.parametrize("persona", ["administrator", "privacy_officer"], indirect=True)
def test_staff_request_a_print_and_follow_it_to_the_download(
    persona: Any, login: Any, django_capture_on_commit_callbacks: Any
) -> None:
    client = login(persona)
    page = client.get(reverse("register_print:index")).content.decode()
    assert "個人情報ファイル簿" in page and "まだ印刷していません" in page
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(reverse("register_print:index"), {"layout": "appi", "include_abolished": "on"})
    job = RegisterPrint.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "register_print:progress", args=[job.pk]
    )
    assert (job.layout, job.include_abolished, job.requested_by) == ("appi", True, persona)

    progress = client.get(response["Location"]).content.decode()
    assert 'hx-trigger="every 1s"' in progress and "htmx.min.js" in progress
    assert 'hx-get="' + reverse("register_print:status", args=[job.pk]) in progress

    for callback in callbacks:  # the worker renders it
        callback()
    status = client.get(reverse("register_print:status", args=[job.pk])).content.decode()
    assert "hx-trigger" not in status  # polling stops
    assert reverse("register_print:download", args=[job.pk]) in status and "100%" in status

    download = client.get(reverse("register_print:download", args=[job.pk]))
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"].startswith("attachment;")
    assert "個人情報ファイル簿" in _text(download.content)
    event = AuditEvent.objects.get(action="register_print.download")
    assert event.actor == persona and event.target_id == str(job.pk)


def test_a_running_print_shows_its_progress(administrator: Any, login: Any) -> None:
    job = RegisterPrint.objects.create(
        layout="register", as_of=timezone.localdate(), status=RegisterPrint.Status.RUNNING, progress=42
    )
    status = login(administrator).get(reverse("register_print:status", args=[job.pk])).content.decode()
    assert 'value="42"' in status and 'hx-trigger="every 1s"' in status and "42%" in status


def test_a_failed_print_says_so_and_stops_polling(administrator: Any, login: Any) -> None:
    job = RegisterPrint.objects.create(
        layout="register",
        as_of=timezone.localdate(),
        status=RegisterPrint.Status.FAILED,
        error="PDFの作成に失敗しました（RuntimeError）",
    )
    status = login(administrator).get(reverse("register_print:status", args=[job.pk])).content.decode()
    assert "失敗" in status and "hx-trigger" not in status


def test_a_bad_layout_shows_the_message_and_makes_nothing(administrator: Any, login: Any) -> None:
    response = login(administrator).post(reverse("register_print:index"), {"layout": "excel"})
    assert response.status_code == 200
    assert "様式を選んでください" in response.content.decode()
    assert not RegisterPrint.objects.exists()


def test_a_print_not_yet_done_cannot_be_downloaded(administrator: Any, login: Any) -> None:
    job = RegisterPrint.objects.create(layout="register", as_of=timezone.localdate())
    response = login(administrator).get(reverse("register_print:download", args=[job.pk]))
    assert response.status_code == 302 and response["Location"] == reverse(
        "register_print:progress", args=[job.pk]
    )
    assert not AuditEvent.objects.filter(action="register_print.download").exists()


def test_stored_print_downloads_as_an_attachment(
    administrator: Any, login: Any, done_print: RegisterPrint
) -> None:
    response = login(administrator).get(reverse("register_print:download", args=[done_print.pk]))
    assert response.content == b"%PDF-1.7 stored"
    assert re.match(r'attachment; filename="register-\d{8}-\d+\.pdf"', response["Content-Disposition"])


def test_unknown_print_is_404(administrator: Any, login: Any) -> None:
    client = login(administrator)
    for name in ("progress", "status", "download"):
        assert client.get(reverse(f"register_print:{name}", args=[999_999])).status_code == 404


def test_recent_prints_are_listed_with_their_status(
    administrator: Any, login: Any, done_print: RegisterPrint
) -> None:
    page = login(administrator).get(reverse("register_print:index")).content.decode()
    assert reverse("register_print:download", args=[done_print.pk]) in page
    assert "完了" in page and "admin" in page


# --- the PDFs open to public inspection -------------------------------------------------------------


def test_anyone_gets_a_registered_entrys_sheet(client: Any) -> None:
    entry = RegisterEntry.objects.get(code="library-use")
    response = client.get(reverse("register_print:entry_pdf", args=[entry.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = _text(response.content)
    assert "個人情報取扱事務登録簿" in text and "図書館資料の館内および館外利用等に関する業務" in text
    appi = client.get(reverse("register_print:entry_pdf", args=[entry.pk]), {"layout": "appi"})
    assert "個人情報ファイル簿" in _text(appi.content)


@pytest.mark.parametrize("persona", ["counter_staff", "contractor_operator"], indirect=True)
def test_an_abolished_entrys_sheet_is_404_for_the_public(
    client: Any, login: Any, persona: Any, abolished: RegisterEntry
) -> None:
    url = reverse("register_print:entry_pdf", args=[abolished.pk])
    assert client.get(url).status_code == 404
    assert login(persona).get(url).status_code == 404
    assert client.get(reverse("register_print:entry_pdf", args=[999_999])).status_code == 404


@pytest.mark.parametrize("persona", ["administrator", "privacy_officer"], indirect=True)
def test_staff_get_an_abolished_entrys_sheet(login: Any, persona: Any, abolished: RegisterEntry) -> None:
    response = login(persona).get(reverse("register_print:entry_pdf", args=[abolished.pk]))
    assert response.status_code == 200
    assert "廃止" in _text(response.content)


def test_anyone_gets_the_register_of_registered_entries(client: Any, abolished: RegisterEntry) -> None:
    response = client.get(reverse("register_print:public_register_pdf"))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = _text(response.content)
    assert "個人情報取扱事務登録簿" in text and "目次" in text and "掲載件数3件" in text
    assert abolished.name not in text
    appi = client.get(reverse("register_print:public_register_pdf"), {"layout": "appi"})
    assert "個人情報ファイル簿" in _text(appi.content)


def test_a_changed_register_is_rendered_again(client: Any) -> None:
    url = reverse("register_print:public_register_pdf")
    first = _text(client.get(url).content)
    make_entry(name="新しく登録した事務", registered_on=dt.date(2026, 4, 1), starts_on=dt.date(2026, 4, 1))
    assert "新しく登録した事務" not in first
    assert "新しく登録した事務" in _text(client.get(url).content)


@pytest.mark.parametrize("layout", ["excel", "", "appi'"])
def test_an_unknown_layout_in_the_public_urls_is_404(client: Any, layout: str) -> None:
    entry = RegisterEntry.objects.get(code="library-use")
    assert (
        client.get(reverse("register_print:public_register_pdf"), {"layout": layout or "x"}).status_code
        == 404
    )
    assert (
        client.get(
            reverse("register_print:entry_pdf", args=[entry.pk]), {"layout": layout or "x"}
        ).status_code
        == 404
    )
