"""Printing the whole register in a Celery task: requested (and logged) in a transaction, rendered after
the commit with its progress, stored with its page count; a failure is recorded without details."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pypdf
import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from privacy_admin.audit.models import AuditEvent
from register import pdfs, register_pdf, tasks
from register.models import RegisterPrint
from register.services import printing as print_services

pytestmark = pytest.mark.django_db


def test_request_is_logged_and_the_task_renders_after_commit(
    administrator: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        job = print_services.register_print_request(
            actor=administrator, layout="register", include_abolished=False
        )
        assert RegisterPrint.objects.get(pk=job.pk).status == RegisterPrint.Status.PENDING
    assert len(callbacks) == 1  # sent only once the request is committed
    job.refresh_from_db()
    assert job.status == RegisterPrint.Status.DONE
    assert job.progress == 100
    assert job.entry_count == 3  # the core entries of the data migration
    assert job.page_count == len(pypdf.PdfReader(io.BytesIO(bytes(job.pdf or b""))).pages) > 3
    assert job.finished_at is not None and job.error == ""
    event = AuditEvent.objects.get(action="register_print.request")
    assert event.actor == administrator and event.target_id == str(job.pk)
    assert event.detail == {"layout": "register", "include_abolished": False, "reused": False}


def test_progress_is_written_while_the_task_renders(
    monkeypatch: pytest.MonkeyPatch, administrator: Any
) -> None:
    job = RegisterPrint.objects.create(layout="appi", as_of=timezone.localdate(), requested_by=administrator)
    seen: list[tuple[str, int]] = []
    real = register_pdf.render_register

    def spy(**kwargs: Any) -> Any:
        outer = kwargs["progress"]

        def progress(percent: int) -> None:
            outer(percent)
            row = RegisterPrint.objects.get(pk=job.pk)
            seen.append((row.status, row.progress))

        return real(**(kwargs | {"progress": progress}))

    monkeypatch.setattr(register_pdf, "render_register", spy)
    tasks.render_register_print(job.pk)
    assert seen and all(status == RegisterPrint.Status.RUNNING for status, _ in seen)
    assert [p for _, p in seen] == sorted(p for _, p in seen)
    assert any(0 < p < 100 for _, p in seen)
    job.refresh_from_db()
    assert (job.status, job.progress) == (RegisterPrint.Status.DONE, 100)


def test_a_failure_is_recorded_without_its_details(
    monkeypatch: pytest.MonkeyPatch, administrator: Any
) -> None:
    job = RegisterPrint.objects.create(
        layout="register", as_of=timezone.localdate(), requested_by=administrator
    )

    def boom(**kwargs: Any) -> Any:
        raise RuntimeError("山田太郎 の記録で失敗")  # an exception's text never reaches the page

    monkeypatch.setattr(register_pdf, "render_register", boom)
    tasks.render_register_print(job.pk)
    job.refresh_from_db()
    assert job.status == RegisterPrint.Status.FAILED
    assert "山田" not in job.error and "RuntimeError" in job.error
    assert job.pdf is None and job.finished_at is not None


def test_the_task_takes_an_id_only() -> None:
    with pytest.raises(TypeError):
        tasks.render_register_print("1")  # type: ignore[arg-type]


def test_a_print_already_taken_is_left_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    job = RegisterPrint.objects.create(
        layout="register", as_of=timezone.localdate(), status=RegisterPrint.Status.DONE, pdf=b"%PDF-old"
    )
    monkeypatch.setattr(register_pdf, "render_register", lambda **kw: pytest.fail("rendered twice"))
    tasks.render_register_print(job.pk)
    tasks.render_register_print(999_999)  # gone: nothing to do
    job.refresh_from_db()
    assert bytes(job.pdf or b"") == b"%PDF-old"


def test_the_same_request_while_one_is_running_reuses_it(
    administrator: Any, privacy_officer: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        first = print_services.register_print_request(
            actor=administrator, layout="appi", include_abolished=True
        )
        again = print_services.register_print_request(
            actor=privacy_officer, layout="appi", include_abolished=True
        )
        other = print_services.register_print_request(
            actor=privacy_officer, layout="appi", include_abolished=False
        )
    assert again.pk == first.pk and other.pk != first.pk
    assert len(callbacks) == 2  # one task per print
    assert AuditEvent.objects.filter(action="register_print.request").count() == 3
    assert AuditEvent.objects.get(
        action="register_print.request", actor=privacy_officer, target_id=str(first.pk)
    ).detail["reused"]


@pytest.mark.parametrize("layout", ["", "excel", None])
def test_an_unknown_layout_is_refused_and_nothing_is_made(administrator: Any, layout: Any) -> None:
    with pytest.raises(ValidationError) as caught:
        print_services.register_print_request(actor=administrator, layout=layout, include_abolished=False)
    assert "様式を選んでください" in str(caught.value)
    assert not RegisterPrint.objects.exists()
    assert not AuditEvent.objects.filter(action="register_print.request").exists()


def test_prints_that_never_finished_are_failed_later() -> None:
    job = RegisterPrint.objects.create(
        layout="register", as_of=timezone.localdate(), status=RegisterPrint.Status.RUNNING
    )
    RegisterPrint.objects.filter(pk=job.pk).update(requested_at=timezone.now() - dt.timedelta(hours=2))
    assert print_services.register_print_fail_stale() == 1
    job.refresh_from_db()
    assert job.status == RegisterPrint.Status.FAILED and "時間切れ" in job.error


def test_entries_for_print_leave_out_abolished_unless_asked() -> None:
    from tests.register.factories import make_entry

    gone = make_entry(
        status="abolished",
        registered_on=dt.date(2026, 4, 1),
        starts_on=dt.date(2026, 4, 1),
        abolished_on=dt.date(2026, 5, 1),
    )
    assert gone not in pdfs.entries_for_print(include_abolished=False)
    assert gone in pdfs.entries_for_print(include_abolished=True)
